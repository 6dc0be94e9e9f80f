"""Where a file's text may reference a plugin execution method: the pre-filter that keeps files
which never mention `.run` (or `getattr(x, "run")`) from loading the plugin analysis.

A hand scan, not a regular expression: compiling the regex cost more than the rest of the work
for a plain module, and flake8 starts afresh for every editor keystroke. Imported by the
per-role gate (`roles.may_execute_plugins_directly`), so it depends on nothing.
"""

from __future__ import annotations


def may_execute_plugins(source: str, methods: tuple[str, ...]) -> bool:
    """The cheap pre-filter on the text: does it reference an execution method at all?"""
    return any(method in source for method in methods) and bool(execution_offsets(source, methods))


def execution_offsets(source: str, methods: tuple[str, ...]) -> list[int]:
    """Sorted offsets of the text that may reference an execution method: `.run` (whitespace
    and line continuations allowed after the dot, no name character after the method) or
    `getattr(x, "run")`."""
    found: set[int] = set()
    for method in methods:
        if not method:
            continue
        index = source.find(method)
        while index >= 0:
            start = _reference_start(source, index, index + len(method))
            if start is not None:
                found.add(start)
            index = source.find(method, index + 1)
    return sorted(found)


def _reference_start(source: str, index: int, end: int) -> int | None:
    """Where the reference to the method name at `source[index:end]` starts, if it is one."""
    before = index - 1
    # Whitespace, and backslashes of continued lines: `plugin.\\` then `run()` on the next.
    while before >= 0 and (source[before].isspace() or source[before] == "\\"):
        before -= 1
    if before >= 0 and source[before] == "." and not _is_name_char(source, end):
        return before
    quote = index - 1
    if quote >= 0 and source[quote] in "'\"" and end < len(source) and source[end] in "'\"":
        # `getattr` then `(` then anything but `)` up to the quote.
        call = source.find("getattr", source.rfind(")", 0, quote) + 1, quote)
        while call >= 0:
            after = call + len("getattr")
            while after < quote and source[after].isspace():
                after += 1
            if after < quote and source[after] == "(":
                return call
            call = source.find("getattr", call + 1, quote)
    return None


def _is_name_char(source: str, position: int) -> bool:
    if position >= len(source):
        return False
    char = source[position]
    return char.isalnum() or char == "_"
