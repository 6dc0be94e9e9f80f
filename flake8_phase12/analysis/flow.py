"""Statement-level control flow of one function body (or one block), over the standard `ast`.

Sections 2 and 5 of the checklist are path properties: "the input validator runs before the
plugin lookup on EVERY path" and "the metrics update runs on every path through the `finally`".
`ControlFlow` answers both with a small control-flow graph built once per analysed block.

The graph
---------
One node per simple statement, and one header node per compound statement (the `if`/`while`
test, the `for` iterable and target, the `with` items, the `match` subject, each `case` pattern
and guard, each `except` clause's type). `try` itself has no node. Modelled: if/elif/else, early
`return`, `raise`, `assert`, nested try/except/else/finally (including `except*`), for/while
with break/continue/else, with / async with, match/case, await (an expression: no extra flow).

- `finally` is copied once per way of leaving the `try` (falling through, return, raise, break,
  continue), so a path that enters the `finally` through a `return` leaves it through that
  `return` too, never by falling through to the code after the `try`.
- `while True:` (any constant true test) only leaves through `break`.
- `match` falls through to the next case; a final `case _:` / `case name:` without a guard
  always matches.

Exceptions (the modelling choice)
---------------------------------
- Explicit: `raise` goes to the innermost enclosing handlers (or `finally`), else leaves the
  block; a failing `assert` too.
- Implicit: inside a `try` body, EVERY statement may raise part-way (before it completes) into
  that try's handlers, conservatively, whatever it calls. Every statement inside a `try` with a
  `finally` may likewise raise into the `finally`.
- An implicit exception that would leave the analysed block (a statement outside any `try`
  raising) is not a path: `x = compute(); update(x)` in a `finally` counts as calling
  `update` on every path, although `compute` could in theory raise. Explicit `raise`, `return`,
  `break` and `continue` are paths.
- A dispatch to handlers that does not catch everything (no bare `except:` and no
  `except BaseException`) may also propagate the exception onwards.
- Context managers are assumed not to swallow exceptions, except `contextlib.suppress(...)`,
  after which the code following the `with` may run with the body only partly executed.

Queries
-------
- `always_preceded(target, by)`: does every path from the entry to `target` first COMPLETE one
  of `by`? A statement that evaluates one of `by` unconditionally ends such paths on its normal
  exits; its exceptional exits (it raised part-way) continue, so a validator that raises into a
  handler which then falls through to the lookup does not count as having validated.
- `always_runs(nodes, raise_exits=...)`: does every path from the entry to the end of the block
  ATTEMPT one of `nodes`? Paths end by falling off the end, `return`, `break`, `continue`, and,
  when `raise_exits` is true, an explicit `raise` leaving the block.
- `may_precede(first, second)`: does SOME path complete `first` and later reach `second`
  (including through a loop's next iteration)? Used to say which of two mistakes a missing
  dominance is ("validated on some paths only" or "not validated before at all").
- `may_bypass(first, second, avoiding, barriers)`: after `first` ran, does SOME path reach
  `second` without completing one of `avoiding` and without entering a barrier (an `except`
  clause that returns the envelope)? Section 3: the output validation must lie between the
  execution and every success return.

Inside one statement, evaluation order is followed (`plugin.run(validate(p))` validates first;
`value` before targets in an assignment), and calls in a conditionally evaluated position
(the right of `and`/`or`, a branch of `x if c else y`, the body of a comprehension, a lambda)
never count as having run.

Limits
------
- Intraprocedural: calls are opaque, except that `LocalFunctions` can tell which same-file
  helpers (methods of the same class called through `self.`/`cls.`, module-level functions)
  call a given function on every path through them that returns normally. Helpers are
  resolved by name only: a subclass override or a monkeypatch is not seen.
- Nested functions, lambdas and class bodies are not entered: their statements are not nodes.
- Constant conditions other than `while <true constant>` (`if True:`, `if TYPE_CHECKING:`) are
  not folded: both branches are paths, which errs towards "may not hold".
- `sys.exit()`, `os._exit()` and functions that never return are ordinary calls.
- Graphs above `MAX_NODES` nodes (deeply nested `finally` blocks are copied per exit) raise
  `FlowTooLarge`; callers treat that as "cannot tell" and stay silent.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from flake8_phase12.analysis.names import last_name
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
TRY_NODES: tuple[type[ast.AST], ...] = (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
MAX_NODES = 20_000
# `suppress(Exception)` swallows every error a statement can raise (last names).
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})

NORMAL = 0
EXCEPTIONAL = 1


class FlowTooLarge(Exception):
    """The graph would exceed `MAX_NODES`: the caller should not draw conclusions."""


class _Frame(Record):
    """Where each way of leaving a statement goes, in the statement's surroundings."""

    return_to: int
    raise_to: int
    break_to: int | None
    continue_to: int | None
    # True inside a `try` (or a suppressing `with`) of the analysed block: any statement may
    # then raise part-way to `raise_to`.
    guarded: bool = False


class ControlFlow:
    """The control-flow graph of one statement list: a function body or a `finally` block."""

    def __init__(self, statements: list[ast.stmt]) -> None:
        builder = _Builder()
        self.exit = builder.node(None)
        self.raise_exit = builder.node(None)
        frame = _Frame(return_to=self.exit, raise_to=self.raise_exit,
                       break_to=self.exit, continue_to=self.exit)
        start = builder.block(statements, self.exit, frame)
        self.entry = builder.node(None)
        builder.link(self.entry, start)
        self._edges = builder.edges
        self._copies = builder.copies
        self._order: dict[ast.AST, dict[ast.AST, tuple[int, bool]]] = {}
        self._owner: dict[ast.AST, ast.AST] = {}
        for statement in self._copies:
            order = _evaluation_order(_header_roots(statement))
            order[statement] = (len(order), False)
            self._order[statement] = order
            for node in order:
                self._owner.setdefault(node, statement)

    @classmethod
    def of_function(cls, function: FunctionNode) -> ControlFlow:
        """The function body's graph, built once: several rules ask for the runner's, and a
        graph never changes once built."""
        return _function_flow(function) if cls is ControlFlow else cls(function.body)

    @property
    def size(self) -> int:
        return len(self._edges)

    def statement_of(self, node: ast.AST) -> ast.AST | None:
        """The statement (or header: `except` clause, `case`) whose node evaluates `node`."""
        return self._owner.get(node)

    def unconditionally_evaluated(self, node: ast.AST) -> bool:
        """Whether `node` is evaluated whenever its statement (or header) runs."""
        statement = self._owner.get(node)
        return statement is not None and not self._order[statement][node][1]

    def reachable(self, node: ast.AST) -> bool:
        """Whether some path from the entry reaches the statement that evaluates `node`."""
        statement = self._owner.get(node)
        if statement is None:
            return False
        targets = set(self._copies[statement])
        return any(index in targets for index in self._walk(blocked=frozenset(), normal_only=False))

    def always_preceded(self, target: ast.AST, by: Iterable[ast.AST]) -> bool:
        """Whether every path from the entry to `target` first completes one of `by`.

        `target` and `by` are nodes evaluated in this block (calls, attributes, statements).
        True when `target` is not part of the block: there is nothing to claim about it.
        """
        statement = self._owner.get(target)
        if statement is None:
            return True
        by = [node for node in by if node in self._owner]
        if any(self._evaluated_before(node, target, statement) for node in by):
            return True
        targets = set(self._copies[statement])
        completing = self._copies_evaluating(by)
        for index in self._walk(blocked=completing, normal_only=True):
            if index in targets:
                return False
        return True

    def may_precede(self, first: ast.AST, second: ast.AST,
                    avoiding: Iterable[ast.AST] = ()) -> bool:
        """Whether some path from the entry completes `first` and later reaches `second`;
        with `avoiding`, a path that attempts one of those nodes on the way does not count
        (`flag = True` reaching a later step only through a reset `flag = False`)."""
        statement, later = self._owner.get(first), self._owner.get(second)
        if statement is None or later is None or not self.unconditionally_evaluated(first):
            return False
        reached = set(self._walk(blocked=frozenset(), normal_only=False))
        starts = [index for index in self._copies[statement] if index in reached]
        if not starts:
            return False
        if statement is later and self._evaluated_before(first, second, statement):
            return True
        targets = set(self._copies[later])
        blocked = self._copies_evaluating(node for node in avoiding
                                          if node in self._owner and node is not first)
        seen = set(starts)
        stack = [successor for index in starts for successor, kind in self._edges[index]
                 if kind == NORMAL]
        while stack:
            index = stack.pop()
            if index in targets:
                return True
            if index not in seen and index not in blocked:
                seen.add(index)
                stack.extend(successor for successor, _ in self._edges[index])
        return False

    def may_bypass(self, first: ast.AST, second: ast.AST, avoiding: Iterable[ast.AST],
                   barriers: Iterable[ast.AST] = ()) -> bool:
        """Whether some path, after `first` has run, reaches `second` without completing any of
        `avoiding` and without entering any of `barriers` (statements or `except` clauses).

        The path starts where the statement of `first` completes; when that statement also
        evaluates one of `avoiding` (`output = validate(plugin.run(p))`), where it raises
        part-way instead (the validation failed). A node of `avoiding` that raises part-way does
        not count as completed, so an `except` that catches a failed validation and carries on
        is a way around it."""
        statement, later = self._owner.get(first), self._owner.get(second)
        if statement is None or later is None:
            return False
        avoiding = [node for node in avoiding if node in self._owner]
        validated_in_place = any(self._owner[node] is statement
                                 and self.unconditionally_evaluated(node) for node in avoiding)
        if statement is not later and any(self._owner[node] is later
                                          and self.unconditionally_evaluated(node)
                                          for node in avoiding):
            return False  # `second` completes one of `avoiding` itself before it ends
        if statement is later:
            return not validated_in_place and self._evaluated_before(first, second, statement)
        completing = self._copies_evaluating(avoiding)
        blocked = {index for node in barriers for index in self._copies.get(node, ())}
        targets = set(self._copies[later])
        reached = set(self._walk(blocked=frozenset(), normal_only=False))
        leaving = EXCEPTIONAL if validated_in_place else NORMAL
        stack = [successor for index in self._copies[statement] if index in reached
                 for successor, kind in self._edges[index] if kind == leaving]
        seen: set[int] = set()
        while stack:
            index = stack.pop()
            if index in seen or index in blocked:
                continue
            seen.add(index)
            if index in targets:
                return True
            stack.extend(successor for successor, kind in self._edges[index]
                         if index not in completing or kind == EXCEPTIONAL)
        return False

    def always_runs(self, nodes: Iterable[ast.AST], *, raise_exits: bool) -> bool:
        """Whether every path from the entry to the end of the block attempts one of `nodes`."""
        attempting = self._copies_evaluating(node for node in nodes if node in self._owner)
        exits = {self.exit, self.raise_exit} if raise_exits else {self.exit}
        return not any(index in exits for index in self._walk(blocked=attempting, normal_only=False))

    def _walk(self, blocked: frozenset[int], normal_only: bool) -> Iterator[int]:
        """Nodes reachable from the entry. A blocked node is yielded but not passed through,
        except, when `normal_only`, along its exceptional edges (it raised before completing)."""
        seen = {self.entry}
        stack = [self.entry]
        while stack:
            index = stack.pop()
            yield index
            stop = index in blocked
            for successor, kind in self._edges[index]:
                if stop and (not normal_only or kind == NORMAL):
                    continue
                if successor not in seen:
                    seen.add(successor)
                    stack.append(successor)

    def _copies_evaluating(self, nodes: Iterable[ast.AST]) -> frozenset[int]:
        found: set[int] = set()
        for node in nodes:
            statement = self._owner[node]
            if not self._order[statement][node][1]:
                found.update(self._copies[statement])
        return frozenset(found)

    def _evaluated_before(self, first: ast.AST, second: ast.AST, statement: ast.AST) -> bool:
        if self._owner.get(first) is not statement:
            return False
        if first is not second:
            # An argument of `second` is evaluated before it, whenever `second` itself runs
            # (`[validate(plugin.run(p)) for p in ps]`), unless conditional inside it.
            inside = _evaluation_order([second]).get(first)
            if inside is not None:
                return not inside[1]
        order = self._order[statement]
        position, conditional = order[first]
        return not conditional and position < order[second][0]


class _Builder:
    """Builds the graph backwards: each statement is built knowing where it continues."""

    def __init__(self) -> None:
        self.edges: list[list[tuple[int, int]]] = []
        self.copies: dict[ast.AST, list[int]] = {}

    def node(self, statement: ast.AST | None) -> int:
        if len(self.edges) >= MAX_NODES:
            raise FlowTooLarge(f"more than {MAX_NODES} control-flow nodes")
        index = len(self.edges)
        self.edges.append([])
        if statement is not None:
            self.copies.setdefault(statement, []).append(index)
        return index

    def link(self, source: int, target: int, kind: int = NORMAL) -> None:
        self.edges[source].append((target, kind))

    def may_raise(self, index: int, frame: _Frame) -> None:
        if frame.guarded:
            self.link(index, frame.raise_to, EXCEPTIONAL)

    def block(self, statements: list[ast.stmt], successor: int, frame: _Frame) -> int:
        entry = successor
        for statement in reversed(statements):
            entry = self.statement(statement, entry, frame)
        return entry

    def statement(self, statement: ast.stmt, successor: int, frame: _Frame) -> int:
        build = self._BUILDERS.get(type(statement))
        if build is None:
            build = _Builder.try_ if isinstance(statement, TRY_NODES) else _Builder.simple
        return build(self, statement, successor, frame)

    def simple(self, statement: ast.stmt, successor: int, frame: _Frame) -> int:
        index = self.node(statement)
        self.link(index, successor)
        self.may_raise(index, frame)
        return index

    def return_(self, statement: ast.Return, _successor: int, frame: _Frame) -> int:
        index = self.node(statement)
        self.link(index, frame.return_to)
        self.may_raise(index, frame)
        return index

    def raise_(self, statement: ast.Raise, _successor: int, frame: _Frame) -> int:
        index = self.node(statement)
        self.link(index, frame.raise_to, EXCEPTIONAL)
        return index

    def assert_(self, statement: ast.Assert, successor: int, frame: _Frame) -> int:
        index = self.node(statement)
        self.link(index, successor)
        self.link(index, frame.raise_to, EXCEPTIONAL)
        return index

    def jump(self, statement: ast.stmt, successor: int, frame: _Frame) -> int:
        target = frame.break_to if isinstance(statement, ast.Break) else frame.continue_to
        index = self.node(statement)
        self.link(index, successor if target is None else target)
        return index

    def if_(self, statement: ast.If, successor: int, frame: _Frame) -> int:
        header = self.node(statement)
        self.link(header, self.block(statement.body, successor, frame))
        self.link(header, self.block(statement.orelse, successor, frame))
        self.may_raise(header, frame)
        return header

    def loop(self, statement: ast.For | ast.AsyncFor | ast.While, successor: int,
             frame: _Frame) -> int:
        header = self.node(statement)
        inside = frame._replace(break_to=successor, continue_to=header)
        self.link(header, self.block(statement.body, header, inside))
        if not _always_true(statement):
            self.link(header, self.block(statement.orelse, successor, frame))
        self.may_raise(header, frame)
        return header

    def with_(self, statement: ast.With | ast.AsyncWith, successor: int, frame: _Frame) -> int:
        header = self.node(statement)
        inside = frame
        suppressed = _suppressed(statement)
        if suppressed is not None:
            # The exception may be swallowed at the end of the `with` (and execution continues
            # after it), or propagate, unless `suppress(Exception)` swallows every error.
            leave = self.node(None)
            self.link(leave, successor, EXCEPTIONAL)
            if not suppressed & BROAD_EXCEPTIONS:
                self.link(leave, frame.raise_to, EXCEPTIONAL)
            inside = frame._replace(raise_to=leave, guarded=True)
        self.link(header, self.block(statement.body, successor, inside))
        self.may_raise(header, frame)
        return header

    def match(self, statement: ast.Match, successor: int, frame: _Frame) -> int:
        header = self.node(statement)
        next_case = successor
        for case in reversed(statement.cases):
            test = self.node(case)
            self.link(test, self.block(case.body, successor, frame))
            if not _irrefutable(case):
                self.link(test, next_case)
            self.may_raise(test, frame)
            next_case = test
        self.link(header, next_case)
        self.may_raise(header, frame)
        return header

    def try_(self, statement: ast.Try, successor: int, frame: _Frame) -> int:
        finally_copies: dict[int, int] = {}

        def through_finally(target: int) -> int:
            if not statement.finalbody:
                return target
            if target not in finally_copies:
                finally_copies[target] = self.block(statement.finalbody, target, frame)
            return finally_copies[target]

        def jump_through_finally(target: int | None) -> int | None:
            return None if target is None else through_finally(target)

        after = through_finally(successor)
        around = _Frame(return_to=through_finally(frame.return_to),
                        raise_to=through_finally(frame.raise_to),
                        break_to=jump_through_finally(frame.break_to),
                        continue_to=jump_through_finally(frame.continue_to),
                        guarded=frame.guarded or bool(statement.finalbody))
        body_raises_to = around.raise_to
        if statement.handlers:
            dispatch = self.node(None)
            for handler in statement.handlers:
                clause = self.node(handler)
                self.link(clause, self.block(handler.body, after, around))
                self.may_raise(clause, around)
                self.link(dispatch, clause, EXCEPTIONAL)
            if not any(_catches_everything(handler) for handler in statement.handlers):
                self.link(dispatch, around.raise_to, EXCEPTIONAL)
            body_raises_to = dispatch
        orelse = self.block(statement.orelse, after, around)
        inside = around._replace(raise_to=body_raises_to, guarded=True)
        return self.block(statement.body, orelse, inside)

    _BUILDERS: dict[type[ast.AST], Callable[..., int]] = {
        ast.Return: return_,
        ast.Raise: raise_,
        ast.Assert: assert_,
        ast.Break: jump,
        ast.Continue: jump,
        ast.If: if_,
        ast.For: loop,
        ast.AsyncFor: loop,
        ast.While: loop,
        ast.With: with_,
        ast.AsyncWith: with_,
        ast.Match: match,
    }


def _always_true(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.While) and isinstance(statement.test, ast.Constant) \
        and bool(statement.test.value)


def suppress_calls(statement: ast.With | ast.AsyncWith) -> list[ast.Call]:
    """The `suppress(...)` context managers of a `with` (`contextlib.suppress` or imported)."""
    return [item.context_expr for item in statement.items
            if isinstance(item.context_expr, ast.Call)
            and last_name(item.context_expr.func) == "suppress"]


def _suppressed(statement: ast.With | ast.AsyncWith) -> frozenset[str] | None:
    """The names of the exceptions a `with suppress(...)` swallows; None for another `with`."""
    calls = suppress_calls(statement)
    if not calls:
        return None
    return frozenset(last_name(argument) or "" for call in calls for argument in call.args)


def _irrefutable(case: ast.match_case) -> bool:
    return case.guard is None and isinstance(case.pattern, ast.MatchAs) \
        and case.pattern.pattern is None


def _catches_everything(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(last_name(kind) == "BaseException" for kind in types)


def _header_roots(statement: ast.AST) -> list[ast.AST]:
    """The expressions a statement's own node evaluates (not its nested blocks)."""
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.iter, statement.target]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        roots: list[ast.AST] = []
        for item in statement.items:
            roots.append(item.context_expr)
            if item.optional_vars is not None:
                roots.append(item.optional_vars)
        return roots
    if isinstance(statement, ast.Match):
        return [statement.subject]
    if isinstance(statement, ast.match_case):
        return [statement.pattern] + ([statement.guard] if statement.guard is not None else [])
    if isinstance(statement, ast.ExceptHandler):
        return [statement.type] if statement.type is not None else []
    return [statement]


def _evaluation_order(roots: list[ast.AST]) -> dict[ast.AST, tuple[int, bool]]:
    """Every node below `roots` -> (post-order position in evaluation order, conditional?).

    Iterative, so deeply nested expressions cannot exhaust the recursion limit.
    """
    order: dict[ast.AST, tuple[int, bool]] = {}
    stack: list[tuple[ast.AST, bool, bool]] = [(root, False, False) for root in reversed(roots)]
    while stack:
        node, conditional, expanded = stack.pop()
        if expanded:
            order.setdefault(node, (len(order), conditional))
            continue
        stack.append((node, conditional, True))
        if type(node) in _REORDERED:
            children = list(_children(node, conditional))
            stack.extend((child, flag, False) for child, flag in reversed(children))
        else:  # most nodes: their fields' order is the evaluation order
            stack.extend((child, conditional, False)
                         for child in reversed(list(ast.iter_child_nodes(node))))
    return order


# The node types whose evaluation order or conditionality differs from their fields' order;
# `_children` handles each, everything else takes the fast path in `_evaluation_order`.
_REORDERED = frozenset({
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Assign, ast.AnnAssign,
    ast.NamedExpr, ast.Dict, ast.BoolOp, ast.IfExp, *COMPREHENSIONS,
})


def _children(node: ast.AST, conditional: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Children in the order Python evaluates them, each with its conditional flag."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from ((child, conditional) for child in _definition_time(node))
    elif isinstance(node, ast.ClassDef):
        for child in (*node.decorator_list, *node.bases, *node.keywords):
            yield child, conditional
    elif isinstance(node, ast.Lambda):
        defaults = [*node.args.defaults, *filter(None, node.args.kw_defaults)]
        yield from ((child, conditional) for child in defaults)
    elif isinstance(node, ast.Assign):
        yield node.value, conditional
        yield from ((target, conditional) for target in node.targets)
    elif isinstance(node, ast.AnnAssign):
        if node.value is not None:
            yield node.value, conditional
        yield node.target, conditional
    elif isinstance(node, ast.NamedExpr):
        yield node.value, conditional
        yield node.target, conditional
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is not None:
                yield key, conditional
            yield value, conditional
    elif isinstance(node, ast.BoolOp):
        yield node.values[0], conditional
        yield from ((value, True) for value in node.values[1:])
    elif isinstance(node, ast.IfExp):
        yield node.test, conditional
        yield node.body, True
        yield node.orelse, True
    elif isinstance(node, COMPREHENSIONS):
        # Only the first iterable is evaluated eagerly; everything else may run zero times.
        first, *rest = node.generators
        yield first.iter, conditional
        for part in (first.target, *first.ifs, *rest):
            yield part, True
        for part in ((node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)):
            yield part, True
    else:
        yield from ((child, conditional) for child in ast.iter_child_nodes(node))


def _definition_time(function: FunctionNode) -> Iterator[ast.AST]:
    """What a nested `def` evaluates when it runs: decorators and defaults, not its body."""
    yield from function.decorator_list
    yield from function.args.defaults
    yield from (default for default in function.args.kw_defaults if default is not None)


class LocalFunctions:
    """Same-file helpers a call inside `function` can resolve to, by name only: methods of the
    enclosing class called through `self.` or `cls.`, and module-level functions."""

    def __init__(self, tree: ast.Module, owner: ast.ClassDef | None) -> None:
        self.module_functions = {node.name: node for node in tree.body
                                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.methods = {} if owner is None else {
            node.name: node for node in owner.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}

    @classmethod
    def around(cls, tree: ast.Module, function: FunctionNode,
               parents: dict[ast.AST, ast.AST]) -> LocalFunctions:
        owner = parents.get(function)
        return cls(tree, owner if isinstance(owner, ast.ClassDef) else None)

    def calls_performing(self, function: FunctionNode,
                         is_target: Callable[[ast.Call], bool]) -> list[ast.Call]:
        """Calls in `function` (outside nested scopes), in source order, of a target or of a
        same-file helper that calls one on every path returning normally."""
        helpers = self.always_calling(is_target, among=self.called_from(function))
        found = [call for call in _local_calls(function)
                 if is_target(call) or self.resolve(call) in helpers]
        return sorted(found, key=lambda call: (call.lineno, call.col_offset))

    def resolve(self, call: ast.Call) -> FunctionNode | None:
        func = call.func
        if isinstance(func, ast.Name):
            return self.module_functions.get(func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id in ("self", "cls"):
            return self.methods.get(func.attr)
        return None

    def all(self) -> list[FunctionNode]:
        return [*self.module_functions.values(), *self.methods.values()]

    def called_from(self, function: FunctionNode) -> list[FunctionNode]:
        """The same-file helpers `function` calls, directly or through one another."""
        found: list[FunctionNode] = []
        pending = [function]
        while pending:
            for call in _local_calls(pending.pop()):
                helper = self.resolve(call)
                if helper is not None and helper is not function and helper not in found:
                    found.append(helper)
                    pending.append(helper)
        return found

    def always_calling(self, is_target: Callable[[ast.Call], bool],
                       among: list[FunctionNode] | None = None) -> frozenset[FunctionNode]:
        """Helpers (of `among`, default all) that, on every path returning normally, call a
        target or such a helper."""
        candidates = self.all() if among is None else among
        flows: dict[FunctionNode, ControlFlow | None] = {}
        found: set[FunctionNode] = set()
        changed = True
        while changed:
            changed = False
            for helper in candidates:
                if helper in found:
                    continue
                calls = [node for node in _local_calls(helper)
                         if is_target(node) or self.resolve(node) in found]
                if calls and _always_runs(flows, helper, calls):
                    found.add(helper)
                    changed = True
        return frozenset(found)


@lru_cache(maxsize=64)
def _function_flow(function: FunctionNode) -> ControlFlow:
    return ControlFlow(function.body)


def _always_runs(flows: dict[FunctionNode, ControlFlow | None], function: FunctionNode,
                 calls: list[ast.Call]) -> bool:
    if function not in flows:
        try:
            flows[function] = ControlFlow.of_function(function)
        except FlowTooLarge:
            flows[function] = None
    flow = flows[function]
    return flow is not None and flow.always_runs(calls, raise_exits=False)


# Keyed by the function node (AST nodes hash by identity; the tree is never changed): each rule
# that asks `calls_performing` walks the runner and its helpers several times.
@lru_cache(maxsize=256)
def _local_calls(function: FunctionNode) -> tuple[ast.Call, ...]:
    """The calls in `function`'s body, outside nested scopes."""
    calls: list[ast.Call] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call):
            calls.append(node)
        if not isinstance(node, NESTED_SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return tuple(calls)
