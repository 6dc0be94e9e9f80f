"""Building a `Surface` from a tree on disk: griffe for the Python API, the project model for the rest.

griffe loads the packages statically (`allow_inspection=False`: nothing is imported or run), and
gives modules, classes, functions with their parameters, class and instance attributes (those
assigned in `__init__`), dataclass fields with the synthesized `__init__`, `__all__`, and
import aliases; a folder without `__init__.py` inside a package (a namespace subpackage, which
griffe leaves out of the package) is loaded apart and put in its place. The project model
(`flake8_phase12.model`), built for the compared tree at its own root, adds what griffe does not
read: the routes served (`model.interface.served_routes`), the key sets of the dicts functions
return (with the keys of the project functions whose dicts they merge) and the exceptions they
raise.

Publicness follows griffe (no leading underscore; `__all__` decides when present; imports are
private) with one addition: a package `__init__` without `__all__` that imports an object of
the analysed tree re-exports it, since `from pkg import Engine` is how such a name is used.
When a public re-export points into a private module (`from ._impl import Engine`), the class's
members are recorded under the public path too, so moving code between private modules is not
a change while changing what `pkg.Engine` offers is.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import griffe

from flake8_phase12.compat.discovery import (
    TopLevel,
    find_top_levels,
    is_skipped_module_file,
    namespace_subpackages,
)
from flake8_phase12.compat.model import ApiObject, Param, Route, Surface
from flake8_phase12.config import ConfigError
from flake8_phase12.config.model import Config
from flake8_phase12.model.facts import Class, Field, Module, text
from flake8_phase12.model.interface import (
    Shapes,
    declared_response,
    function_shapes,
    raised_classes,
    return_shapes,
    served_routes,
)
from flake8_phase12.model.project import ProjectModel, parse_expression

MODEL_BASES = ("BaseModel", "BaseSettings", "SQLModel", "RootModel")
PROTOCOL_BASES = ("typing.Protocol", "typing_extensions.Protocol", "Protocol")
# Bases whose removal changes nothing a caller relies on.
IGNORED_BASES = frozenset({"object", "abc.ABC", "ABC", "typing.Generic", "Generic", *PROTOCOL_BASES})


def load_surface(project_root: Path, config: Config, *, origin: str, strict: bool,
                 skip_unparsable: bool = False, cache: bool = True) -> Surface:
    """The surface of the tree at `project_root`, over the configured `compat.paths`.

    `strict` is for the working tree: a missing path or a file that cannot be read or parsed is
    a `ConfigError` (the check cannot vouch for what it cannot read). In an old tree such files
    become warnings; so do files that do not parse with `skip_unparsable` (the audit, which
    reports them as GOV001 findings of their own). `cache=False` keeps the facts of a tree that
    lives only for this run (a git ref unpacked into a temporary folder) out of the disk store.
    """
    root = project_root.resolve()
    surface = Surface(origin=origin)
    tops = find_top_levels(root, config.compat.paths, config.all_excludes, require_paths=strict,
                           stored=cache)
    model = ProjectModel(root, _model_roots(root, tops), config.all_excludes, cache=cache)
    facts, problems, unparsable = _read_modules(root, tops, config.all_excludes, model)
    if skip_unparsable:
        surface.warnings.extend(f"{origin}: {problem}; its API is not compared" for problem in unparsable)
    else:
        problems += unparsable
    if problems and strict:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(f"cannot check compatibility: {problems[0]}{more}")
    surface.warnings.extend(f"{origin}: {problem}; its API is not compared" for problem in problems)
    walker = _Walker(surface, root, config.all_excludes, _source_facts(model, facts))
    for module in _load_with_griffe(tops, surface, root, config.all_excludes):
        walker.module(module, module.path, public=True)
    _label_classes(surface)
    surface.routes = _routes(model, facts, config.api.route_modules)
    surface.plugin_bases = _plugin_bases(surface, config.plugin_base_classes)
    return surface


def _read_modules(root: Path, tops: list[TopLevel], excludes: tuple[str, ...], model: ProjectModel
                  ) -> tuple[list[Module], list[str], list[str]]:
    """The model's facts of every module file, under the name compat gives it; apart, the files
    that cannot be read and those that do not parse."""
    parsed: list[Module] = []
    problems: list[str] = []
    unparsable: list[str] = []
    for top in tops:
        for file in _module_files(top, root, excludes):
            relative = _relative(file, root)
            try:
                source = file.read_bytes()
                tree = ast.parse(source, filename=relative)
            except SyntaxError as exc:
                unparsable.append(f"{relative}:{exc.lineno or 1}: syntax error: {exc.msg}")
                continue
            except ValueError as exc:  # null bytes
                unparsable.append(f"{relative}: cannot parse: {exc}")
                continue
            except OSError as exc:
                problems.append(f"{relative}: cannot read: {exc}")
                continue
            parts = list(file.relative_to(top.search_root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            parsed.append(model.facts_from_tree(tree, file, name=".".join(parts)))
    return parsed, problems, unparsable


def _model_roots(root: Path, tops: list[TopLevel]) -> list[Path]:
    """Where the model finds modules by import name: the folders compat found the top-level
    names in (deepest first, as a source root below another wins), then the tree's root."""
    folders = sorted({top.search_root.resolve() for top in tops} - {root},
                     key=lambda folder: (-len(folder.parts), str(folder)))
    return [*folders, root]


def _module_files(top: TopLevel, root: Path, excludes: tuple[str, ...]) -> Iterator[Path]:
    single = top.search_root / f"{top.name}.py"
    package = top.search_root / top.name
    if package.is_dir():
        for file in sorted(package.rglob("*.py")):
            relative = PurePosixPath(_relative(file, root))
            if not is_skipped_module_file(relative, excludes) and all(
                    part.isidentifier() for part in file.relative_to(top.search_root).with_suffix("").parts):
                yield file
    elif single.is_file():
        yield single


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()


@contextlib.contextmanager
def _quiet_griffe() -> Iterator[None]:
    # griffe logs every unresolvable import; our own warnings say what matters.
    logger = logging.getLogger("griffe")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _load_with_griffe(tops: list[TopLevel], surface: Surface, root: Path,
                      excludes: tuple[str, ...]) -> list[griffe.Module]:
    if not tops:
        return []
    search_paths: list[Path] = []
    for top in tops:
        if top.search_root not in search_paths:
            search_paths.append(top.search_root)
    loader = griffe.GriffeLoader(search_paths=search_paths, allow_inspection=False, store_source=False)
    modules: list[griffe.Module] = []
    with _quiet_griffe():
        for top in tops:
            try:
                # Never a path relative to the working directory: that would load whatever
                # package of the same name sits there instead of the tree being compared.
                loaded = loader.load(top.name, try_relative_path=False)
            except (ImportError, griffe.LoadingError, OSError, ValueError, SyntaxError) as exc:
                surface.warnings.append(f"{surface.origin}: cannot load {top.name}: {exc}")
                continue
            if isinstance(loaded, griffe.Module):
                _graft_namespaces(loader, loaded, top.search_root / top.name, root, excludes, surface)
                modules.append(loaded)
        loader.resolve_aliases(implicit=False, external=False)
    return modules


def _graft_namespaces(loader: griffe.GriffeLoader, package: griffe.Module, folder: Path, root: Path,
                      excludes: tuple[str, ...], surface: Surface) -> None:
    """griffe loads a regular package without the folders in it that have no `__init__.py`
    (namespace subpackages, such as `prism/api/`): each is loaded on its own, with the same
    collection so that imports between them resolve, and put in its place in the package."""
    if not folder.is_dir():
        return
    for parts, directory in namespace_subpackages(folder, root, excludes):
        parent: griffe.Object = package
        try:
            for part in parts[:-1]:
                parent = parent.members[part]  # type: ignore[assignment]
        except KeyError:
            continue
        name = parts[-1]
        if name in loader.modules_collection.members or name in parent.members:
            continue  # a top-level module of that name is loaded already: never shadow it
        nested = griffe.GriffeLoader(search_paths=[directory.parent], allow_inspection=False,
                                     store_source=False, modules_collection=loader.modules_collection,
                                     lines_collection=loader.lines_collection)
        try:
            loaded = nested.load(name, try_relative_path=False)
        except (ImportError, griffe.LoadingError, OSError, ValueError, SyntaxError) as exc:
            surface.warnings.append(f"{surface.origin}: cannot load {package.path}.{'.'.join(parts)}: {exc}")
            continue
        finally:
            loader.modules_collection.members.pop(name, None)
        if isinstance(loaded, griffe.Module):
            parent.set_member(name, loaded)


class _Walker:
    """Turns griffe objects into `ApiObject` records under the paths users import them by."""

    def __init__(self, surface: Surface, root: Path, excludes: tuple[str, ...], facts: _SourceFacts) -> None:
        self.surface = surface
        self.root = root
        self.excludes = excludes
        self.facts = facts
        self._expanding: set[str] = set()
        self._relative_files: dict[str, str] = {}

    def module(self, module: griffe.Module, path: str, *, public: bool) -> None:
        file = self._file(module)
        if is_skipped_module_file(PurePosixPath(file), self.excludes):
            return
        public = public and not module.name.startswith("_")
        self.surface.add(ApiObject(path=path, kind="module", file=file, line=1, public=public))
        for name, member in module.members.items():
            self.member(member, f"{path}.{name}", parent_public=public, owner=module)

    def member(self, member: griffe.Object | griffe.Alias, path: str, *, parent_public: bool,
               owner: griffe.Object) -> None:
        if member.is_alias:
            self.alias(member, path, parent_public=parent_public, owner=owner)  # type: ignore[arg-type]
            return
        public = parent_public and member.is_public
        if member.is_module:
            self.module(member, path, public=public)  # type: ignore[arg-type]
            return
        record = self.record(member, path, public=public)  # type: ignore[arg-type]
        if record is None:
            return
        self.surface.add(record)
        if member.is_class and public:
            # Members of a private class are not API; a public class's private members are
            # recorded (as not public) so a rename to `_name` can be recognised.
            for name, child in member.members.items():
                self.member(child, f"{path}.{name}", parent_public=public,
                            owner=member)  # type: ignore[arg-type]

    def alias(self, alias: griffe.Alias, path: str, *, parent_public: bool, owner: griffe.Object) -> None:
        try:
            target = alias.final_target
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            target = None
        exported = alias.is_exported
        package_init = owner.is_module and self._file(owner).endswith("__init__.py")
        reexport = (package_init and not owner.exports  # type: ignore[union-attr]
                    and not alias.name.startswith("_") and target is not None)
        public = parent_public and (exported or reexport)
        line = alias.alias_lineno or 1
        if target is None:
            if public:  # an external name listed in `__all__` is still part of the API
                self.surface.add(ApiObject(path=path, kind="attribute", file=self._file(owner), line=line,
                                           public=True, labels=("external",), target=alias.target_path))
            return
        if target.is_module:
            self.surface.add(ApiObject(path=path, kind="module", file=self._file(target), line=1,
                                       public=public, target=target.path))
            return
        record = self.record(target, path, public=public)
        if record is None:
            return
        self.surface.add(dataclasses.replace(record, target=target.path))
        expand = target.is_class and public and not _publicly_reachable(target)
        if expand and target.path not in self._expanding:
            self._expanding.add(target.path)
            try:
                for name, child in target.members.items():
                    self.member(child, f"{path}.{name}", parent_public=True, owner=target)
            finally:
                self._expanding.discard(target.path)

    def record(self, obj: griffe.Object, path: str, *, public: bool) -> ApiObject | None:
        file = self._file(obj)
        line = obj.lineno or (obj.parent.lineno if obj.parent is not None else None) or 1
        labels = set(obj.labels)
        if obj.is_class:
            bases = tuple(_base_name(base) for base in obj.bases)  # type: ignore[union-attr]
            if any(base in PROTOCOL_BASES for base in bases):
                labels.add("protocol")
            return ApiObject(path=path, kind="class", file=file, line=line, public=public,
                             labels=tuple(sorted(labels)), bases=bases)
        if obj.is_function:
            return ApiObject(path=path, kind="function", file=file, line=line, public=public,
                             parameters=_call_parameters(obj),  # type: ignore[arg-type]
                             labels=tuple(sorted(labels)),
                             raises=self.facts.raises.get(obj.path, ()),
                             shapes=self.facts.shapes.get(obj.path),
                             returns=_annotation(obj.returns))  # type: ignore[union-attr]
        if obj.is_attribute or obj.kind.value == "type alias":
            value = getattr(obj, "value", None)
            annotation = getattr(obj, "annotation", None)
            if _is_logger(value):
                public = False  # `log = logging.getLogger(__name__)` is the module's plumbing
            return ApiObject(path=path, kind="attribute", file=file, line=line, public=public,
                             labels=tuple(sorted(labels)), has_value=value is not None,
                             annotation=None if annotation is None else str(annotation),
                             aliases=self.facts.aliases.get(obj.path, ()))
        return None

    def _file(self, obj: griffe.Object) -> str:
        filepath = obj.filepath
        if isinstance(filepath, list):  # a namespace package: its directories
            filepath = filepath[0]
        key = str(filepath)
        # Resolving is a system call per path component; thousands of objects share few files.
        if key not in self._relative_files:
            self._relative_files[key] = _relative(Path(filepath), self.root)
        return self._relative_files[key]


def _annotation(value: object) -> str:
    return "" if value is None else str(value)


def _publicly_reachable(obj: griffe.Object) -> bool:
    """Whether every step of the object's canonical path is public."""
    current: griffe.Object | None = obj
    while current is not None:
        if current.is_module:
            if current.name.startswith("_"):
                return False
        elif not current.is_public:
            return False
        current = current.parent  # type: ignore[assignment]
    return True


def _base_name(base: object) -> str:
    name = getattr(base, "canonical_path", None) or str(base)
    return str(name).split("[", 1)[0]


def _call_parameters(function: griffe.Function) -> tuple[Param, ...]:
    """The parameters a caller passes: without the implicit `self`/`cls` of methods."""
    params = list(function.parameters)
    in_class = function.parent is not None and function.parent.is_class
    if in_class and "staticmethod" not in function.labels and params and params[0].kind.value in (
            "positional-only", "positional or keyword"):
        params = params[1:]
    return tuple(
        Param(name=param.name, kind=param.kind.value,
              default=(None if param.default is None or param.kind.value.startswith("variadic")
                       else str(param.default)),
              annotation=None if param.annotation is None else str(param.annotation))
        for param in params
    )


def _label_classes(surface: Surface) -> None:
    """Labels that need the whole tree: pydantic-like models and exception classes."""
    for path, obj in list(surface.objects.items()):
        if obj.kind != "class":
            continue
        ancestors = {name.rsplit(".", 1)[-1] for name in surface.ancestors(obj)}
        labels = set(obj.labels)
        if ancestors & set(MODEL_BASES):
            labels.add("model")
        if any(is_exception_name(name) for name in ancestors):
            labels.add("exception")
        if labels != set(obj.labels):
            surface.objects[path] = dataclasses.replace(obj, labels=tuple(sorted(labels)))


def is_exception_name(name: str) -> bool:
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        return True
    return name.endswith(("Error", "Exception"))


@dataclasses.dataclass
class _SourceFacts:
    """What the model reads that griffe does not, by dotted path: the exceptions each function
    raises, the key sets of the dicts it returns (only those that return one), and the wire
    names of the fields that declare aliases (`_wire_aliases`)."""

    raises: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    shapes: dict[str, Shapes] = dataclasses.field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)


def _source_facts(model: ProjectModel, facts: list[Module]) -> _SourceFacts:
    found = _SourceFacts()
    for fact in facts:
        for function in fact.functions:
            path = f"{fact.name}.{function.qualname}"
            found.raises[path] = raised_classes(function)
            shape = return_shapes(model, fact, function)
            if shape is not None:
                found.shapes[path] = shape
        for cls in fact.classes:
            for item in cls.fields:
                if item.wire:
                    found.aliases[f"{fact.name}.{cls.qualname}.{item.name}"] = _wire_aliases(item, cls)
    return found


def _wire_aliases(item: Field, cls: Class) -> tuple[str, ...]:
    """`validation_alias=plugin`, `alias=a|b` (`AliasChoices("a", "b")`), `alias=?` (a name
    the source does not spell), and `by_name` when the model also accepts field names."""
    found = []
    for keyword, written in item.wire:
        node = parse_expression(written)
        names: list[str] = []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        elif isinstance(node, ast.Call) and text(node.func).rsplit(".", 1)[-1] == "AliasChoices" \
                and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args):
            names = [arg.value for arg in node.args]  # type: ignore[attr-defined]
        found.append(f"{keyword}={'|'.join(names) if names else '?'}")
    config = dict(cls.constants).get("model_config", "").replace(" ", "")
    if "populate_by_name=True" in config or "validate_by_name=True" in config:
        found.append("by_name")
    return tuple(found)


def _routes(model: ProjectModel, facts: list[Module], route_modules: tuple[str, ...]) -> list[Route]:
    return [Route(method=served.method, path=served.path, handler=served.handler, file=served.file,
                  line=served.line, shapes=function_shapes(model, served.function),
                  returns=declared_response(model.function(served.function)))
            for served in served_routes(model, facts, route_modules)]


def _plugin_bases(surface: Surface, names: tuple[str, ...]) -> tuple[str, ...]:
    found = []
    for path, obj in surface.objects.items():
        if obj.kind == "class" and any(path == name or path.endswith("." + name) for name in names):
            found.append(path)
    return tuple(sorted(found))


def _is_logger(value: object) -> bool:
    """Whether an attribute's value is a logger (`logging.getLogger(...)`, `getLogger(...)`,
    `structlog.get_logger()`): no caller's API, so adding or dropping one breaks nothing."""
    written = "" if value is None else str(value)
    called = written.split("(", 1)[0].rsplit(".", 1)[-1] if written.endswith(")") else ""
    return called in ("getLogger", "get_logger")
