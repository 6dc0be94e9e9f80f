"""What a check knows about the file it looks at: its tree, path, module path, role and config.

Everything expensive (parent links, the import table) is computed lazily, on first use, because
most files are neither the runner, a service nor a route and should cost next to nothing.
"""

from __future__ import annotations

import ast
import os
from functools import cached_property
from pathlib import PurePath

from flake8_phase12.analysis.globs import module_pattern_matches, posix_path_excluded
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config
from flake8_phase12.records import Record


class Finding(Record):
    """One diagnostic. `line` is 1-based, `col` 0-based (as in `ast` and flake8).

    Records on flake8's start-up path are `Record`s or plain classes, not dataclasses: on
    Python 3.11 a frozen dataclass costs about 1 ms to create, and editors start flake8 often."""

    rule: Rule
    line: int
    col: int
    message: str
    # Where the finding sits (`Class.method`), so baselines survive edits that shift lines.
    anchor: str = ""
    end_line: int | None = None
    end_col: int | None = None

    @property
    def code(self) -> str:
        return self.rule.code


def universal_newlines(text: str) -> str:
    """`text` with every line break a `\n`, as Python's tokenizer reads `\r\n` and a lone `\r`,
    so that lines counted on it are the lines of `ast`, whatever the file's line endings."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_lines(text: str) -> list[str]:
    """The lines as Python numbers them. Not `str.splitlines`, which also breaks at form feeds
    and other characters Python reads as whitespace, and so shifts every line after them."""
    return universal_newlines(text).split("\n")


class FileContext:
    """One file under analysis."""

    def __init__(self, tree: ast.Module, path: str, config: Config, source: str = "",
                 _module_path: str | None = None) -> None:
        self.tree = tree
        self.path = path
        self.config = config
        # Every front end hands the text as it read it (flake8 from stdin keeps a lone `\r`).
        self.source = universal_newlines(source)
        self._module_path = _module_path
        # Results that several checks of this file need (`runner.runner_calls`), computed once.
        self.memo: dict[object, object] = {}

    def __repr__(self) -> str:
        return f"FileContext(path={self.path!r})"

    @cached_property
    def relative_path(self) -> PurePath:
        """The path relative to the project root when it lies below it, else as given."""
        absolute = os.path.abspath(self.path)
        root = self.config.root_prefix
        if absolute.startswith(root):
            return PurePath(absolute[len(root):])
        return PurePath(self.path)

    @cached_property
    def module_path(self) -> str:
        """The dotted path of the file (`server.app.tool_runner`), used to match module patterns."""
        if self._module_path is not None:
            return self._module_path
        return dotted_path(self.relative_path)

    def module_matches(self, *patterns: str) -> bool:
        return module_matches(self.module_path, patterns)

    @cached_property
    def is_excluded(self) -> bool:
        return path_excluded(self.relative_path, self.config.all_excludes)

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        return self._index[0]

    @property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree in `ast.walk` order, from the walk `parents` shares: rules
        scanning the whole file read this rather than walk it again. Do not modify."""
        return self._index[1]

    @cached_property
    def _index(self) -> tuple[dict[ast.AST, ast.AST], list[ast.AST]]:
        """Parent links and every node in `ast.walk` order, from one walk of the tree.

        Written out rather than `ast.walk` plus `ast.iter_child_nodes`, which visit every child
        twice through two generators: this walk is most of a runner module's analysis."""
        links: dict[ast.AST, ast.AST] = {}
        order: list[ast.AST] = [self.tree]
        position = 0
        node_type = ast.AST
        while position < len(order):
            node = order[position]
            position += 1
            for field in node._fields:
                value = getattr(node, field, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, node_type):
                            links[item] = node
                            order.append(item)
                elif isinstance(value, node_type):
                    links[value] = node
                    order.append(value)
        return links, order

    @cached_property
    def imported_names(self) -> dict[str, str]:
        """Local name -> dotted origin for every import in the file (`np` -> `numpy`)."""
        table: dict[str, str] = {}
        for node in self._index[1]:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    table[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom):
                base = "." * node.level + (node.module or "")
                for alias in node.names:
                    table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        return table

    def enclosing(self, node: ast.AST, *kinds: type[ast.AST]) -> ast.AST | None:
        """The nearest ancestor of one of `kinds`, or None."""
        current = self.parents.get(node)
        while current is not None and not isinstance(current, kinds):
            current = self.parents.get(current)
        return current

    def anchor_of(self, node: ast.AST) -> str:
        """`Class.method` style name of the definitions around `node`."""
        names: list[str] = []
        current: ast.AST | None = node
        while current is not None:
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(current.name)
            current = self.parents.get(current)
        return ".".join(reversed(names)) or "<module>"

    def finding(self, rule: Rule, node: ast.AST | None, **values: object) -> Finding:
        line = getattr(node, "lineno", 1) if node is not None else 1
        col = getattr(node, "col_offset", 0) if node is not None else 0
        return Finding(
            rule=rule,
            line=line,
            col=col,
            message=rule.format_message(**values),
            anchor=self.anchor_of(node) if node is not None else "<module>",
            end_line=getattr(node, "end_lineno", None),
            end_col=getattr(node, "end_col_offset", None),
        )


def dotted_path(path: PurePath) -> str:
    parts = list(path.parts)
    if parts and parts[0] in ("/", path.anchor):
        parts = parts[1:]
    if parts:
        last = parts[-1]
        for suffix in (".pyi", ".py"):
            if last.endswith(suffix):
                last = last[: -len(suffix)]
                break
        parts[-1] = last
        if last == "__init__":
            parts.pop()
    return ".".join(part for part in parts if part not in ("", "."))


def module_matches(module_path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Whether a pattern matches a dotted suffix of `module_path`.

    `tool_runner` matches `server.app.tool_runner`; `app.services.*` matches
    `src.app.services.jobs` and the package `src.app.services` itself; a pattern never matches
    half a name (`runner` does not match `tool_runner`). `*` and `?` match within one name.
    """
    return any(module_pattern_matches(module_path, pattern) for pattern in patterns)


def path_excluded(path: PurePath, patterns: tuple[str, ...]) -> bool:
    """gitignore-like matching: a pattern without `/` matches any name in the path; one with
    `/` matches the path relative to the project root (or a directory above the file)."""
    return posix_path_excluded(path.as_posix(), tuple(patterns))
