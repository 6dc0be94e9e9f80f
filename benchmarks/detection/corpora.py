"""The practice corpora: Phase 12 servers with single-edit violations, read as data.

A corpus is a folder with `mutants.json` (and optionally `lookalikes.json`, `roles.json`,
`out_of_scope.json`), a compliant tree `clean/` and the Phase 11 tree `phase11/` beside it
(`../shared/corpora/README.md` describes the format). A corpus kept elsewhere in this repository
(the bundled example server) says where its trees are in a `corpus.json`:
`{"clean": "../compliant", "phase11": "../phase11"}`, relative to the folder.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".*_cache", "*.egg-info")


@dataclass(frozen=True)
class Mutant:
    """One edit that breaks one checklist rule."""

    id: str
    section: int
    file: str
    find: str
    replace: str
    why: str
    also_sections: tuple[int, ...] = ()

    @property
    def sections(self) -> frozenset[int]:
        """The sections a finding may name for the mutant to count as detected."""
        return frozenset((self.section, *self.also_sections))


@dataclass(frozen=True)
class Lookalike:
    """A legal line a naive checker flags."""

    file: str
    line: int
    why: str


@dataclass
class Corpus:
    name: str
    folder: Path
    clean: Path
    phase11: Path | None
    mutants: list[Mutant]
    lookalikes: list[Lookalike]
    roles: dict[str, Any]
    out_of_scope: dict[str, str] = field(default_factory=dict)

    def in_scope(self, mutant: Mutant) -> bool:
        return mutant.id not in self.out_of_scope


def _json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default


def load_corpus(folder: Path) -> Corpus:
    """Read one corpus folder; raises ValueError naming the file when it is malformed."""
    folder = folder.resolve()
    layout = _json(folder / "corpus.json", {})
    clean = (folder / layout.get("clean", "clean")).resolve()
    phase11 = (folder / layout.get("phase11", "phase11")).resolve()
    if not clean.is_dir():
        raise ValueError(f"{folder}: no compliant tree at {clean}")
    try:
        mutants = [Mutant(id=item["id"], section=int(item["section"]), file=item["file"],
                          find=item["find"], replace=item["replace"], why=item.get("why", ""),
                          also_sections=tuple(int(s) for s in item.get("also_sections") or ()))
                   for item in _json(folder / "mutants.json", [])]
        lookalikes = [Lookalike(item["file"], int(item["line"]), item.get("why", ""))
                      for item in _json(folder / "lookalikes.json", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{folder}: malformed mutants.json or lookalikes.json ({exc!r})") from None
    return Corpus(name=layout.get("name", folder.name), folder=folder, clean=clean,
                  phase11=phase11 if phase11.is_dir() else None, mutants=mutants,
                  lookalikes=lookalikes, roles=_json(folder / "roles.json", {}),
                  out_of_scope=_out_of_scope(_json(folder / "out_of_scope.json", {})))


def _out_of_scope(data: dict[str, Any]) -> dict[str, str]:
    """Mutant id -> the reason no static check is expected to find it."""
    reason = str(data.get("reason", "out of scope for static checks"))
    reasons = {}
    for key, value in data.items():
        if key in ("ids", "reason") or not isinstance(value, list):
            continue
        for mutant_id in value:
            reasons[mutant_id] = key.replace("_", " ")
    return {mutant_id: reasons.get(mutant_id, reason) for mutant_id in data.get("ids", [])}


def discover(roots: list[Path]) -> list[Corpus]:
    """Every corpus in `roots`: a folder with `mutants.json`, or a folder of such folders."""
    found: list[Corpus] = []
    for root in roots:
        if (root / "mutants.json").is_file():
            found.append(load_corpus(root))
        elif root.is_dir():
            found.extend(load_corpus(child) for child in sorted(root.iterdir())
                         if (child / "mutants.json").is_file())
    return found


def copy_tree(corpus: Corpus, dest: Path) -> Path:
    """Copy the compliant tree to `dest/clean` and the Phase 11 tree to `dest/phase11`, the
    layout the corpora describe (`../phase11` from the project); returns the project copy."""
    project = dest / "clean"
    shutil.copytree(corpus.clean, project, ignore=IGNORED)
    if corpus.phase11 is not None:
        shutil.copytree(corpus.phase11, dest / "phase11", ignore=IGNORED)
    return project


def apply(mutant: Mutant, project: Path) -> Path:
    """Apply one mutant in place; returns the mutated file. The find text must occur once."""
    target = project / mutant.file
    text = target.read_text(encoding="utf-8")
    count = text.count(mutant.find)
    if count != 1:
        raise ValueError(f"{mutant.id}: the find text occurs {count} times in {mutant.file}")
    target.write_text(text.replace(mutant.find, mutant.replace, 1), encoding="utf-8")
    return target
