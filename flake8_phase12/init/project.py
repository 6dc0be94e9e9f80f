"""The codebase `phase12 init` looks at: its Python modules, parsed once and never imported.

Each module has two dotted names: its import name (`server.app.tool_runner`, what import-linter
needs; a `src/` directory is a source root, not a package) and its project name (the path
relative to the project root, `src.server.app.tool_runner`, what the rules' module patterns are
matched against). Directories without `__init__.py` are namespace packages (PEP 420).
"""

from __future__ import annotations

import ast
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePath

from flake8_phase12.analysis.context import dotted_path, path_excluded
from flake8_phase12.analysis.names import dotted_name as _dotted
from flake8_phase12.model.facts import import_base
from flake8_phase12.model.project import ProjectModel, Ref

# Directories that never hold the project's own code.
SKIPPED_DIRECTORIES = frozenset({
    "__pycache__", "node_modules", "build", "dist", "site-packages", "venv", "env",
    "htmlcov", "__pypackages__",
})
MAX_FILE_BYTES = 2_000_000  # larger files are generated code, not roles
MAX_TREE_DEPTH = 120

Definition = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef | ast.Assign | ast.AnnAssign


@dataclass(eq=False)
class SourceModule:
    """One parsed Python file of the project."""

    name: str
    project_name: str
    path: Path
    relative: str
    tree: ast.Module
    is_package: bool

    def __hash__(self) -> int:
        return id(self)

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the module, walked once."""
        return list(ast.walk(self.tree))

    @cached_property
    def calls(self) -> list[ast.Call]:
        return [node for node in self.nodes if isinstance(node, ast.Call)]

    @cached_property
    def functions(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        return [node for node in self.nodes if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        links: dict[ast.AST, ast.AST] = {}
        for node in self.nodes:
            for child in ast.iter_child_nodes(node):
                links[child] = node
        return links

    @cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> absolute dotted target for every import, relative ones resolved."""
        table: dict[str, str] = {}
        for node in self.nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        table[alias.asname] = alias.name
                    else:
                        first = alias.name.split(".")[0]
                        table[first] = first
            elif isinstance(node, ast.ImportFrom):
                base = import_base(node, self.package)
                for alias in node.names:
                    if alias.name != "*":
                        table[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        return table

    @cached_property
    def imported_names(self) -> frozenset[str]:
        """Every dotted name an import statement could refer to: `import a.b` -> `a.b`;
        `from a import b` -> `a` and `a.b` (a module or a name in it)."""
        names: set[str] = set()
        for node in self.nodes:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = import_base(node, self.package)
                if base:
                    names.add(base)
                names.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
        return frozenset(names)

    @cached_property
    def module_aliases(self) -> frozenset[str]:
        """Names bound by `import x` / `import x.y as z`: modules, never plugin objects."""
        names = set()
        for node in self.nodes:
            if isinstance(node, ast.Import):
                names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        return frozenset(names)

    @cached_property
    def attribute_names(self) -> frozenset[str]:
        """Every `.name` and short string constant in the module: a cheap pre-filter."""
        names = set()
        for node in self.nodes:
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 64:
                names.add(node.value)
        return frozenset(names)

    @cached_property
    def source_names(self) -> frozenset[str]:
        """Every name and attribute name used in the module."""
        return self.attribute_names | {node.id for node in self.nodes if isinstance(node, ast.Name)}

    @cached_property
    def definitions(self) -> dict[str, Definition]:
        """Module-level classes, functions and assigned names (also under `if`/`try`)."""
        found: dict[str, Definition] = {}
        for node in module_level_statements(self.tree):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                found[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, node)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found[node.target.id] = node
        return found

    def location(self, node: ast.AST | None) -> str:
        return f"{self.relative}:{getattr(node, 'lineno', 1)}"

    def definition_at(self, qualname: str) -> Definition | None:
        """The class, function or assignment a qualified name (`Class.method`) names."""
        head, _, rest = qualname.partition(".")
        node = self.definitions.get(head)
        for part in rest.split(".") if rest else []:
            if not isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                return None
            node = next((item for item in node.body
                         if isinstance(item, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                         and item.name == part), None)
        return node


def module_level_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """The module's statements, looking inside module-level `if`, `try` and `with` blocks."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop(0)
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With)):
            for part in ("body", "orelse", "finalbody"):
                pending.extend(getattr(node, part, []))
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)


@dataclass(frozen=True)
class Symbol:
    """What a name stands for: a definition in a module, or a module itself (`node` None)."""

    module: SourceModule
    name: str
    node: Definition | None = None


@dataclass
class Project:
    """Every parsed module of the codebase under `root`, by import name."""

    root: Path
    modules: dict[str, SourceModule]
    namespace_packages: tuple[str, ...] = ()
    # Namespace directories below a regular package: import-linter (grimp) does not see them.
    hidden_namespace_packages: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    # Where imports start: `root/src` in a src layout, `root/service` when pytest's pythonpath
    # says so, ..., else `root`.
    source_root: Path | None = None
    # The project model the modules were named by.
    model: ProjectModel | None = None

    @property
    def source_directory(self) -> str:
        """The source root relative to `root` ("src"), or "" when modules import from `root`."""
        if self.source_root is None or self.source_root == self.root:
            return ""
        return self.source_root.relative_to(self.root).as_posix()

    @cached_property
    def project_names(self) -> tuple[str, ...]:
        """Project names of every module and package, for module-pattern uniqueness tests."""
        names = set()
        for module in self.modules.values():
            parts = module.project_name.split(".")
            for end in range(1, len(parts) + 1):
                names.add(".".join(parts[:end]))
        return tuple(sorted(names))

    def resolve(self, module: SourceModule, name: str) -> Symbol | None:
        """The definition `name` refers to in `module`, following imports and re-exports
        (the project model's resolution)."""
        facts = self.model.module(module.name) if self.model is not None else None
        return self.symbol(self.model.resolve(facts, name)) if facts is not None else None

    def resolve_dotted(self, target: str) -> Symbol | None:
        return self.symbol(self.model.resolve_dotted(target)) if self.model is not None else None

    def resolve_expression(self, module: SourceModule, node: ast.AST) -> Symbol | None:
        """`Name` or `module_alias.Name` -> the definition it stands for."""
        written = _dotted(node)
        return self.resolve(module, written) if written else None

    def symbol(self, ref: Ref | None) -> Symbol | None:
        """The model's reference as this project's `Symbol` (module, name, definition node)."""
        if ref is None or ref.module not in self.modules:
            return None
        module = self.modules[ref.module]
        if ref.kind == "module":
            return Symbol(module, ref.module)
        node = module.definition_at(ref.qualname)
        return Symbol(module, ref.qualname.rsplit(".", 1)[-1], node) if node is not None else None

    def imported_modules(self, module: SourceModule) -> set[str]:
        """The project modules `module` imports directly."""
        return {name for name in module.imported_names if name in self.modules and name != module.name}


def scan_project(root: Path, excludes: tuple[str, ...]) -> Project:
    """Parse every Python file below `root` that the checks would look at, each named as the
    code imports it (the project model's source roots: `src/`, pytest's `pythonpath`,
    setuptools' `where`, the folder above the outermost regular package, ...)."""
    root = root.resolve()
    model = ProjectModel(root, exclude=excludes)
    named: list[tuple[Path, ast.Module, str]] = []
    unreadable: list[str] = []
    for path in _python_files(root, excludes):
        tree = _parse(path)
        if tree is None:
            unreadable.append(path.relative_to(root).as_posix())
            continue
        named.append((path, tree, model.name_of(path)))
    source_root = next((directory for directory in model.roots if directory != root), root)
    modules: dict[str, SourceModule] = {}
    for path, tree, _ in named:
        # Named again once every root is known: a later file may have revealed one.
        module = _module(root, model, path, tree)
        if module.name and module.name not in modules:
            modules[module.name] = module
            model.keep_tree(module.name, tree, module.parents)
    namespace, hidden = _namespace_packages(source_root, root, modules.values())
    return Project(root, modules, namespace, hidden, tuple(unreadable), source_root, model)


def _python_files(root: Path, excludes: tuple[str, ...]) -> Iterator[Path]:
    for current, directories, files in os.walk(root):
        relative = Path(current).relative_to(root)
        directories[:] = sorted(
            name for name in directories
            if not _skipped_directory(name)
            and not path_excluded(PurePath(relative / name), excludes))
        for name in sorted(files):
            if name.endswith(".py") and not path_excluded(PurePath(relative / name), excludes):
                yield Path(current) / name


def _namespace_packages(source_root: Path, root: Path, modules) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Import names of the package directories without `__init__.py`, and of those among them
    that sit below a regular package (import-linter's graph does not descend into those)."""
    regular: dict[Path, bool] = {}
    namespace: set[str] = set()
    hidden: set[str] = set()
    for module in modules:
        directory = module.path.parent
        chain = []
        while directory != source_root and directory != root and source_root in directory.parents:
            chain.append(directory)
            directory = directory.parent
        for directory in chain:
            if directory not in regular:
                regular[directory] = (directory / "__init__.py").exists()
        for directory in chain:
            if not regular[directory]:
                name = ".".join(directory.relative_to(source_root).parts)
                namespace.add(name)
                if regular.get(directory.parent, False):
                    hidden.add(name)
    return tuple(sorted(namespace)), tuple(sorted(hidden))


def _skipped_directory(name: str) -> bool:
    return (name.startswith(".") or name in SKIPPED_DIRECTORIES or name.endswith(".egg-info")
            or not name.isidentifier())


def _parse(path: Path) -> ast.Module | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        source = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            tree = ast.parse(source, filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return tree if _depth_within(tree, MAX_TREE_DEPTH) else None


def _depth_within(tree: ast.AST, limit: int) -> bool:
    """Whether no node is nested deeper than `limit` (the analysis recurses on expressions;
    machine-generated expressions thousands of levels deep are skipped, never a crash)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return True


def _module(root: Path, model: ProjectModel, path: Path, tree: ast.Module) -> SourceModule:
    relative = path.relative_to(root)
    return SourceModule(
        name=model.name_of(path) or dotted_path(PurePath(relative)),
        project_name=dotted_path(PurePath(relative)),
        path=path,
        relative=relative.as_posix(),
        tree=tree,
        is_package=path.name == "__init__.py",
    )
