"""Where an exception raised in one function can go: which `try` catches it, or whether it escapes.

Checklist section 4 says no raw exception escapes the runner. Deciding that needs three small
facts about the runner's execution method, computed here once per method over the standard
`ast`:

- how broad each `except` clause is (`handler_breadth`): `except Exception` catches everything a
  plugin can raise; `except (KeyError, ValueError)` does not; `except RETRYABLE` (a name we
  cannot resolve to classes) is unknown, and unknown is treated as broad, to say nothing rather
  than guess;
- where each call, `await`, `raise` and `assert` sits (`scan_function`): guarded by a broad
  `try`, inside a `try` whose handlers are all narrower, or unguarded, and then in which part
  (an `except` clause, `else`, `finally`, or outside any `try`);
- whether a block can fall off its end (`may_fall_through`).

Nested functions, lambdas and classes are separate scopes: what they raise is not raised by the
function that defines them, so they are never entered.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator, Mapping
from typing import Final, cast

from flake8_phase12.analysis.names import dotted_name, last_name
from flake8_phase12.records import Record

TRY_NODES: tuple[type[ast.AST], ...] = (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
# `except*` statements (ast.TryStar, Python 3.11+) have exactly the fields of ast.Try; both are
# typed as ast.Try here.
TryNode = ast.Try
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
BROAD_NAMES = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
# Not subclasses of Exception: `except Exception` lets them through anyway, so re-raising them
# explicitly (`except (KeyboardInterrupt, SystemExit): raise`) changes nothing.
NOT_EXCEPTIONS = frozenset({"KeyboardInterrupt", "SystemExit", "GeneratorExit", "CancelledError"})
JUMPS = (ast.Return, ast.Raise, ast.Break, ast.Continue)


class Breadth:
    """How broad an `except` clause is. Plain string constants, compared with `is`: an `Enum`
    class costs 0.08 ms to create, at every flake8 start that lints a runner module."""

    BROAD: Final = "broad"  # catches every ordinary exception
    NARROW: Final = "narrow"  # catches only some classes
    UNKNOWN: Final = "unknown"  # cannot tell statically (treated as broad: never guess)


BreadthKind = str  # one of the `Breadth` constants


# --- how broad an `except` clause is -------------------------------------------------------

def module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names bound exactly once by a plain assignment: `RETRYABLE = (A, B)`."""
    values: dict[str, ast.expr] = {}
    seen: set[str] = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name) and value is not None:
                if target.id in seen:
                    values.pop(target.id, None)
                else:
                    values[target.id] = value
                seen.add(target.id)
    return values


def handler_breadth(handler: ast.ExceptHandler, constants: Mapping[str, ast.expr]) -> BreadthKind:
    if handler.type is None:  # bare `except:` catches BaseException
        return Breadth.BROAD
    return exception_type_breadth(handler.type, constants)


def exception_type_breadth(node: ast.expr, constants: Mapping[str, ast.expr]) -> BreadthKind:
    """How much an exception type expression catches: `Exception` is broad, `ValueError`
    narrow, `errors[0]` unknown."""
    return _type_breadth(node, constants, depth=0)


def _type_breadth(node: ast.expr, constants: Mapping[str, ast.expr], depth: int) -> BreadthKind:
    if isinstance(node, ast.Tuple):
        kinds = {_type_breadth(element, constants, depth) for element in node.elts}
        for kind in (Breadth.BROAD, Breadth.UNKNOWN):
            if kind in kinds:
                return kind
        return Breadth.NARROW
    name = dotted_name(node)
    if name is None:
        return Breadth.UNKNOWN  # `except get_errors():`, `except errors[0]:`
    if name in BROAD_NAMES:
        return Breadth.BROAD
    if isinstance(node, ast.Name) and node.id in constants and depth < 5:
        return _type_breadth(constants[node.id], constants, depth + 1)
    return Breadth.NARROW if _looks_like_class(name.rsplit(".", 1)[-1]) else Breadth.UNKNOWN


def _looks_like_class(name: str) -> bool:
    """`ValueError`, `PluginError`: CamelCase. `RETRYABLE` or `errors` are aliases we cannot see."""
    return name[:1].isupper() and not name.isupper()


def try_breadth(node: TryNode, constants: Mapping[str, ast.expr]) -> BreadthKind | None:
    """The broadest handler of a `try`; None when it has no handlers (`try`/`finally`)."""
    kinds = {handler_breadth(handler, constants) for handler in node.handlers}
    if not kinds:
        return None
    for kind in (Breadth.BROAD, Breadth.UNKNOWN):
        if kind in kinds:
            return kind
    return Breadth.NARROW


def only_non_exceptions(handler: ast.ExceptHandler) -> bool:
    """`except (KeyboardInterrupt, SystemExit):`: classes that `except Exception` never sees."""
    if handler.type is None:
        return False
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return bool(kinds) and all(last_name(kind) in NOT_EXCEPTIONS for kind in kinds)


def catches_exception(handler: ast.ExceptHandler) -> bool:
    """Whether the clause catches every `Exception` (then later clauses see only the rest)."""
    if handler.type is None:
        return True
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(dotted_name(kind) in BROAD_NAMES for kind in kinds)


def caught_names(node: TryNode, constants: Mapping[str, ast.expr]) -> list[str]:
    """The last names of the classes a `try`'s handlers catch (`except (a.B, C)` -> B, C),
    through module constants (`except LOOKUP_ERRORS` -> KeyError, LookupError)."""
    names: list[str] = []
    for handler in node.handlers:
        if handler.type is not None:
            names.extend(_class_names(handler.type, constants, depth=0))
    return list(dict.fromkeys(names))


def _class_names(node: ast.expr, constants: Mapping[str, ast.expr], depth: int) -> list[str]:
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _class_names(element, constants, depth)]
    if isinstance(node, ast.Name) and node.id in constants and depth < 5:
        return _class_names(constants[node.id], constants, depth + 1)
    name = last_name(node)
    return [name] if name else []


class ExceptionClasses:
    """The ancestry of exception classes, as far as this file and the builtins tell it."""

    def __init__(self, tree: ast.Module) -> None:
        self._bases: dict[str, list[str]] = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self._bases[node.name] = [name for name in map(last_name, node.bases) if name]

    def ancestors(self, name: str) -> frozenset[str] | None:
        """`name` and every class it derives from, or None when part of the chain is unknown."""
        found: set[str] = set()
        pending = [name]
        while pending:
            current = pending.pop()
            if current in found:
                continue
            found.add(current)
            if current in self._bases:
                pending.extend(self._bases[current] or ["object"])
                continue
            builtin = getattr(builtins, current, None)
            if not (isinstance(builtin, type) and issubclass(builtin, BaseException)) \
                    and current != "object":
                return None
            if builtin is not None:
                found.update(klass.__name__ for klass in builtin.__mro__)
        return frozenset(found)

    def is_exception(self, name: str) -> bool:
        """Whether `name` is an exception class of this file or a builtin one
        (`class InvalidInput(ValueError)`)."""
        ancestry = self.ancestors(name)
        return ancestry is not None and "BaseException" in ancestry

    def caught_by(self, raised: str, catchers: list[str]) -> bool | None:
        """Whether an exception of class `raised` is caught by one of `catchers` (None: unknown)."""
        ancestry = self.ancestors(raised)
        if ancestry is None:
            return None
        return any(name in ancestry for name in catchers)


def raised_class(node: ast.Raise) -> str | None:
    """`raise ValueError(...)` / `raise ValueError` -> 'ValueError'; `raise exc` -> None."""
    exception = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    name = last_name(exception) if exception is not None else None
    return name if name and _looks_like_class(name) else None


# --- calls too trivial to guard ------------------------------------------------------------

# Reading a clock or making an id before the `try` (to time the execution) cannot fail in any
# way a plugin could cause; a reading method of its result (`READING_METHODS`) neither. Qualified
# names: `perf_counter()` imported from `time` is resolved through the imports.
HARMLESS_CALLS = frozenset({
    "time.perf_counter", "time.perf_counter_ns", "time.monotonic", "time.monotonic_ns",
    "time.time", "time.time_ns", "time.process_time", "datetime.datetime.now",
    "datetime.datetime.utcnow", "datetime.now", "datetime.utcnow", "uuid.uuid4",
    # Not clocks, but as harmless: a typing no-op, and the context manager that guards.
    "typing.cast", "contextlib.suppress",
    # The loop a coroutine runs on, and a copy of the current context, to hand work to a thread.
    "asyncio.get_running_loop", "contextvars.copy_context",
})
# `.isoformat()`/`.timestamp()` of a reading, and `.time()`: of a `datetime` the time of day, of
# the running loop (`asyncio.get_running_loop().time()`) the loop's own monotonic clock.
READING_METHODS = frozenset({"isoformat", "timestamp", "time"})
# `logging` never lets a handler's failure propagate (it calls `Handler.handleError`).
LOGGER_NAMES = frozenset({"logger", "log", "logging"})
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
# Builtins used to describe an exception or a duration.
SAFE_BUILTINS = frozenset({"isinstance", "callable", "type", "id", "str", "repr", "bool", "round",
                           "abs", "range"})
EXCEPTION_SUFFIXES = ("Error", "Exception", "Warning")


def is_trivial_call(call: ast.Call, imports: Mapping[str, str]) -> bool:
    """A call that cannot raise anything worth guarding: a clock reading, a log call, a safe
    builtin, or the construction of an exception object (`ValueError("...")`)."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) \
            and func.attr in READING_METHODS and _is_harmless(func.value, imports):
        return True
    if _is_harmless(call, imports):
        return True
    if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
        receiver = last_name(func.value)
        if receiver is not None and receiver.strip("_").lower() in LOGGER_NAMES:
            return True
    if isinstance(func, ast.Name) and func.id in SAFE_BUILTINS and func.id not in imports:
        return True
    name = last_name(func)
    if not name or not _looks_like_class(name):
        return False
    return name.endswith(EXCEPTION_SUFFIXES) or _is_builtin_exception(name)


def _is_harmless(call: ast.Call, imports: Mapping[str, str]) -> bool:
    return is_harmless_function(call.func, imports)


def is_harmless_function(function: ast.AST, imports: Mapping[str, str]) -> bool:
    """A reference to a clock or id function (`time.perf_counter`, or `perf_counter` imported
    from `time`): calling it cannot raise anything worth guarding."""
    written = dotted_name(function)
    if written is None:
        return False
    head, _, rest = written.partition(".")
    origin = imports.get(head)
    qualified = (f"{origin}.{rest}" if rest else origin) if origin else written
    return qualified in HARMLESS_CALLS or written in HARMLESS_CALLS


def _is_builtin_exception(name: str) -> bool:
    value = getattr(builtins, name, None)
    return isinstance(value, type) and issubclass(value, BaseException)


# --- where each node of a function sits ----------------------------------------------------

class Region(Record):
    """Where a node sits relative to the `try` statements of its function."""

    # Inside the body of a `try` that catches everything (or that we cannot judge).
    guarded: bool = False
    # Unguarded only: "outside", "handler", "orelse" or "finalbody" of the nearest `try`.
    part: str = "outside"
    # The unguarded `try`s whose handlers are all narrower and whose BODY holds the node,
    # outermost first.
    narrow_tries: tuple[ast.AST, ...] = ()
    # The nearest unguarded `except` clause holding the node.
    handler: ast.ExceptHandler | None = None

    @property
    def outermost_narrow_try(self) -> ast.AST | None:
        return self.narrow_tries[0] if self.narrow_tries else None


class Located(Record):
    """A call, await, raise or assert; the statement it belongs to; where that sits."""

    node: ast.expr | ast.stmt
    statement: ast.stmt
    region: Region


class LocatedTry(Record):
    """A `try` (or `try`/`except*`) statement and the region it sits in itself."""

    node: TryNode
    region: Region


class FunctionScan:
    """The calls, raises and `try` statements of one function, with their regions."""

    def __init__(self, function: ast.AST) -> None:
        self.function = function
        self.calls: list[Located] = []  # calls, and awaits of non-calls
        self.raises: list[Located] = []  # `raise` and `assert`
        self.tries: list[LocatedTry] = []


def scan_function(function: ast.AST, constants: Mapping[str, ast.expr]) -> FunctionScan:
    scan = FunctionScan(function)
    top = Region()
    stack: list[tuple[ast.AST, Region, ast.stmt | None]] = [
        (statement, top, statement) for statement in reversed(getattr(function, "body", []))]
    while stack:
        node, region, statement = stack.pop()
        if isinstance(node, NESTED_SCOPES):
            continue
        if isinstance(node, ast.stmt):
            statement = node
        if isinstance(node, TRY_NODES):
            try_node = cast(TryNode, node)
            scan.tries.append(LocatedTry(try_node, region))
            stack.extend(reversed(list(_try_parts(try_node, region, constants))))
            continue
        _record(scan, node, region, statement)
        if isinstance(node, (ast.With, ast.AsyncWith)) and not region.guarded \
                and _suppresses_everything(node, constants):
            # `with contextlib.suppress(Exception):` guards its body like a broad `try`.
            stack.extend((child, region, statement) for child in reversed(node.items))
            stack.extend((child, Region(guarded=True, part="body"), child)
                         for child in reversed(node.body))
            continue
        stack.extend((child, region, statement) for child in reversed(list(ast.iter_child_nodes(node))))
    scan.calls.sort(key=lambda item: _position(item.node))
    scan.raises.sort(key=lambda item: _position(item.node))
    scan.tries.sort(key=lambda item: _position(item.node))
    return scan


def _suppresses_everything(node: ast.With | ast.AsyncWith, constants: Mapping[str, ast.expr]) -> bool:
    for item in node.items:
        manager = item.context_expr
        if isinstance(manager, ast.Call) and last_name(manager.func) == "suppress" and manager.args:
            kinds = {_type_breadth(argument, constants, depth=0) for argument in manager.args}
            if kinds & {Breadth.BROAD, Breadth.UNKNOWN}:
                return True
    return False


def _position(node: ast.expr | ast.stmt) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _record(scan: FunctionScan, node: ast.AST, region: Region, statement: ast.stmt | None) -> None:
    if statement is None:
        return
    if isinstance(node, (ast.Raise, ast.Assert)):
        scan.raises.append(Located(node, statement, region))
    elif isinstance(statement, (ast.Raise, ast.Assert)):
        return  # the statement itself is reported; `ValueError(...)` in it is not a second issue
    elif isinstance(node, ast.Call) or (isinstance(node, ast.Await)
                                        and not isinstance(node.value, ast.Call)):
        scan.calls.append(Located(cast(ast.expr, node), statement, region))


def _try_parts(node: TryNode, region: Region, constants: Mapping[str, ast.expr]
               ) -> Iterator[tuple[ast.AST, Region, ast.stmt]]:
    """The children of a `try` with the region each part is in."""
    breadth = try_breadth(node, constants)
    if region.guarded:
        body = handlers = orelse = finalbody = region
    else:
        if breadth in (Breadth.BROAD, Breadth.UNKNOWN):
            body = Region(guarded=True, part="body")
        elif breadth is Breadth.NARROW:
            body = region._replace(narrow_tries=region.narrow_tries + (node,))
        else:
            body = region
        handlers = region._replace(part="handler")
        orelse = region._replace(part="orelse")
        finalbody = region._replace(part="finalbody")
    for statement in node.body:
        yield statement, body, statement
    for handler in node.handlers:
        inside = handlers if region.guarded else handlers._replace(handler=handler)
        for statement in handler.body:
            yield statement, inside, statement
    for statement in node.orelse:
        yield statement, orelse, statement
    for statement in node.finalbody:
        yield statement, finalbody, statement


# --- control flow at the end of a block ----------------------------------------------------

def may_fall_through(statements: list[ast.stmt], settles: Callable[[ast.stmt], bool]) -> bool:
    """Whether some path through `statements` reaches the end without a `return`, `raise`,
    `break`, `continue`, or a statement for which `settles` is true.

    Conservative towards "does not fall through" only where Python guarantees it: both branches
    of an `if`, a `with` body, a `try` whose body and handlers (or `finally`) all end early, and
    a `match` with a final catch-all case.
    """
    for statement in statements:
        if isinstance(statement, JUMPS) or settles(statement):
            return False
        if not _statement_may_fall_through(statement, settles):
            return False
    return True


def _statement_may_fall_through(statement: ast.stmt, settles: Callable[[ast.stmt], bool]) -> bool:
    if isinstance(statement, ast.If):
        return may_fall_through(statement.body, settles) or may_fall_through(statement.orelse, settles)
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return may_fall_through(statement.body, settles)
    if isinstance(statement, TRY_NODES):
        try_node = cast(TryNode, statement)
        if try_node.finalbody and not may_fall_through(try_node.finalbody, settles):
            return False
        return may_fall_through(try_node.body + try_node.orelse, settles) \
            or any(may_fall_through(handler.body, settles) for handler in try_node.handlers)
    if isinstance(statement, ast.Match):
        cases = statement.cases
        catch_all = bool(cases) and cases[-1].guard is None and isinstance(cases[-1].pattern, ast.MatchAs) \
            and cases[-1].pattern.pattern is None
        return not catch_all or any(may_fall_through(case.body, settles) for case in cases)
    return True
