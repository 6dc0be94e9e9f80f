"""The one pattern language of the configuration: `fnmatch` semantics, mostly without `fnmatch`.

Every pattern (module patterns, exclude patterns, receiver patterns such as `*registry.get()`)
means what `fnmatch.fnmatchcase` says: `*` any run of characters, `?` any one character,
`[seq]` / `[!seq]` one character in / not in `seq`, every other character literal (an unclosed
`[` too). flake8 starts afresh for every editor keystroke, and compiling a regex costs more than
linting a small file (0.3-0.5 ms each on Python 3.11), so patterns without a `[...]` class (the
patterns users write: names, dotted suffixes, `*` and `?`) are matched by hand here, and only a
pattern with a class pays for `fnmatch`'s regex.

- A module pattern matches a dotted suffix of the module path, name by name: `tool_runner`
  matches `server.app.tool_runner`, never `tool_runner_v2` or half a name. `app.services.*`
  matches `src.app.services` and everything below it; `app.[st]ervices` matches `app.services`.
  Wildcards and classes stay within one name.
- An exclude pattern without `/` matches any name in the relative path (`tests`, `test_*.py`);
  one with `/` matches the path from its start up to a `/` or the end, `*` crossing `/` there.
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache


def glob_match(pattern: str, text: str) -> bool:
    """`fnmatch.fnmatchcase(text, pattern)`: whether all of `text` matches `pattern`."""
    if "[" in pattern and has_character_class(pattern):
        return fnmatch.fnmatchcase(text, pattern)
    if "?" not in pattern:
        stars = pattern.count("*")
        if not stars:
            return pattern == text
        if stars == 1:  # `*_plugin`, `*registry.get()`, `test_*.py`: the usual shapes
            prefix, suffix = pattern.split("*")
            return (len(text) >= len(prefix) + len(suffix) and text.startswith(prefix)
                    and text.endswith(suffix))
    p = t = 0
    star = -1  # position of the last `*` seen in the pattern
    resume = 0  # where in the text that `*` stopped matching
    while t < len(text):
        if p < len(pattern) and pattern[p] == "*":
            star, resume = p, t
            p += 1
        elif p < len(pattern) and (pattern[p] == "?" or pattern[p] == text[t]):
            p += 1
            t += 1
        elif star >= 0:
            # Let the last `*` swallow one more character and try again from there.
            resume += 1
            p, t = star + 1, resume
        else:
            return False
    return pattern[p:].strip("*") == ""


def has_character_class(pattern: str) -> bool:
    """Whether `fnmatch` reads a `[...]` class in `pattern` (`[]` or a lone `[` is literal,
    as in the receiver pattern `plugins[]`)."""
    start = pattern.find("[")
    while start >= 0:
        end = start + 1
        if pattern[end:end + 1] == "!":
            end += 1
        if pattern[end:end + 1] == "]":
            end += 1
        if pattern.find("]", end) >= 0:
            return True
        start = pattern.find("[", start + 1)
    return False


def is_wild(pattern: str) -> bool:
    """Whether `pattern` matches anything but itself."""
    return "*" in pattern or "?" in pattern or has_character_class(pattern)


def _names_match(patterns: tuple[str, ...], names: list[str] | tuple[str, ...]) -> bool:
    return all(glob_match(pattern, name) for pattern, name in zip(patterns, names))


@lru_cache(maxsize=256)
def _module_pattern(pattern: str) -> tuple[bool, tuple[str, ...]]:
    """(whether it covers a whole package, i.e. ends with `.*`; its names)."""
    if pattern.endswith(".*"):
        return True, tuple(pattern[:-2].split("."))
    return False, tuple(pattern.split("."))


def module_pattern_matches(module_path: str, pattern: str) -> bool:
    """Whether one module pattern matches `module_path` (see the module docstring)."""
    if not module_path or not pattern:
        return False
    if not is_wild(pattern):
        return module_path == pattern or module_path.endswith("." + pattern)
    package, wanted = _module_pattern(pattern)
    names = module_path.split(".")
    if not package:
        return len(wanted) <= len(names) and _names_match(wanted, names[-len(wanted):])
    return any(_names_match(wanted, names[start:start + len(wanted)])
               for start in range(len(names) - len(wanted) + 1))


@lru_cache(maxsize=64)
def _exclude_patterns(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """(plain names, names with wildcards, path patterns) of an exclude list."""
    plain: set[str] = set()
    globbed: list[str] = []
    paths: list[str] = []
    for raw in patterns:
        pattern = raw.strip("/")
        if not pattern:
            continue
        if "/" in pattern:
            paths.append(pattern)
        elif is_wild(pattern):
            globbed.append(pattern)
        else:
            plain.add(pattern)
    return frozenset(plain), tuple(globbed), tuple(paths)


def posix_path_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether an exclude pattern matches `path` (a `/`-separated relative path)."""
    plain, globbed, paths = _exclude_patterns(patterns)
    names = path.split("/")
    if plain and not plain.isdisjoint(names):
        return True
    if any(glob_match(pattern, name) for pattern in globbed for name in names):
        return True
    if paths:
        ends = [index for index, char in enumerate(path) if char == "/"] + [len(path)]
        return any(glob_match(pattern, path[:end]) for pattern in paths for end in ends)
    return False
