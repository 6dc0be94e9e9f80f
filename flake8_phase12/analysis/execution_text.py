"""Where a file's text may reference a plugin execution method: the pre-filter that keeps files
which never mention `.run` (or `getattr(x, "run")`) from loading the plugin analysis.

A hand scan, not a regular expression: compiling the regex cost more than the rest of the work
for a plain module, and flake8 starts afresh for every editor keystroke. Imported by the
per-role gate (`roles.may_execute_plugins_directly`), so it depends on nothing.
"""

from __future__ import annotations


# How far back from a quoted method name a `getattr(` may start: its first argument may be any
# expression, calls included (`getattr(self._registry.get(name), "run")`).
GETATTR_WINDOW = 300


def may_execute_plugins(source: str, methods: tuple[str, ...]) -> bool:
    """The cheap pre-filter on the text: does it reference an execution method at all, or
    call `getattr` (whose method name may be a variable)?"""
    return (any(method in source for method in methods) or "getattr" in source) \
        and bool(execution_offsets(source, methods))


def mentions_execution_modules(source: str, modules: tuple[str, ...]) -> bool:
    """Can the file import something of these modules (the runner's, the sanctioned ones)?
    A text test on the modules' last names: `invoke` for `ledger.runner.invoke`."""
    names = {pattern.rsplit(".", 1)[-1] for pattern in modules}
    return any(name and "*" not in name and "?" not in name and name in source for name in names)


def execution_offsets(source: str, methods: tuple[str, ...]) -> list[int]:
    """Sorted offsets of the text that may reference an execution method: `.run` (whitespace
    and line continuations allowed after the dot, no name character after the method) or
    `getattr(x, "run")`."""
    found: set[int] = set(_getattr_calls(source))
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
        # `getattr(` a little before the quote, whatever its first argument.
        for call in _getattr_calls(source, max(0, quote - GETATTR_WINDOW), quote):
            return call
    return None


def _getattr_calls(source: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets of `getattr(` calls in `source[start:end]`, nearest the end first."""
    found = []
    stop = len(source) if end is None else end
    call = source.rfind("getattr", start, stop)
    while call >= 0:
        after = call + len("getattr")
        while after < stop and source[after].isspace():
            after += 1
        starts_a_name = call == 0 or not _is_name_char(source, call - 1)
        if after < len(source) and source[after] == "(" and starts_a_name:
            found.append(call)
        call = source.rfind("getattr", start, call)
    return found


def _is_name_char(source: str, position: int) -> bool:
    if position >= len(source):
        return False
    char = source[position]
    return char.isalnum() or char == "_"
