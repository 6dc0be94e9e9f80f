"""The parsed tree of a project module, for the readers that need more of another module than its
facts: the failure helpers of an imported API module (`model.api`), the definition of an
envelope builder or model (`model.envelope`).

The facts (`model.facts`) are what the model keeps of every module; a tree is kept only for the
few modules these readers ask about, and only while the file is unchanged: every file of a
flake8 run, and each check of one in an editor, reads the same envelope or helper module, so it
is parsed once. The trees are shared: their readers must not change them.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from flake8_phase12.model.roots import MAX_FILE_BYTES, module_file

# The trees kept; the readers ask about a handful of modules (the envelope module, a helpers
# module), so a few are plenty, and an editor's long-lived process does not grow.
MAX_TREES = 16
# Absolute path -> (modification time, size, the tree or None when the file cannot be parsed).
_TREES: dict[str, tuple[int, int, ast.Module | None]] = {}


def module_tree(name: str, roots: list[Path]) -> tuple[Path, ast.Module] | None:
    """The file that defines the module imported as `name` under the project's source `roots`
    (`ProjectModel.roots`), and its tree; None when there is no such file or it cannot be read."""
    path = module_file(name, roots)
    tree = parsed(path) if path is not None else None
    return (path, tree) if path is not None and tree is not None else None


def parsed(path: Path) -> ast.Module | None:
    """The tree of a module file, kept while the file's modification time and size are those it
    was parsed at; None when it cannot be read or parsed, or is over `MAX_FILE_BYTES`."""
    try:
        status = path.stat()
    except OSError:
        return None
    key = os.path.abspath(path)
    kept = _TREES.get(key)
    if kept is not None and kept[:2] == (status.st_mtime_ns, status.st_size):
        return kept[2]
    tree = parse_file(path) if status.st_size <= MAX_FILE_BYTES else None
    _TREES.pop(key, None)  # a changed file takes its old entry's place, at the end
    if len(_TREES) >= MAX_TREES:
        _TREES.pop(next(iter(_TREES)))  # the oldest
    _TREES[key] = (status.st_mtime_ns, status.st_size, tree)
    return tree


def parse_file(path: Path) -> ast.Module | None:
    """The tree of a Python file, None when it cannot be read or parsed (not kept)."""
    try:
        return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
