"""The classes of one file, as the registry rules of section 5 need them: which class a record
is (from annotations: `self._entries: dict[str, Entry]`, `usage: Usage`), which method a call
on it reaches, which properties are computed from which attributes (`last_execution_time_ms`
over a ring buffer of durations), and whether a mapping raises on a missing key.

Everything is answered from the file alone: a class defined in another module is unknown, and
the callers treat an unknown answer as "cannot tell" (see `analysis.bookkeeping`).
"""

from __future__ import annotations

import ast

from flake8_phase12.analysis.names import annotation_names, last_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# Calls that only read: never a place where bookkeeping could happen unseen.
PURE_CALLS = frozenset({
    "get", "keys", "values", "items", "copy", "isoformat", "format", "join", "strip", "lower",
    "upper", "now", "utcnow", "today", "time", "perf_counter", "monotonic", "time_ns",
    "perf_counter_ns", "monotonic_ns", "len", "isinstance", "issubclass", "hasattr", "getattr",
    "sum", "min", "max", "round", "abs", "float", "int", "str", "bool", "repr", "sorted", "list",
    "tuple", "dict", "set", "frozenset", "id", "type", "iter", "print", "fromtimestamp",
    "total_seconds", "astimezone", "replace_tz", "utc_now", "monotonic_now",
})


# Methods of the built-in containers: a same-file class that happens to define one of these
# names does not make `self._entries.get(name)` a call of it.
CONTAINER_METHODS = frozenset({
    "get", "setdefault", "pop", "popitem", "update", "keys", "values", "items", "copy", "clear",
    "append", "appendleft", "extend", "insert", "remove", "discard", "add", "index", "count",
    "sort", "reverse", "__getitem__", "__setitem__", "__contains__",
})


MAPPING_TYPES = frozenset({"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict",
                           "defaultdict", "DefaultDict", "WeakValueDictionary", "ChainMap"})


SEQUENCE_TYPES = frozenset({"list", "List", "deque", "Deque", "Sequence", "MutableSequence",
                            "tuple", "Tuple"})


CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})


class Classes:
    """The module-level classes of one file, their attribute types, methods and properties."""

    def __init__(self, tree: ast.Module) -> None:
        self.by_name = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        self.functions = {node.name: node for node in tree.body
                          if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self._attributes: dict[ast.ClassDef, dict[str, ast.AST]] = {}
        self._properties: dict[str, set[str]] | None = None

    def of(self, function: FunctionNode, parents: dict[ast.AST, ast.AST]) -> ast.ClassDef | None:
        owner = parents.get(function)
        return owner if isinstance(owner, ast.ClassDef) else None

    def method(self, cls: ast.ClassDef | None, name: str) -> FunctionNode | None:
        """`name` defined in `cls` or a same-file base class of it."""
        seen: set[str] = set()
        while cls is not None and cls.name not in seen:
            seen.add(cls.name)
            for node in cls.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name \
                        and not _is_property(node):
                    return node
            cls = next((self.by_name[base] for base in map(last_name, cls.bases)
                        if base in self.by_name), None)
        return None

    def only_method(self, name: str) -> tuple[ast.ClassDef, FunctionNode] | None:
        """The one class of the file that defines method `name`, if exactly one does."""
        if name in CONTAINER_METHODS or name in PURE_CALLS:
            return None
        found = [(cls, method) for cls in self.by_name.values()
                 for method in [self.method(cls, name)] if method is not None]
        return found[0] if len(found) == 1 else None

    def properties(self) -> dict[str, set[str]]:
        """Property name -> the `self.` attributes its body reads, over every class."""
        if self._properties is None:
            self._properties = self._collect_properties()
        return self._properties

    def _collect_properties(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for cls in self.by_name.values():
            for node in cls.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_property(node):
                    found.setdefault(node.name, set()).update(
                        part.attr for part in ast.walk(node)
                        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name)
                        and part.value.id == "self" and part.attr != node.name)
        return found

    def attribute(self, cls: ast.ClassDef | None, name: str) -> ast.AST | None:
        """The annotation or assigned value that says what `cls.name` holds."""
        if cls is None:
            return None
        if cls not in self._attributes:
            self._attributes[cls] = self._collect(cls)
        return self._attributes[cls].get(name)

    def type_of(self, described: ast.AST | None) -> tuple[ast.ClassDef | None, ast.ClassDef | None]:
        """(class, class of the elements) for an annotation or an assigned value."""
        if described is None:
            return None, None
        if isinstance(described, ast.Call):
            name = last_name(described.func)
            if name in self.by_name:
                return self.by_name[name], None
            return None, None
        if isinstance(described, ast.Constant) and isinstance(described.value, str):
            try:
                described = ast.parse(described.value, mode="eval").body
            except SyntaxError:
                return None, None
        described = _strip_optional(described)
        if isinstance(described, ast.Subscript):
            outer = last_name(described.value)
            inner = described.slice.elts if isinstance(described.slice, ast.Tuple) \
                else [described.slice]
            if outer in MAPPING_TYPES and inner:
                return None, self._class(inner[-1])
            if outer in SEQUENCE_TYPES and inner:
                return None, self._class(inner[0])
            return None, None
        return self._class(described), None

    def _class(self, node: ast.AST) -> ast.ClassDef | None:
        node = _strip_optional(node)
        names = annotation_names(node) if not isinstance(node, ast.Subscript) else set()
        found = [self.by_name[name] for name in names if name in self.by_name]
        return found[0] if len(found) == 1 else None

    def _collect(self, cls: ast.ClassDef) -> dict[str, ast.AST]:
        found: dict[str, ast.AST] = {}
        for node in cls.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found[node.target.id] = node.annotation
        for node in _statements(cls.body):
            if isinstance(node, ast.AnnAssign) and _self_attribute(node.target):
                found.setdefault(node.target.attr, node.annotation)  # type: ignore[union-attr]
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if _self_attribute(target):
                        found.setdefault(target.attr, node.value)  # type: ignore[union-attr]
        return found


def _statements(body: list[ast.stmt]):
    """The statements of a class body and of its methods, nested blocks included (not the
    expressions: an assignment is a statement), nested classes left out."""
    stack = list(body)
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, ast.ClassDef):
            continue
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(statement, name, ()))
        for handler in getattr(statement, "handlers", ()):
            stack.extend(handler.body)
        for case in getattr(statement, "cases", ()):
            stack.extend(case.body)


def _self_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
        and node.value.id == "self"


def _strip_optional(node: ast.AST) -> ast.AST:
    """`Optional[X]`, `X | None`, `Union[X, None]` -> X."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [side for side in (node.left, node.right)
                 if not (isinstance(side, ast.Constant) and side.value is None)]
        return _strip_optional(sides[0]) if len(sides) == 1 else node
    if isinstance(node, ast.Subscript) and last_name(node.value) in ("Optional", "Union"):
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        inner = [part for part in inner if not (isinstance(part, ast.Constant) and part.value is None)]
        return _strip_optional(inner[0]) if len(inner) == 1 else node
    return node


def _is_property(function: FunctionNode) -> bool:
    return any(last_name(decorator) in ("property", "cached_property")
               for decorator in function.decorator_list)


def is_context_manager(function: FunctionNode) -> bool:
    """A generator decorated with `contextmanager` / `asynccontextmanager`."""
    return any(last_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
               in CONTEXT_MANAGER_DECORATORS for decorator in function.decorator_list)
