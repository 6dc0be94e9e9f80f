"""Baselines: accept today's findings so that only new ones are reported (gradual adoption).

A finding's fingerprint is (path relative to the project root, rule code, anchor, normalised
source text of the flagged lines). Line numbers are deliberately not part of it, so an edit that
shifts code up or down leaves the fingerprint alone; whitespace-only edits and trailing comments
(adding a `# noqa`) do too. Identical
fingerprints (the same call twice in one method) are counted: a baseline entry with `count: 2`
accepts two such findings, and a third one is new.

The file is JSON, sorted, one entry per fingerprint, so it diffs well in review:

    {
      "version": 1,
      "tool": "flake8-phase12",
      "entries": [
        {"path": "server/app/services/jobs.py", "code": "GOV101",
         "anchor": "JobManagementService.run_job", "text": "return plugin.run(payload)",
         "count": 1}
      ]
    }

Shared by `phase12 audit`, `phase12 baseline` and the flake8 plugin, so all three agree on what
"the same finding" means. Nothing here imports a host tool.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TypeVar

from flake8_phase12.analysis.context import Finding, source_lines
from flake8_phase12.atomic import WriteError, write_file
from flake8_phase12.config.loader import ConfigError

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".phase12-baseline.json"
TOOL_NAME = "flake8-phase12"
# A flagged node longer than this (a whole function, say) is fingerprinted by its first line
# only, so that editing its body does not turn an accepted finding into a new one.
MAX_FINGERPRINT_LINES = 3
_WHITESPACE = re.compile(r"\s+")

T = TypeVar("T")


class BaselineError(ConfigError):
    """A baseline file that cannot be used; `str()` is the one-line message."""


@dataclass(frozen=True, order=True)
class Fingerprint:
    """What identifies an accepted finding across edits: file, code, enclosing scope and the line's text,
    not its number."""
    path: str
    code: str
    anchor: str
    text: str

    def to_dict(self, count: int) -> dict[str, object]:
        return {"path": self.path, "code": self.code, "anchor": self.anchor, "text": self.text,
                "count": count}


def normalise_text(text: str) -> str:
    """The code of the flagged lines, insensitive to whitespace and comments: each line without
    its trailing comment (adding or removing a `# noqa` changes no fingerprint), stripped, its runs
    of blanks collapsed."""
    lines = (_WHITESPACE.sub(" ", without_comment(line)).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def without_comment(line: str) -> str:
    """`line` up to the `#` that starts a comment: not one in a string literal on the line."""
    quote = ""
    index = 0
    while index < len(line):
        if quote:
            if line[index] == "\\":
                index += 2
                continue
            if line.startswith(quote, index):
                index += len(quote)
                quote = ""
                continue
        elif line[index] in "'\"":
            quote = line[index:index + 3] if line[index:index + 3] in ('"""', "'''") else line[index]
            index += len(quote)
            continue
        elif line[index] == "#":
            return line[:index]
        index += 1
    return line


def flagged_text(lines: Sequence[str], line: int, end_line: int | None) -> str:
    """The normalised source of the flagged lines (1-based, inclusive), or '' if out of range."""
    if line < 1 or line > len(lines):
        return ""
    last = end_line if end_line is not None and end_line >= line else line
    if last - line + 1 > MAX_FINGERPRINT_LINES:
        last = line
    return normalise_text("\n".join(lines[line - 1:last]))


def relative_key(path: str | os.PathLike[str], project_root: Path) -> str:
    """The path as stored in a baseline: posix, relative to the project root when below it."""
    candidate = Path(path)
    absolute = candidate if candidate.is_absolute() else Path.cwd() / candidate
    try:
        return absolute.resolve().relative_to(project_root.resolve()).as_posix()
    except (ValueError, OSError):
        return PurePath(path).as_posix()


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing today's findings with a baseline."""

    new: list
    accepted: int
    # Baseline entries no finding matches any more (fixed, or the code moved): (entry, count).
    stale: list[tuple[Fingerprint, int]]


@dataclass(frozen=True)
class Baseline:
    """The accepted findings of a codebase (`phase12 baseline`): a multiset of fingerprints."""
    entries: Counter
    path: Path | None = None

    @classmethod
    def from_fingerprints(cls, fingerprints: Iterable[Fingerprint]) -> Baseline:
        return cls(Counter(fingerprints))

    def __len__(self) -> int:
        return sum(self.entries.values())

    def compare(self, findings: Sequence[tuple[Fingerprint, T]]) -> Comparison:
        """Split `(fingerprint, finding)` pairs, given in report order, into new and accepted.

        With `count: n` in the baseline the first n findings of that fingerprint are accepted.
        """
        remaining = Counter(self.entries)
        new: list[T] = []
        accepted = 0
        for fingerprint, finding in findings:
            if remaining[fingerprint] > 0:
                remaining[fingerprint] -= 1
                accepted += 1
            else:
                new.append(finding)
        stale = sorted((fingerprint, count) for fingerprint, count in remaining.items() if count > 0)
        return Comparison(new=new, accepted=accepted, stale=stale)

    def for_path(self, path: str) -> Baseline:
        return Baseline(Counter({fp: n for fp, n in self.entries.items() if fp.path == path}),
                        self.path)

    def to_json(self) -> str:
        document = {
            "version": BASELINE_VERSION,
            "tool": TOOL_NAME,
            "entries": [fingerprint.to_dict(count)
                        for fingerprint, count in sorted(self.entries.items())],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: Path) -> None:
        """Write the baseline atomically (a flake8 run reading it never sees half a file),
        keeping the line endings of the file it replaces. Raises `WriteError`."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"{path}: cannot write it ({exc.strerror or exc})") from None
        write_file(path, self.to_json(), preserve_line_endings=True)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; every problem is a `BaselineError` naming the file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found; create it with `phase12 baseline`") \
            from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc.strerror})") from None
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> Baseline:  # pylint: disable=unused-argument
    # Keyed on mtime and size (unused in the body: they only make the cache key): flake8 asks
    # once per file, the file changes rarely.
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{file}: cannot read the baseline ({exc})") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}: not a baseline: invalid JSON at line {exc.lineno} "
                            f"({exc.msg}); recreate it with `phase12 baseline`") from None
    return Baseline(_entries(document, file), file)


def _entries(document: object, file: Path) -> Counter:
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise BaselineError(f"{file}: not a baseline: expected an object with an 'entries' list; "
                            f"recreate it with `phase12 baseline`")
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{file}: baseline version {document.get('version')!r} is not "
                            f"supported (expected {BASELINE_VERSION}); recreate it with "
                            f"`phase12 baseline`")
    entries: Counter = Counter()
    for index, entry in enumerate(document["entries"]):
        entries[_fingerprint(entry, file, index)] += _count(entry, file, index)
    return entries


def _fingerprint(entry: object, file: Path, index: int) -> Fingerprint:
    keys = ("path", "code", "anchor", "text")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in keys):
        raise BaselineError(f"{file}: entry {index} must have string fields "
                            f"{', '.join(keys)}; recreate the baseline with `phase12 baseline`")
    fingerprint = Fingerprint(*(entry[key] for key in keys))
    current = current_code(fingerprint.code)
    if current != fingerprint.code:  # a rule's former code (GOV706 is GOV608): the same finding
        fingerprint = Fingerprint(fingerprint.path, current, fingerprint.anchor, fingerprint.text)
    if is_file_finding(fingerprint):
        # Baselines written before comments left fingerprints still quote them (`# noqa`).
        fingerprint = Fingerprint(fingerprint.path, fingerprint.code, fingerprint.anchor,
                                  normalise_text(fingerprint.text))
    return fingerprint


def _count(entry: dict, file: Path, index: int) -> int:
    count = entry.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise BaselineError(f"{file}: entry {index}: 'count' must be a positive integer, "
                            f"got {count!r}")
    return count


def current_code(code: str) -> str:
    """The code a rule has now, for a code it had before (its `aliases`)."""
    from flake8_phase12.rule_index import find_rule  # only baselines need the catalog here

    rule = find_rule(code)
    return rule.code if rule is not None and code.upper() in rule.aliases else code


def is_file_finding(fingerprint: Fingerprint) -> bool:
    """Whether the finding is about one file, found only when that file is checked (a file
    rule, an unparsable file), rather than by a check of the whole project."""
    from flake8_phase12.rule_index import find_rule  # only baselines need the catalog here

    rule = find_rule(fingerprint.code)
    return fingerprint.code == "GOV001" or (rule is not None and rule.scope == "file")


def covers(prefix: str, path: str) -> bool:
    """Whether `path` (relative to the project root) lies in the audited `prefix` ('' is all)."""
    return not prefix or path == prefix or path.startswith(prefix + "/")


def baseline_path(project_root: Path, configured: str, explicit: str | None = None) -> Path:
    """The baseline file: an explicit path, else `[tool.phase12] baseline`, else the default."""
    chosen = explicit or configured or DEFAULT_BASELINE
    path = Path(chosen).expanduser()
    if explicit:
        return path if path.is_absolute() else Path.cwd() / path
    return path if path.is_absolute() else project_root / path


def clear_cache() -> None:
    _load_cached.cache_clear()


def new_findings_in_file(findings: Sequence[Finding], path: str, project_root: Path,
                         baseline_file: str, source: str) -> list[Finding]:
    """The findings of one file (in position order, `source` its text) that are not in the
    baseline.

    Used by the flake8 and pylint plugins when `[tool.phase12] baseline` is set. Raises
    `BaselineError`.
    """
    baseline = load_baseline(baseline_path(project_root, baseline_file))
    lines = source_lines(source)  # the lines the audit fingerprints, whatever the endings
    key = relative_key(path, project_root)
    keyed = [(Fingerprint(key, finding.code, finding.anchor,
                          flagged_text(lines, finding.line, finding.end_line)), finding)
             for finding in findings]
    return baseline.for_path(key).compare(keyed).new
