"""The reliability corpus: every Python file of the standard library and of every site-packages
directory of the running environment (thousands of files nobody here wrote).

`PHASE12_FULL_CORPUS=1` turns the sampled runs of the reliability tests into full runs.
"""

from __future__ import annotations

import os
import site
import sysconfig
from functools import lru_cache
from pathlib import Path

FULL = os.environ.get("PHASE12_FULL_CORPUS", "") not in ("", "0")
# Configuration that excludes nothing, so every file reaches every gate.
NOTHING_EXCLUDED = "exclude = []\n"


def corpus_roots() -> list[Path]:
    roots = [Path(sysconfig.get_paths()["stdlib"])]
    packages = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        packages.append(site.getusersitepackages())
    roots.extend(Path(path) for path in packages if Path(path).is_dir())
    return roots


@lru_cache(maxsize=1)
def corpus_files() -> tuple[Path, ...]:
    """Every `*.py` below the roots, once, in a stable order. A site-packages directory below
    the standard library (a base interpreter's own) belongs to another environment: skipped."""
    found: dict[Path, None] = {}
    for root in corpus_roots():
        for path in sorted(root.rglob("*.py")):
            below = path.relative_to(root).parts
            if root.name != "site-packages" and "site-packages" in below:
                continue
            if path.is_file():
                found.setdefault(path, None)
    return tuple(found)


def read_source(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def sample(files: tuple[Path, ...], size: int, text: str = ".run(") -> list[Path]:
    """A deterministic spread of `size` files: half taken from files containing `text` (so
    GOV101's text gate opens and its check really runs), the rest across the whole corpus."""
    if size >= len(files):
        return list(files)
    mentioning = [path for path in files if text in (read_source(path) or "")]
    chosen = dict.fromkeys(_spread(mentioning, size // 2))
    for path in _spread(files, size):
        if len(chosen) >= size:
            break
        chosen.setdefault(path, None)
    return list(chosen)


def _spread(items, size: int) -> list:
    if size <= 0 or not items:
        return []
    step = max(1, len(items) // size)
    return list(items[::step][:size])
