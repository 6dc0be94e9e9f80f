"""Comparing a Phase 11 surface with the working tree's: every breaking change, nothing additive.

The walk goes over the old public objects. A name that is still importable in the new tree (as
the object itself, through an alias, or inherited from a base class) is compared; a name that is
gone is a removal, or probably a rename when exactly one new name of the same kind and shape
appeared in the same scope (or, for a move, under the same name elsewhere). Routes and handler
return shapes are compared by method and path. Anything under a plugin base class is reported
as a plugin interface change, whatever the underlying change.
"""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict
from dataclasses import dataclass, field

from flake8_phase12.catalog import Rule
from flake8_phase12.compat import rules
from flake8_phase12.compat.model import ApiObject, Route, Surface, render_signature
from flake8_phase12.compat.signatures import ParameterChange, compare_parameters
from flake8_phase12.model.facts import OPEN_KEYS

Shapes = tuple[tuple[str, ...], ...]
IGNORED_BASES = frozenset({"object", "abc.ABC", "ABC", "typing.Generic", "Generic", "typing.Protocol",
                           "typing_extensions.Protocol", "Protocol"})

PARAMETER_FIXES = {
    "parameter-removed": "restore the parameter (it may be ignored, or accepted through **kwargs)",
    "parameter-renamed": "keep the Phase 11 name (callers pass it by keyword)",
    "parameter-moved": "restore the Phase 11 order of the positional parameters",
    "parameter-kind-changed": "keep the parameter's Phase 11 kind (positional or keyword)",
    "parameter-required": "give the parameter its default again",
    "parameter-added-required": "give the new parameter a default (only optional parameters may be added)",
    "default-changed": "restore the Phase 11 default (pass the new value explicitly where it is needed)",
}


@dataclass(frozen=True)
class Change:
    """One breaking change before it becomes a `BreakingChange` (see `report`)."""

    rule: Rule
    kind: str
    path: str
    file: str
    line: int
    old: str
    new: str
    values: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # The plain description and fix, used when the change is re-filed as a plugin interface change.
    change: str = ""
    fix: str = ""

    def message(self) -> str:
        return self.rule.message.format(**self.values)


def compare_surfaces(old: Surface, new: Surface) -> tuple[list[Change], list[str]]:
    """The breaking changes from `old` to `new`, sorted by file and line, and warnings."""
    comparison = _Comparison(old, new)
    comparison.run()
    return comparison.sorted_changes(), comparison.warnings


class _Comparison:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.warnings: list[str] = []
        self.plugin_bases = set(old.plugin_bases)
        self._route_handlers = {route.handler for route in old.routes}
        self._classes_by_name: dict[str, list[ApiObject]] = defaultdict(list)
        for obj in new.objects.values():
            if obj.kind == "class":
                self._classes_by_name[obj.name].append(obj)

    # -- driver -------------------------------------------------------------------------------

    def run(self) -> None:
        removed: list[ApiObject] = []
        gone_prefixes: list[str] = []
        for path in sorted(self.old.objects):
            old_obj = self.old.objects[path]
            if not old_obj.public or any(path.startswith(prefix) for prefix in gone_prefixes):
                continue
            new_obj = self.new.resolve(path)
            if new_obj is None:
                removed.append(old_obj)
                gone_prefixes.append(path + ".")
                continue
            self.compare_objects(old_obj, new_obj, path)
        self.report_removals(removed)
        self.compare_plugin_interfaces()
        self.compare_routes()
        self.drop_duplicates()

    def add(self, change: Change) -> None:
        if self._under_plugin_base(change.path) and change.rule is not rules.CHANGED_PLUGIN_INTERFACE:
            change = Change(rules.CHANGED_PLUGIN_INTERFACE, change.kind, change.path, change.file,
                            change.line, change.old, change.new,
                            {"name": change.path, "change": change.change, "fix": change.fix},
                            change.change, change.fix)
        self.changes.append(change)

    def _under_plugin_base(self, path: str) -> bool:
        return any(path == base or path.startswith(base + ".") for base in self.plugin_bases)

    def sorted_changes(self) -> list[Change]:
        return sorted(self.changes, key=lambda change: (change.file, change.line, change.rule.code,
                                                        change.path, change.kind, change.old))

    # -- objects present on both sides --------------------------------------------------------

    def compare_objects(self, old: ApiObject, new: ApiObject, path: str) -> None:
        if old.kind != new.kind:
            described = f"it was {_article(old.kind)} and is now {_article(new.kind)}"
            self.add(_signature_change(path, new, "kind-changed", old.kind, new.kind, described,
                                       f"keep {path} {_article(old.kind)}"))
            return
        if old.kind == "function":
            self.compare_functions(old, new, path)
        elif old.kind == "class":
            self.compare_classes(old, new, path)

    def compare_functions(self, old: ApiObject, new: ApiObject, path: str) -> None:
        noun = "method" if self._is_class(self.old, old.parent_path) else "function"
        if old.has_label("async") != new.has_label("async"):
            became = ("became a coroutine function (async def)" if new.has_label("async")
                      else "is no longer async")
            fix = "keep the Phase 11 calling convention (add an async variant beside it)"
            self.add(_signature_change(path, new, "async-changed", _def(old), _def(new), became, fix,
                                       noun=noun))
        if old.parameters is not None and new.parameters is not None:
            for parameter_change in compare_parameters(old.parameters, new.parameters):
                self.add(_parameter_change(f"{noun} {path}", path, new, old, parameter_change))
        self.compare_raises(old, new, path)
        self.compare_function_shapes(old, new, path, noun)

    def compare_classes(self, old: ApiObject, new: ApiObject, path: str) -> None:
        for base in old.bases:
            if base in IGNORED_BASES or self._still_derives(new, base):
                continue
            is_exception = old.has_label("exception")
            rule = rules.CHANGED_EXCEPTION if is_exception else rules.CHANGED_SIGNATURE
            change = f"no longer derives from {base}"
            fix = f"keep {base} among its bases (new bases may be added beside it)"
            if is_exception:
                change += f": Phase 11 `except {base.rsplit('.', 1)[-1]}` handlers stop catching it"
            values = {"name": f"exception class {path}" if is_exception else f"class {path}",
                      "change": change, "fix": fix}
            self.add(Change(rule, "base-removed", path, new.file, new.line, ", ".join(old.bases),
                            ", ".join(new.bases), values, change, fix))
        if old.has_label("model") and new.has_label("model"):
            self.compare_model_fields(old, new, path)

    def compare_model_fields(self, old: ApiObject, new: ApiObject, path: str) -> None:
        """pydantic-style models: fields are constructor keywords, so defaults are API."""
        old_fields = {obj.name: obj for obj in self.old.members_of(old.target or path) if _is_field(obj)}
        old_fields.update({obj.name: obj for obj in self.old.members_of(path) if _is_field(obj)})
        new_fields = {obj.name: obj for obj in self.new.members_of(new.target or path) if _is_field(obj)}
        new_fields.update({obj.name: obj for obj in self.new.members_of(path) if _is_field(obj)})
        for name, old_field in sorted(old_fields.items()):
            new_field = new_fields.get(name)
            if new_field is not None and old_field.has_value and not new_field.has_value:
                self.add(_signature_change(path, new_field, "field-required", "optional", "required",
                                           f"field {name} lost its default, so it is now required",
                                           "give the field its default again", noun="class"))
            if new_field is not None:
                self.compare_wire_names(path, name, old_field, new_field)
        for name, new_field in sorted(new_fields.items()):
            if name not in old_fields and not new_field.has_value and new_field.public:
                self.add(_signature_change(path, new_field, "field-added-required", "", name,
                                           f"new field {name} has no default, so Phase 11 code that "
                                           "builds the model without it fails",
                                           "give the new field a default", noun="class"))

    def compare_wire_names(self, path: str, name: str, old: ApiObject, new: ApiObject) -> None:
        """A model field read or written under another name (`validation_alias="plugin"`):
        Phase 11 clients send and read the old one."""
        old_names, new_names = old.wire_names(), new.wire_names()
        if old_names is None or new_names is None:
            return
        lost = sorted(old_names[0] - new_names[0])
        if lost:
            accepted = ", ".join(repr(item) for item in sorted(new_names[0]))
            self.add(_signature_change(
                path, new, "field-input-renamed", ", ".join(sorted(old_names[0])), accepted,
                f"field {name} is read from {accepted} now, no longer from "
                f"{', '.join(repr(item) for item in lost)}, so Phase 11 clients that send it fail",
                "accept the Phase 11 name too (validation_alias=AliasChoices(...))", noun="class"))
        if old_names[1] != new_names[1]:
            self.add(_signature_change(
                path, new, "field-output-renamed", old_names[1], new_names[1],
                f"field {name} is written as {new_names[1]!r} now (Phase 11: {old_names[1]!r}), so "
                "Phase 11 clients no longer find it", "keep writing it under its Phase 11 name",
                noun="class"))

    def compare_raises(self, old: ApiObject, new: ApiObject, path: str) -> None:
        if not old.raises or not new.raises:
            return  # nothing visible on one side: a helper may raise it now
        for raised in old.raises:
            if self._raise_still_covered(raised, new.raises):
                continue
            change = (f"no longer raises {raised} (it raises {', '.join(new.raises)} now), so Phase 11 "
                      f"`except {raised.rsplit('.', 1)[-1]}` handlers stop catching its errors")
            fix = f"raise {raised} (or a subclass of it) as Phase 11 did"
            self.add(Change(rules.CHANGED_EXCEPTION, "exception-changed", path, new.file, new.line,
                            ", ".join(old.raises), ", ".join(new.raises),
                            {"name": f"function {path}", "change": change, "fix": fix}, change, fix))

    def _still_derives(self, cls: ApiObject, base: str) -> bool:
        ancestors = self.new.ancestors(cls)
        names = {ancestor.rsplit(".", 1)[-1] for ancestor in ancestors}
        wanted = base.rsplit(".", 1)[-1]
        if base in ancestors or wanted in names:
            return True
        return any(_builtin_subclass(name, wanted) for name in names)

    def _raise_still_covered(self, raised: str, new_raises: tuple[str, ...]) -> bool:
        wanted = raised.rsplit(".", 1)[-1]
        for candidate in new_raises:
            name = candidate.rsplit(".", 1)[-1]
            if name == wanted or _builtin_subclass(name, wanted):
                return True
            for cls in self._classes_by_name.get(name, []):
                ancestors = {ancestor.rsplit(".", 1)[-1] for ancestor in self.new.ancestors(cls)}
                if wanted in ancestors or any(_builtin_subclass(ancestor, wanted) for ancestor in ancestors):
                    return True
        return False

    # -- removals and renames -------------------------------------------------------------------

    def report_removals(self, removed: list[ApiObject]) -> None:
        matches = self._rename_matches(removed)
        for old_obj in removed:
            match = matches.get(old_obj.path)
            if match is not None:
                self.add(self._renamed(old_obj, *match))
            else:
                self.add(self._removed(old_obj))

    def _rename_matches(self, removed: list[ApiObject]) -> dict[str, tuple[ApiObject, str]]:
        """Removed path -> (new object, evidence) where exactly one candidate fits, one-to-one."""
        proposals: dict[str, list[ApiObject]] = {}
        claimed: dict[str, int] = defaultdict(int)
        added = [obj for path, obj in self.new.objects.items() if path not in self.old.objects]
        by_parent: dict[str, list[ApiObject]] = defaultdict(list)
        by_name: dict[str, list[ApiObject]] = defaultdict(list)
        for obj in added:
            by_parent[obj.parent_path].append(obj)
            by_name[obj.name].append(obj)
        for old_obj in removed:
            fingerprint = self._fingerprint(self.old, old_obj)
            same_scope = [obj for obj in by_parent.get(old_obj.parent_path, [])
                          if obj.kind == old_obj.kind and self._fingerprint(self.new, obj) == fingerprint]
            if not same_scope and old_obj.kind != "attribute":
                same_scope = [obj for obj in by_name.get(old_obj.name, [])
                              if obj.kind == old_obj.kind and self._fingerprint(self.new, obj) == fingerprint]
            if len(same_scope) == 1:
                proposals[old_obj.path] = same_scope
                claimed[same_scope[0].path] += 1
        matches: dict[str, tuple[ApiObject, str]] = {}
        for path, (candidate,) in proposals.items():
            if claimed[candidate.path] == 1:
                old_obj = self.old.objects[path]
                matches[path] = (candidate, _evidence(old_obj.kind))
        return matches

    def _fingerprint(self, surface: Surface, obj: ApiObject) -> tuple[object, ...]:
        if obj.kind == "function":
            return ("function", obj.parameters, obj.has_label("async"))
        if obj.kind in ("class", "module"):
            members = frozenset(member.name for member in surface.members_of(obj.path) if member.public)
            return (obj.kind, members, tuple(base.rsplit(".", 1)[-1] for base in obj.bases))
        kinds = {"property", "instance-attribute", "class-attribute", "module-attribute"}
        return ("attribute", frozenset(set(obj.labels) & kinds), obj.has_value, obj.annotation)

    def _removed(self, old_obj: ApiObject) -> Change:
        owner = old_obj.parent_path
        if old_obj.kind == "attribute" and self._is_class(self.old, owner):
            change = f"field {old_obj.name} was removed"
            fix = "restore it (a property that returns the new value works)"
            return Change(rules.REMOVED_FIELD, "field-removed", old_obj.path, old_obj.file, old_obj.line,
                          old_obj.name, "", {"name": old_obj.name, "owner": owner}, change, fix)
        kind = _object_noun(self.old, old_obj)
        change = f"{kind} {old_obj.name} was removed"
        fix = "restore it, or keep the old name as an alias of its replacement"
        return Change(rules.REMOVED_PUBLIC_API, f"{kind.replace(' ', '-')}-removed", old_obj.path,
                      old_obj.file, old_obj.line, old_obj.describe(), "",
                      {"kind": kind, "name": old_obj.path}, change, fix)

    def _renamed(self, old_obj: ApiObject, new_obj: ApiObject, evidence: str) -> Change:
        owner = old_obj.parent_path
        same_scope = new_obj.parent_path == old_obj.parent_path
        new_name = new_obj.name if same_scope else new_obj.path
        if old_obj.kind == "attribute" and self._is_class(self.old, owner):
            change = f"field {old_obj.name} was probably renamed to {new_name}"
            fix = "keep the old name too (a property returning the new field)"
            return Change(rules.RENAMED_FIELD, "field-renamed", old_obj.path, new_obj.file, new_obj.line,
                          old_obj.name, new_name,
                          {"name": old_obj.name, "owner": owner, "new_name": new_name}, change, fix)
        kind = _object_noun(self.old, old_obj)
        verb = "renamed" if same_scope else "moved"
        change = f"{kind} {old_obj.name} was probably {verb} to {new_name}"
        fix = "keep the old name as an alias of the new one"
        return Change(rules.RENAMED_PUBLIC_API, f"{kind.replace(' ', '-')}-{verb}", old_obj.path,
                      new_obj.file, new_obj.line, old_obj.path, new_obj.path,
                      {"kind": kind, "name": old_obj.path, "new_name": new_name, "evidence": evidence},
                      change, fix)

    @staticmethod
    def _is_class(surface: Surface, path: str) -> bool:
        obj = surface.objects.get(path)
        return obj is not None and obj.kind == "class"

    # -- plugin interface -----------------------------------------------------------------------

    def compare_plugin_interfaces(self) -> None:
        """New obligations for Phase 11 plugins: abstract methods and protocol members, new or
        made abstract. A base re-exported under another path is the class it points to."""
        for base_path in sorted(self.plugin_bases):
            old_base = self.old.objects.get(base_path)
            new_base = self.new.resolve(base_path)
            if old_base is None or new_base is None or new_base.kind != "class" or not old_base.public:
                continue
            if old_base.target and old_base.target in self.plugin_bases:
                continue  # judged under the path it points to
            old_members = {member.name: member for member in
                           self.old.members_of(old_base.target or base_path) + self.old.members_of(base_path)}
            protocol = new_base.has_label("protocol")
            for member in self.new.members_of(new_base.target or base_path) + self.new.members_of(base_path):
                if not member.public or member.name.startswith("__"):
                    continue
                before = old_members.get(member.name)
                if before is None and (member.has_label("abstractmethod")
                                       or protocol and member.kind == "function"):
                    kind = "abstract method" if member.has_label("abstractmethod") else "protocol member"
                    change = f"new {kind} {member.name} that Phase 11 plugins do not implement"
                elif before is not None and member.has_label("abstractmethod") \
                        and not before.has_label("abstractmethod") and not protocol:
                    change = (f"method {member.name} became abstract, so Phase 11 plugins that do not "
                              "override it can no longer be instantiated")
                else:
                    continue
                fix = "give it a default implementation in the base class instead"
                old_members[member.name] = member
                self.add(Change(rules.CHANGED_PLUGIN_INTERFACE, "plugin-method-added" if before is None
                                else "plugin-method-abstract", f"{base_path}.{member.name}", member.file,
                                member.line, "" if before is None else before.describe(), member.describe(),
                                {"name": base_path, "change": change, "fix": fix}, change, fix))

    # -- routes ---------------------------------------------------------------------------------

    def compare_routes(self) -> None:
        new_routes = {route.key: route for route in self.new.routes}
        new_by_handler: dict[str, list[Route]] = defaultdict(list)
        for route in self.new.routes:
            new_by_handler[route.handler.rsplit(".", 1)[-1]].append(route)
        for old_route in self.old.routes:
            new_route = new_routes.get(old_route.key)
            if new_route is None:
                same_handler = new_by_handler.get(old_route.handler.rsplit(".", 1)[-1], [])
                self.add(self._route_removed(old_route, same_handler))
                continue
            self.compare_shapes(old_route, new_route)

    def _route_removed(self, old_route: Route, same_handler: list[Route]) -> Change:
        handler = old_route.handler.rsplit(".", 1)[-1] or "?"
        if same_handler:
            served = ", ".join(route.describe() for route in same_handler)
            change = f"is no longer served; its handler {handler} now serves {served}"
            where = same_handler[0]
            file, line, new = where.file, where.line, served
        else:
            change = "is no longer served"
            file, line, new = old_route.file, old_route.line, ""
        fix = "keep serving it (add the new route beside it rather than instead of it)"
        return Change(rules.CHANGED_API_ROUTE, "route-removed" if not same_handler else "route-changed",
                      f"{old_route.method} {old_route.path}", file, line, old_route.describe(), new,
                      {"route": old_route.describe(), "handler": handler, "change": change}, change, fix)

    def compare_shapes(self, old_route: Route, new_route: Route) -> None:
        if old_route.shapes is None:
            return
        handler = new_route.handler.rsplit(".", 1)[-1]
        name = f"route handler {handler} ({new_route.describe()})"
        if new_route.shapes is None and _not_a_mapping(new_route.returns):
            self._report_not_a_mapping(name, new_route.handler, new_route.file, new_route.line,
                                       old_route.shapes, new_route.returns)
            return
        if new_route.shapes is None:
            self.warnings.append(
                f"{new_route.file}:{new_route.line}: {new_route.describe()}: the handler no longer returns a "
                "dict literal, so its response shape cannot be compared with Phase 11; check it by hand")
            return
        self._report_missing_keys(name, new_route.handler, new_route.file, new_route.line,
                                  old_route.shapes, new_route.shapes)

    def compare_function_shapes(self, old: ApiObject, new: ApiObject, path: str, noun: str) -> None:
        if old.shapes is None or path in self._route_handlers:
            return  # not visible; route handlers are compared by route
        if new.shapes is None and _not_a_mapping(new.returns):
            self._report_not_a_mapping(f"{noun} {path}", path, new.file, new.line, old.shapes, new.returns)
        elif new.shapes is not None:
            self._report_missing_keys(f"{noun} {path}", path, new.file, new.line, old.shapes, new.shapes)

    def _report_not_a_mapping(self, name: str, path: str, file: str, line: int, old_shapes: Shapes,
                              declared: str) -> None:
        """Phase 11 returned dicts; the new code declares it returns something that is none
        (`-> list`, `response_model=list[Item]`): every Phase 11 key is gone."""
        keys = sorted({key for shape in old_shapes for key in shape} - {OPEN_KEYS})
        if not keys:
            return
        keys_text = ", ".join(repr(key) for key in keys)
        change = f"{name} is declared to return {declared} now, so it no longer returns the key(s) " \
            f"{keys_text}"
        fix = "return the Phase 11 object again (a list may go under a new key of it)"
        self.add(Change(rules.CHANGED_RETURN_SHAPE, "return-type-changed", path, file, line,
                        " | ".join("{" + ", ".join(shape) + "}" for shape in old_shapes), declared,
                        {"name": f"{name}, declared to return {declared} now,", "keys": keys_text},
                        change, fix))

    def _report_missing_keys(self, name: str, path: str, file: str, line: int,
                             old_shapes: Shapes, new_shapes: Shapes) -> None:
        """Each Phase 11 key set must survive in some new return; report the keys that did not.

        The new return that shares the most keys with an old one is taken as its successor. A
        new dict that unpacks another mapping (`{**base}`) may hold any key: nothing is reported.
        """
        if any(OPEN_KEYS in shape for shape in new_shapes):
            return
        missing_sets: set[tuple[str, ...]] = set()
        for old_shape in old_shapes:
            keys = set(old_shape) - {OPEN_KEYS}
            best = max(new_shapes, key=lambda shape, keys=keys: (len(keys & set(shape)), -len(shape)))
            missing = tuple(sorted(keys - set(best)))
            if missing:
                missing_sets.add(missing)
        for missing in sorted(missing_sets):
            keys_text = ", ".join(repr(key) for key in missing)
            change = f"{name} no longer returns the key(s) {keys_text}"
            fix = "return them again (new keys may be added, none removed)"
            self.add(Change(rules.CHANGED_RETURN_SHAPE, "return-key-removed", path, file, line,
                            " | ".join("{" + ", ".join(shape) + "}" for shape in old_shapes),
                            " | ".join("{" + ", ".join(shape) + "}" for shape in new_shapes),
                            {"name": name, "keys": keys_text}, change, fix))

    # -- cleanup --------------------------------------------------------------------------------

    def drop_duplicates(self) -> None:
        """A dataclass field removed also removes its `__init__` parameter: report it once."""
        removed_fields = {change.path for change in self.changes
                          if change.kind in ("field-removed", "field-renamed")}
        kept: list[Change] = []
        seen: set[tuple[str, ...]] = set()
        for change in self.changes:
            key = (change.rule.code, change.kind, change.path, change.change, change.old, change.new)
            if key in seen:
                continue
            seen.add(key)
            if change.path.endswith(".__init__") and change.kind.startswith("parameter-"):
                owner = change.path[: -len(".__init__")]
                parameter = change.values.get("parameter", "")
                if f"{owner}.{parameter}" in removed_fields:
                    continue
            kept.append(change)
        self.changes = kept


# Types whose values are never a JSON object or a mapping: what a caller indexes by key is gone.
NOT_MAPPINGS = frozenset({
    "list", "List", "tuple", "Tuple", "set", "Set", "frozenset", "FrozenSet", "Sequence", "MutableSequence",
    "Iterable", "Iterator", "Generator", "AsyncIterator", "AsyncGenerator", "str", "bytes", "int", "float",
    "bool", "None", "NoneType",
})


def _not_a_mapping(annotation: str) -> bool:
    """Whether a declared type (a return annotation, a `response_model`) is never a mapping:
    `list`, `list[dict[str, Any]]`, `tuple[int, str] | None`. Anything unknown may be one."""
    if not annotation:
        return False
    try:
        node = ast.parse(annotation.strip().strip("'\""), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return False
    return _never_a_mapping(node)


def _never_a_mapping(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _never_a_mapping(node.left) and _never_a_mapping(node.right)
    if isinstance(node, ast.Constant):
        return node.value is None
    if isinstance(node, ast.Subscript):
        head = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        if head in ("Optional", "Union"):
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return all(_never_a_mapping(item) for item in items)
        return head in NOT_MAPPINGS
    if isinstance(node, ast.Attribute):
        return node.attr in NOT_MAPPINGS
    return isinstance(node, ast.Name) and node.id in NOT_MAPPINGS


def _signature_change(path: str, where: ApiObject, kind: str, old: str, new: str, change: str, fix: str,
                      noun: str = "") -> Change:
    noun = noun or {"class": "class", "function": "function"}.get(where.kind, "object")
    return Change(rules.CHANGED_SIGNATURE, kind, path, where.file, where.line, old, new,
                  {"name": f"{noun} {path}" if noun != "object" else path, "change": change, "fix": fix},
                  change, fix)


def _parameter_change(name: str, path: str, new: ApiObject, old: ApiObject,
                      change: ParameterChange) -> Change:
    descriptions = {
        "parameter-removed": f"parameter {change.parameter!r} was removed",
        "parameter-renamed": f"parameter {change.parameter!r} was renamed ({change.old} -> {change.new})",
        "parameter-moved": f"positional parameter {change.parameter!r} moved ({change.detail})",
        "parameter-kind-changed": f"parameter {change.parameter!r} changed from {change.old} to {change.new}",
        "parameter-required": f"parameter {change.parameter!r} lost its default and is now required",
        "parameter-added-required": f"new parameter {change.parameter!r} is required",
        "default-changed": f"the default of {change.parameter!r} changed from {change.old} to {change.new}",
    }
    text = descriptions[change.kind]
    fix = PARAMETER_FIXES[change.kind]
    values = {"name": name, "change": text, "fix": fix, "parameter": change.parameter}
    return Change(rules.CHANGED_SIGNATURE, change.kind, path, new.file, new.line,
                  render_signature(old.parameters or ()), render_signature(new.parameters or ()),
                  values, text, fix)


def _def(obj: ApiObject) -> str:
    prefix = "async def " if obj.has_label("async") else "def "
    return prefix + obj.name + render_signature(obj.parameters or ())


def _is_field(obj: ApiObject) -> bool:
    return obj.kind == "attribute" and not obj.has_label("property")


def _object_noun(surface: Surface, obj: ApiObject) -> str:
    if obj.is_alias and obj.has_label("external"):
        return "re-export"
    if obj.kind == "function":
        parent = surface.objects.get(obj.parent_path)
        return "method" if parent is not None and parent.kind == "class" else "function"
    if obj.kind == "attribute":
        return "module attribute"
    return obj.kind


def _evidence(kind: str) -> str:
    return {"function": "signature", "class": "members and bases", "module": "members"}.get(kind, "kind")


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _builtin_subclass(name: str, ancestor: str) -> bool:
    """Whether builtin exception `name` derives from builtin `ancestor` (`KeyError`, `LookupError`)."""
    cls, base = getattr(builtins, name, None), getattr(builtins, ancestor, None)
    return isinstance(cls, type) and isinstance(base, type) and issubclass(cls, base)
