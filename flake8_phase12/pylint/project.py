"""Which names lead into the linted project's own code: the cheap filter before inference.

Inferring `fastapi.Depends(...)` or `subprocess.run` makes astroid build those libraries, which
costs more than linting the module itself, and a library cannot hold this project's plugin
helpers anyway. So a receiver or callee is inferred only when the name it starts from is
defined in the module being linted (a function, class, parameter or variable) or imported from
a module that lives in the project: relatively, or from a top-level package found beside the
module's own package root or in one of the project's source roots (the project model's: `src/`,
pytest's `pythonpath`, setuptools' `where`, ..., and the project root).

A function can only execute a plugin itself when its module's text mentions an execution
method (`.run`, `getattr(..., "run")`); that text test decides, before any inference, whether
a helper's body is searched and whether a call inside a helper is followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from astroid import nodes
from astroid.manager import AstroidManager

from flake8_phase12.analysis.execution_text import may_execute_plugins
from flake8_phase12.model.roots import source_roots
from flake8_phase12.pylint.inference import INFERENCE_ERRORS, SELF_NAMES


@dataclass
class ProjectCode:
    """Answers, from names, paths and text only, whether inference may be worth it."""

    project_root: Path
    execution_methods: tuple[str, ...]
    _packages: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)
    _mentions: dict[str, bool] = field(default_factory=dict, repr=False)
    _roots: dict[str, set[Path]] = field(default_factory=dict, repr=False)

    @cached_property
    def _project_roots(self) -> list[Path]:
        return source_roots(self.project_root)

    def leads_into_project(self, expression: nodes.NodeNG, *, allow_variables: bool,
                           self_depth: int) -> bool:
        """The name `expression` starts from is this project's: `helpers.execute`, `Ocr()`,
        `engine` (a parameter or, with `allow_variables`, any local), or `self`/`cls` followed
        by at most `self_depth` attributes (`self._execute` is the class's own method;
        `self._client.post` may be a library's)."""
        root, depth = expression, 0
        while isinstance(root, (nodes.Attribute, nodes.Call, nodes.Subscript)):
            if isinstance(root, nodes.Attribute):
                root, depth = root.expr, depth + 1
            else:
                root = root.func if isinstance(root, nodes.Call) else root.value
        if not isinstance(root, nodes.Name):
            return False
        if root.name in SELF_NAMES:
            return depth <= self_depth
        return any(self._binding_is_local(binding, root, allow_variables)
                   for binding in visible_bindings(root))

    def _binding_is_local(self, binding: nodes.NodeNG, at: nodes.Name, allow_variables: bool) -> bool:
        if isinstance(binding, (nodes.FunctionDef, nodes.ClassDef)):
            return True
        if isinstance(binding, nodes.AssignName):
            return allow_variables or isinstance(binding.parent, nodes.Arguments)
        if isinstance(binding, nodes.ImportFrom):
            return bool(binding.level) or self.is_project_module(binding.modname, at.root())
        if isinstance(binding, nodes.Import):
            for name, alias in binding.names:
                if (alias or name.split(".")[0]) == at.name:
                    return self.is_project_module(name, at.root())
        return False

    def is_project_module(self, dotted: str, importer: nodes.Module) -> bool:
        top = dotted.split(".")[0]
        key = (top, importer.file or importer.name)
        if key not in self._packages:
            self._packages[key] = bool(top) and any(
                (place / top).is_dir() or (place / f"{top}.py").is_file()
                for place in self._places(importer))
        return self._packages[key]

    def _places(self, importer: nodes.Module) -> set[Path]:
        key = importer.file or importer.name
        if key not in self._roots:
            places = set(self._project_roots)
            source_root = _source_root(importer)
            if source_root is not None:
                places.add(source_root)
            self._roots[key] = places
        return self._roots[key]

    # -- "can this code execute a plugin at all?" ---------------------------------------

    def mentions_execution(self, module: nodes.Module) -> bool:
        """The module's text references an execution method (`.run`)."""
        key = module.file or f"<{module.name}>"
        if key not in self._mentions:
            self._mentions[key] = self._text_matches(_module_text(module))
        return self._mentions[key]

    def may_lead_to_execution(self, func: nodes.NodeNG) -> bool:
        """Before inferring `func` (a call inside a helper): the module it comes from, found by
        name without building it, mentions an execution method."""
        root = func
        while isinstance(root, nodes.Attribute):
            root = root.expr
        if not isinstance(root, nodes.Name):
            return False
        if root.name in SELF_NAMES:
            return self.mentions_execution(root.root())
        importer = root.root()
        for binding in visible_bindings(root):
            if isinstance(binding, (nodes.FunctionDef, nodes.ClassDef, nodes.AssignName)):
                if self.mentions_execution(importer):
                    return True
            elif any(self._module_mentions_execution(name, importer)
                     for name in _imported_modules(binding, root.name, importer)):
                return True
        return False

    def _module_mentions_execution(self, dotted: str, importer: nodes.Module) -> bool:
        built = AstroidManager().astroid_cache.get(dotted)
        if built is not None:
            return self.mentions_execution(built)
        parts = dotted.split(".")
        for place in self._places(importer):
            base = place.joinpath(*parts)
            for file in (base.with_name(base.name + ".py"), base / "__init__.py"):
                key = str(file)
                if key not in self._mentions:
                    try:
                        self._mentions[key] = self._text_matches(file.read_text(encoding="utf-8"))
                    except (OSError, UnicodeDecodeError):
                        self._mentions[key] = False
                if self._mentions[key]:
                    return True
        return False

    def _text_matches(self, text: str | None) -> bool:
        return bool(text) and may_execute_plugins(text, self.execution_methods)


def visible_bindings(name: nodes.Name) -> list[nodes.NodeNG]:
    """Where `name` may be bound in its module: the nearest enclosing scope defining it (class
    bodies are skipped from inside their methods, as Python does). Builtins give []: they are
    never the project's. A cheap stand-in for astroid's `lookup`, which filters by control flow
    but costs far more, and this only decides whether inference is worth trying."""
    scope = name.scope()
    first = True
    while scope is not None:
        if (first or not isinstance(scope, nodes.ClassDef)) and name.name in scope.locals:
            return scope.locals[name.name]
        first = False
        parent = scope.parent
        scope = parent.scope() if parent is not None else None
    return []


def _imported_modules(binding: nodes.NodeNG, name: str, importer: nodes.Module) -> list[str]:
    """The modules an imported name may come from: `from pkg import helpers` gives
    `pkg.helpers` (a submodule) and `pkg` (an attribute of the package)."""
    if isinstance(binding, nodes.ImportFrom):
        try:
            package = importer.relative_to_absolute_name(binding.modname, binding.level)
        except INFERENCE_ERRORS:
            return []
        imported = [real for real, alias in binding.names if (alias or real) == name]
        return [*(f"{package}.{real}" for real in imported), package]
    if isinstance(binding, nodes.Import):
        return [real for real, alias in binding.names if (alias or real.split(".")[0]) == name]
    return []


def _module_text(module: nodes.Module) -> str | None:
    if module.file_bytes is not None:
        data = module.file_bytes
        return data if isinstance(data, str) else data.decode("utf-8", errors="replace")
    if not module.file or not module.file.endswith(".py"):
        return None
    try:
        return Path(module.file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _source_root(module: nodes.Module) -> Path | None:
    """The directory the module is imported from: its file's parent, one level up per package."""
    if not module.file:
        return None
    directory = Path(module.file).absolute().parent
    for _ in range(module.name.count(".") + (1 if module.package else 0)):
        directory = directory.parent
    return directory
