"""The registry's bookkeeping read once per outcome: what the metrics function writes when the
execution succeeded, and what it writes when it failed (checklist §5, registry side).

`Bookkeeping(tree, function, config)` walks the metrics function twice, once with its outcome
parameter bound to "succeeded" and once to "failed", and lists, for every way through it, the
events in order: the fields written (`entry.ok_count += 1`, `self.state = PluginState.ERROR`,
`self.durations.append(ms)`), the calls it cannot read, the branches the outcome decided, and
how the way ends (falling off the end, `return`, `raise`).

What it follows, from the file alone:
- same-file helpers: `self._touch(entry)`, module functions, and methods of the file's own
  record classes called on a record (`entry.mark_ok()`, `known.usage.observe(ms, ok)`), the
  record's class read from annotations (`self._entries: dict[str, Entry]`, `usage: Usage`) or,
  failing that, from the only class of the file that defines the method;
- the outcome through the calls: a helper parameter that receives the outcome is the outcome
  there (`observe(elapsed_ms, ok)`), and a function without an outcome parameter of its own
  (a context manager) takes as outcome what it passes to a helper's outcome parameter
  (`self.record(name, ms, ok=ticket.ok)`);
- which parameters carry the outcome (`outcome_parameters`): one compared with an enum member
  that names an outcome (`outcome is RunOutcome.SUCCEEDED`), or one whose name says it
  (`ok`, `success`, `failed`; see `analysis.outcome`);
- tests, evaluated on constants and the outcome (`if ok`, `if not ok and x`, `outcome is ...`,
  `x if ok else y`, `match outcome`); other tests take both branches. A test is "decided by the
  outcome" when the outcome's value changes which branch runs, including through `and`/`or`
  (`entry is None or not ok`).

What it does not model: exceptions (an `except` clause is never entered; a `raise` ends the way
out), loops (their body runs once), values returned by helpers, and aliasing between records.
Calls it cannot resolve are recorded as `Opaque`, with the objects they could change (their
receiver and arguments), so that a rule can stay silent about a field such a call might write.
More than `MAX_PATHS` ways, or helpers nested deeper than `MAX_DEPTH`, raise `TooComplex`.

Helpers for the rules read the result: `could_write` (may an unreadable call have written a
field), `last_state` (the state a way through leaves), `own_counters` (counters told by their
names), and `Pair` / `pair_of` (a metrics function per outcome, read as one).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator

from flake8_phase12.analysis.classes import PURE_CALLS, Classes, is_context_manager
from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.names import is_declaration, last_name, render, string_constant
from flake8_phase12.analysis.outcome import (
    FAILURE,
    SUCCESS,
    OutcomeParameter,
    bool_constant,
    counter_polarity,
    literal_polarity,
    member_of,
    opposite,
    outcome_parameters,
    parameters,
)
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
OUTCOMES = (SUCCESS, FAILURE)
MAX_PATHS = 256
MAX_DEPTH = 6
MAX_ATOMS = 6

INCREMENT, CONSTANT, SAMPLE, ASSIGN = "increment", "constant", "sample", "assign"

LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception",
                             "critical", "log"})
SAMPLE_METHODS = frozenset({"append", "appendleft", "extend", "add", "insert"})
RECORD_UPDATE_METHODS = frozenset({"update", "replace", "_replace", "evolve"})
MAPPING_GETTERS = frozenset({"get", "setdefault", "pop"})


class TooComplex(Exception):
    """Too many ways through, or helpers too deep: the caller says nothing rather than guess."""


# -- values ----------------------------------------------------------------------------------

class Flag(Record):
    """A known truth value; `tainted` when it comes from the outcome."""
    value: bool
    tainted: bool = False


class Member(Record):
    """An enum member (`PluginState.ERROR`), or the outcome itself when `name` is ''."""
    name: str
    polarity: str | None
    tainted: bool = False
    node: ast.AST | None = None


class Text(Record):
    """A known string (a field name held in a variable)."""
    value: str
    tainted: bool = False


class Obj(Record):
    """An object reached from the function: its path (`self._entries[].usage`), its class when
    the file says it, and for a mapping the class of its values."""
    path: tuple[str, ...]
    cls: ast.ClassDef | None = None
    element: ast.ClassDef | None = None


Value = Flag | Member | Text | Obj | None


def tainted(value: Value) -> bool:
    return isinstance(value, (Flag, Member, Text)) and value.tainted


# -- events ----------------------------------------------------------------------------------

class Write(Record):
    """A field written: `kind` is INCREMENT, CONSTANT (a number), SAMPLE (appended to a
    buffer) or ASSIGN; `members` the enum members it may be set to, each with the tests that
    choose it (`(test, decided_by_outcome)`)."""
    field: str
    root: tuple[str, ...]
    node: ast.AST
    kind: str
    members: tuple[tuple[Member, tuple[tuple[ast.AST, bool], ...]], ...] = ()
    # The call of the analysed function through which a helper made the write, or None.
    site: ast.Call | None = None

    @property
    def anchor(self) -> ast.AST:
        """Where to report about this write: the call in the analysed function that led to
        it, else the write itself."""
        return self.site if self.site is not None else self.node


class Opaque(Record):
    """A call that cannot be read: the objects it could change, whether it receives the
    outcome, and the enum members it is given (a state machine's `move_to(State.ERROR)`)."""
    node: ast.Call
    roots: tuple[tuple[str, ...], ...]
    outcome: bool
    members: tuple[Member, ...]


class Decision(Record):
    """A branch taken at `test`: `decided` when the test's value was known (otherwise both
    branches were followed), `by_outcome` when the outcome's value mattered to it."""
    test: ast.AST
    by_outcome: bool
    decided: bool = True


class Left(Record):
    """The end of the branch a `Decision` entered (events in between are under it)."""
    test: ast.AST


class Returned(Record):
    """A `return` of the function or of a helper it called."""
    node: ast.AST


class ConstantOutcome(Record):
    """A constant passed where a helper takes the outcome: `self.record(..., ok=True)`."""
    call: ast.Call
    argument: ast.AST


class Path(Record):
    """One way through the function under one outcome."""
    events: tuple[object, ...]
    exit: str  # "end", "return" or "raise"

    @property
    def normal(self) -> bool:
        return self.exit != "raise"

    @property
    def by_outcome(self) -> bool:
        return any(isinstance(event, Decision) and event.by_outcome for event in self.events)

    def governed(self) -> Iterator[tuple[object, Decision | None]]:
        """Each event with the innermost branch decided by the outcome that holds it."""
        active: list[Decision] = []
        for event in self.events:
            if isinstance(event, Decision):
                active.append(event)
            elif isinstance(event, Left):
                for index in range(len(active) - 1, -1, -1):
                    if active[index].test is event.test:
                        del active[index]
                        break
            held = [decision for decision in active if decision.by_outcome]
            yield event, (held[-1] if held else None)

    def writes(self) -> Iterator[Write]:
        return (event for event in self.events if isinstance(event, Write))

    def opaque(self) -> Iterator[Opaque]:
        return (event for event in self.events if isinstance(event, Opaque))


# -- the file's classes ----------------------------------------------------------------------


# -- which parameters carry the outcome --------------------------------------------------------


def outcome_value(parameter: OutcomeParameter, outcome: str) -> Value:
    if parameter.kind == "member":
        return Member("", outcome, True)
    return Flag(outcome == parameter.polarity, True)


# -- the interpreter --------------------------------------------------------------------------

class _State:
    """One way through, while it is being followed."""

    __slots__ = ("env", "events")

    def __init__(self, env: dict[str, Value], events: tuple[object, ...]) -> None:
        self.env = env
        self.events = events

    def copy(self) -> _State:
        return _State(dict(self.env), self.events)

    def add(self, event: object) -> None:
        self.events = self.events + (event,)


class _Frame(Record):
    function: FunctionNode
    cls: ast.ClassDef | None
    returns: list  # the states that returned from this function
    finals: tuple[list[ast.stmt], ...] = ()
    loop_exits: list | None = None


class Bookkeeping:
    """The ways through `function` under each outcome (see the module docstring)."""

    def __init__(self, tree: ast.Module, function: FunctionNode, parents: dict[ast.AST, ast.AST],
                 strict: bool = False) -> None:
        self.classes = Classes(tree)
        self.function = function
        self.parents = parents
        self.cls = self.classes.of(function, parents)
        self.parameters = outcome_parameters(function, strict)
        self.functions: list[FunctionNode] = [function]
        self._parameters: dict[FunctionNode, dict[str, OutcomeParameter]] = {
            function: self.parameters}
        self._source: ast.AST | None = None
        self._site: ast.Call | None = None
        self._outcome = SUCCESS
        self._stack: list[FunctionNode] = []
        self._finished: list[tuple[_State, str, ast.AST | None]] = []
        self.paths: dict[str, list[Path]] = {}
        for outcome in OUTCOMES:
            self.paths[outcome] = self._run(outcome)

    @property
    def has_outcome(self) -> bool:
        """Whether the outcome reaches the bookkeeping at all (a parameter or a source)."""
        return bool(self.parameters) or self._source is not None

    # -- driving ---------------------------------------------------------------------------

    def _run(self, outcome: str) -> list[Path]:
        self._outcome = outcome
        self._finished = []
        env: dict[str, Value] = {name: outcome_value(parameter, outcome)
                                 for name, parameter in self.parameters.items()}
        if self.cls is not None and parameters(self.function) \
                and parameters(self.function)[0].arg in ("self", "cls"):
            env[parameters(self.function)[0].arg] = Obj(("self",), self.cls)
        frame = _Frame(self.function, self.cls, [])
        self._stack = [self.function]
        ends = self._block(self.function.body, [_State(env, ())], frame)
        paths = [Path(state.events, "end") for state in ends]
        paths += [Path(state.events, "return") for state, _ in frame.returns]
        paths += [Path(state.events, kind) for state, kind, _ in self._finished]
        return paths

    def _limit(self, states: list[_State]) -> list[_State]:
        if len(states) > MAX_PATHS:
            raise TooComplex("too many ways through the metrics function")
        return states

    # -- statements ------------------------------------------------------------------------

    def _block(self, statements: Iterable[ast.stmt], states: list[_State],
               frame: _Frame) -> list[_State]:
        for statement in statements:
            if not states:
                break
            states = self._limit([after for state in states
                                  for after in self._statement(statement, state, frame)])
        return states

    def _statement(self, statement: ast.stmt, state: _State, frame: _Frame) -> list[_State]:
        # pylint: disable=too-many-return-statements,too-many-branches
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Import, ast.ImportFrom, ast.Pass, ast.Global,
                                  ast.Nonlocal)):
            return [state]
        if isinstance(statement, ast.Expr):
            return self._expression(statement.value, state, command=True)
        if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            return self._assignment(statement, state)
        if isinstance(statement, ast.If):
            return self._if(statement, state, frame)
        if isinstance(statement, ast.Return):
            states = self._expression(statement.value, state) \
                if statement.value is not None else [state]
            for after in self._through_finals(states, frame):
                after.add(Returned(statement))
                frame.returns.append((after, statement))
            return []
        if isinstance(statement, ast.Raise):
            for after in self._through_finals([state], frame):
                self._finished.append((after, "raise", statement))
            return []
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            states = [state]
            for item in statement.items:
                states = [after for current in states
                          for after in self._expression(item.context_expr, current,
                                                        command=True)]
            return self._block(statement.body, states, frame)
        if isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            return self._try(statement, state, frame)  # type: ignore[arg-type]
        if isinstance(statement, (ast.For, ast.AsyncFor, ast.While)):
            return self._loop(statement, state, frame)
        if isinstance(statement, (ast.Break, ast.Continue)):
            if frame.loop_exits is not None:
                frame.loop_exits.append(state)
            return []
        if isinstance(statement, ast.Match):
            return self._match(statement, state, frame)
        if isinstance(statement, ast.Assert):
            return self._expression(statement.test, state)
        if isinstance(statement, ast.Delete):
            return [state]
        return [state]

    def _through_finals(self, states: list[_State], frame: _Frame) -> list[_State]:
        for final in reversed(frame.finals):
            inner = frame._replace(finals=frame.finals[:frame.finals.index(final)])
            states = self._block(final, states, inner)
        return states

    def _if(self, statement: ast.If, state: _State, frame: _Frame) -> list[_State]:
        states = self._expression(statement.test, state)
        result: list[_State] = []
        for current in states:
            value, caused = self._test(statement.test, current)
            for branch, body in ((True, statement.body), (False, statement.orelse)):
                if value is not None and value != branch:
                    continue
                by_outcome = caused[branch]
                taken = current.copy()
                entered = value is not None or by_outcome
                if entered:
                    taken.add(Decision(statement.test, by_outcome, value is not None))
                after = self._block(body, [taken], frame)
                if entered:
                    for state_after in after:
                        state_after.add(Left(statement.test))
                result.extend(after)
        return result

    def _try(self, statement: ast.Try, state: _State, frame: _Frame) -> list[_State]:
        inner = frame._replace(finals=frame.finals + (statement.finalbody,)) \
            if statement.finalbody else frame
        states = self._block(statement.body, [state], inner)
        states = self._block(statement.orelse, states, inner)
        return self._block(statement.finalbody, states, frame)

    def _loop(self, statement: ast.For | ast.AsyncFor | ast.While, state: _State,
              frame: _Frame) -> list[_State]:
        head = statement.iter if isinstance(statement, (ast.For, ast.AsyncFor)) else statement.test
        states = self._expression(head, state)
        exits: list[_State] = []
        inner = frame._replace(loop_exits=exits)
        states = self._block(statement.body, states, inner)
        states = self._block(statement.orelse, states, frame)
        return states + exits

    def _match(self, statement: ast.Match, state: _State, frame: _Frame) -> list[_State]:
        subject = self._value(statement.subject, state)
        result: list[_State] = []
        pending = [state]
        for case in statement.cases:
            verdict, by_outcome = self._case(case, subject)
            next_pending: list[_State] = []
            for current in pending:
                if verdict is not False:
                    taken = current.copy()
                    entered = verdict is not None or by_outcome
                    if entered:
                        taken.add(Decision(case.pattern, by_outcome, verdict is not None))
                    after = self._block(case.body, [taken], frame)
                    if entered:
                        for state_after in after:
                            state_after.add(Left(case.pattern))
                    result.extend(after)
                if verdict is not True:
                    next_pending.append(current)
            pending = next_pending
        return result + pending

    def _case(self, case: ast.match_case, subject: Value) -> tuple[bool | None, bool]:
        pattern = case.pattern
        if case.guard is None and isinstance(pattern, ast.MatchAs) and pattern.pattern is None:
            return True, False
        if case.guard is None and isinstance(pattern, ast.MatchValue):
            return _equal(subject, pattern.value)
        return None, tainted(subject)

    # -- assignments -----------------------------------------------------------------------

    def _assignment(self, statement: ast.Assign | ast.AugAssign | ast.AnnAssign,
                    state: _State) -> list[_State]:
        value = statement.value
        states = self._expression(value, state) if value is not None else [state]
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for current in states:
            for target in targets:
                self._assign(target, value, statement, current)
        return states

    def _assign(self, target: ast.AST, value: ast.AST | None, statement: ast.stmt,
                state: _State) -> None:
        if isinstance(target, ast.Name):
            if isinstance(statement, ast.AugAssign):
                state.env[target.id] = None
            elif value is not None:
                state.env[target.id] = self._value(value, state)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._assign(element, None, statement, state)
            return
        if isinstance(target, ast.Starred):
            self._assign(target.value, None, statement, state)
            return
        field = self._field(target, state)
        if field is None:
            return
        root = self._root(target.value, state)  # type: ignore[attr-defined]
        members = self._members(value, state) if value is not None else ()
        state.add(self._write(field, root, statement, _kind(statement, target, field), members))
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values):
                name = string_constant(key)
                if name:
                    state.add(self._write(name, root + (field,), statement, _value_kind(item, name),
                                          self._members(item, state)))
        elif isinstance(value, ast.Call):
            for keyword in value.keywords:
                if keyword.arg:
                    state.add(self._write(keyword.arg, root + (field,), statement,
                                          _value_kind(keyword.value, keyword.arg),
                                          self._members(keyword.value, state)))

    def _write(self, *fields: object) -> Write:
        return Write(*fields[:5], site=self._site)  # type: ignore[arg-type]

    def _field(self, target: ast.AST, state: _State) -> str | None:
        if isinstance(target, ast.Attribute):
            return target.attr
        if isinstance(target, ast.Subscript):
            key = string_constant(target.slice)
            if key:
                return key
            held = self._value(target.slice, state)
            if isinstance(held, Text):
                return held.value
            return "[]"
        return None

    def _root(self, node: ast.AST, state: _State) -> tuple[str, ...]:
        value = self._value(node, state)
        return value.path if isinstance(value, Obj) else ("?",)

    def _members(self, value: ast.AST | None, state: _State,
                 choosers: tuple[tuple[ast.AST, bool], ...] = ()
                 ) -> tuple[tuple[Member, tuple[tuple[ast.AST, bool], ...]], ...]:
        """The enum members `value` may be, each with the tests that choose it."""
        if value is None:
            return ()
        if isinstance(value, ast.IfExp):
            verdict, caused = self._test(value.test, state)
            found: tuple = ()
            if verdict is not False:
                found += self._members(value.body, state,
                                       choosers + ((value.test, caused[True]),))
            if verdict is not True:
                found += self._members(value.orelse, state,
                                       choosers + ((value.test, caused[False]),))
            return found
        held = self._value(value, state)
        if isinstance(held, Member) and held.name:
            return ((held, choosers),)
        return ()

    # -- expressions -----------------------------------------------------------------------

    def _expression(self, node: ast.AST | None, state: _State,
                    command: bool = False) -> list[_State]:
        """Follows the calls `node` makes, in evaluation order."""
        if node is None:
            return [state]
        states = [state]
        top = node.value if isinstance(node, ast.Await) else node
        for call in _calls(node):
            states = self._limit([after for current in states
                                  for after in self._call(call, current,
                                                          command and call is top)])
        return states

    def _call(self, call: ast.Call, state: _State, command: bool) -> list[_State]:
        name = last_name(call.func)
        resolved = self._resolve(call, state)
        if resolved is not None:
            return self._inline(call, resolved, state)
        arguments = [self._value(argument, state) for argument in call.args] \
            + [self._value(keyword.value, state) for keyword in call.keywords]
        receiver = self._value(call.func.value, state) if isinstance(call.func, ast.Attribute) \
            else None
        if name == "setattr" and len(call.args) >= 2:
            field = string_constant(call.args[1])
            held = self._value(call.args[1], state)
            if field is None and isinstance(held, Text):
                field = held.value
            if field is not None:
                members = self._members(call.args[2], state) if len(call.args) > 2 else ()
                state.add(self._write(field, self._root(call.args[0], state), call, ASSIGN,
                                      members))
            return [state]
        if isinstance(receiver, Obj) and isinstance(call.func, ast.Attribute):
            if name in SAMPLE_METHODS and receiver.path and receiver.path[-1] != "[]":
                state.add(self._write(receiver.path[-1], receiver.path[:-1], call, SAMPLE))
                return [state]
            if name in RECORD_UPDATE_METHODS:
                self._record_update(call, receiver, state)
                return [state]
        if _pure(call, name):
            return [state]
        passes_outcome = any(tainted(value) for value in arguments)
        members = tuple(value for value in arguments if isinstance(value, Member) and value.name)
        if command or passes_outcome or members:
            roots = tuple(value.path for value in [receiver, *arguments] if isinstance(value, Obj))
            if isinstance(call.func, ast.Attribute) and not isinstance(receiver, Obj):
                roots += (("?",),)
            state.add(Opaque(call, roots, passes_outcome, members))
        return [state]

    def _record_update(self, call: ast.Call, receiver: Obj, state: _State) -> None:
        """`record.update(field=...)`, `record.update({"field": ...})`, `record._replace(...)`."""
        items = [(keyword.arg, keyword.value) for keyword in call.keywords if keyword.arg]
        for argument in call.args:
            if isinstance(argument, ast.Dict):
                items += [(string_constant(key), item)
                          for key, item in zip(argument.keys, argument.values)]
        for field, item in items:
            if field:
                state.add(self._write(field, receiver.path, call, _value_kind(item, field),
                                      self._members(item, state)))

    def _resolve(self, call: ast.Call, state: _State
                 ) -> tuple[FunctionNode, ast.ClassDef | None, Value] | None:
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in state.env:
                return None
            function = self.classes.functions.get(func.id)
            return (function, None, None) if function is not None else None
        if not isinstance(func, ast.Attribute):
            return None
        receiver = self._value(func.value, state)
        if not isinstance(receiver, Obj):
            return None
        if receiver.cls is not None:
            method = self.classes.method(receiver.cls, func.attr)
            return (method, receiver.cls, receiver) if method is not None else None
        only = self.classes.only_method(func.attr)
        return (only[1], only[0], receiver) if only is not None else None

    def _inline(self, call: ast.Call, resolved: tuple[FunctionNode, ast.ClassDef | None, Value],
                state: _State) -> list[_State]:
        function, cls, receiver = resolved
        if function in self._stack or len(self._stack) > MAX_DEPTH or function.name == "__init__":
            return [state]
        if function not in self.functions:
            self.functions.append(function)
        if function not in self._parameters:
            self._parameters[function] = outcome_parameters(function)
        env, bound = self._bind(call, function, cls, receiver, state)
        for name, parameter in self._parameters[function].items():
            argument = bound.get(name)
            if argument is None:
                continue
            value = env.get(name)
            if isinstance(value, (Flag, Member)) and not value.tainted:
                state.add(ConstantOutcome(call, argument))
            elif not tainted(value) and not self.parameters \
                    and self._source in (None, argument):
                self._source = argument
                env[name] = outcome_value(parameter, self._outcome)
        frame = _Frame(function, cls, [])
        self._stack.append(function)
        outer = self._site
        if outer is None:
            self._site = call
        try:
            ends = self._block(function.body, [_State(env, state.events)], frame)
        finally:
            self._stack.pop()
            self._site = outer
        returned = ends + [after for after, _node in frame.returns]
        return [_State(dict(state.env), after.events) for after in returned]

    def _bind(self, call: ast.Call, function: FunctionNode, cls: ast.ClassDef | None,
              receiver: Value, state: _State) -> tuple[dict[str, Value], dict[str, ast.AST]]:
        """The callee's parameters bound to the call's arguments: their values, and the
        argument expressions by parameter name."""
        env: dict[str, Value] = {}
        positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        is_method = cls is not None and positional[:1] in (["self"], ["cls"]) \
            and not any(last_name(decorator) == "staticmethod"
                        for decorator in function.decorator_list)
        if is_method:
            env[positional[0]] = receiver if isinstance(receiver, Obj) else Obj(("?",), cls)
            positional = positional[1:]
        bound: dict[str, ast.AST] = dict(zip(positional, call.args))
        bound.update({keyword.arg: keyword.value for keyword in call.keywords if keyword.arg})
        for name in (arg.arg for arg in parameters(function)):
            if name in bound:
                env[name] = self._value(bound[name], state)
        return env, bound

    # -- values ----------------------------------------------------------------------------

    def _value(self, node: ast.AST, state: _State) -> Value:
        # pylint: disable=too-many-return-statements,too-many-branches
        if isinstance(node, ast.Await):
            return self._value(node.value, state)
        constant = bool_constant(node)
        if constant is not None:
            return Flag(constant)
        text = string_constant(node)
        if text is not None:
            return Text(text)
        member = member_of(node)
        if member is not None:
            return Member(member.attr, literal_polarity(member), False, member)
        if isinstance(node, ast.Name):
            if node.id in state.env:
                return state.env[node.id]
            cls = self.classes.by_name.get(node.id)
            return Obj((node.id,), cls)
        if isinstance(node, ast.Attribute):
            base = self._value(node.value, state)
            if isinstance(base, Obj):
                cls, element = self.classes.type_of(self.classes.attribute(base.cls, node.attr))
                return Obj(base.path + (node.attr,), cls, element)
            return None
        if isinstance(node, ast.Subscript):
            base = self._value(node.value, state)
            if isinstance(base, Obj):
                return Obj(base.path + ("[]",), base.element)
            return None
        if isinstance(node, ast.Call):
            return self._call_value(node, state)
        if isinstance(node, ast.NamedExpr):
            value = self._value(node.value, state)
            state.env[node.target.id] = value
            return value
        if isinstance(node, ast.IfExp):
            verdict, by_outcome = self._truth(node.test, state)
            if verdict is None:
                return None
            chosen = self._value(node.body if verdict else node.orelse, state)
            return _taint(chosen) if by_outcome else chosen
        if isinstance(node, (ast.UnaryOp, ast.BoolOp, ast.Compare)):
            verdict, by_outcome = self._truth(node, state)
            return Flag(verdict, by_outcome) if verdict is not None else None
        return None

    def _call_value(self, call: ast.Call, state: _State) -> Value:
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in MAPPING_GETTERS:
            base = self._value(func.value, state)
            if isinstance(base, Obj):
                return Obj(base.path + ("[]",), base.element)
        name = last_name(func)
        if name in self.classes.by_name and isinstance(func, (ast.Name, ast.Attribute)):
            return Obj(("new", name), self.classes.by_name[name])
        return None

    def _truth(self, node: ast.AST, state: _State) -> tuple[bool | None, bool]:
        """(the test's value, or None when unknown; whether the outcome decided it)."""
        value, caused = self._test(node, state)
        if value is not None:
            return value, caused[value]
        return None, caused[True] or caused[False]

    def _test(self, node: ast.AST, state: _State) -> tuple[bool | None, dict[bool, bool]]:
        """The test's value under this outcome (None when unknown), and for each branch
        whether the outcome can be what sends the execution there: some values of the test's
        unknown parts take that branch under this outcome and the other under the opposite
        one. Unknown parts read the same under both outcomes, unless they involve it."""
        here = self._formula(node, state, flipped=False)
        there = self._formula(node, _flipped(state), flipped=True)
        atoms = sorted(_atoms(here) | _atoms(there))
        if len(atoms) > MAX_ATOMS:
            unknown = self._mentions_outcome(node, state)
            return None, {True: unknown, False: unknown}
        seen: set[bool] = set()
        caused = {True: False, False: False}
        for bits in range(1 << len(atoms)):
            values = {atom: bool(bits >> index & 1) for index, atom in enumerate(atoms)}
            now, then = _evaluate(here, values), _evaluate(there, values)
            seen.add(now)
            if now != then:
                caused[now] = True
        return (next(iter(seen)) if len(seen) == 1 else None), caused

    def _formula(self, node: ast.AST, state: _State, flipped: bool) -> tuple:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ("not", self._formula(node.operand, state, flipped))
        if isinstance(node, ast.BoolOp):
            return ("and" if isinstance(node.op, ast.And) else "or",
                    tuple(self._formula(value, state, flipped) for value in node.values))
        value, involves = self._leaf(node, state)
        if value is not None:
            return ("const", value)
        return ("atom", (ast.dump(node), flipped and involves))

    def _leaf(self, node: ast.AST, state: _State) -> tuple[bool | None, bool]:
        """A test without `not`/`and`/`or`: its value, and whether it involves the outcome."""
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            operator = node.ops[0]
            left, right = self._value(node.left, state), self._value(node.comparators[0], state)
            if isinstance(operator, (ast.Is, ast.Eq, ast.IsNot, ast.NotEq)):
                equal, involves = _equal(left, node.comparators[0], right)
                if equal is not None:
                    return (not equal if isinstance(operator, (ast.IsNot, ast.NotEq))
                            else equal), involves
            return None, tainted(left) or tainted(right) or self._mentions_outcome(node, state)
        value = self._value(node, state)
        if isinstance(value, Flag):
            return value.value, value.tainted
        if isinstance(value, Text):
            return bool(value.value), value.tainted
        return None, tainted(value) or self._mentions_outcome(node, state)

    def _mentions_outcome(self, node: ast.AST, state: _State) -> bool:
        return any(isinstance(part, ast.Name) and tainted(state.env.get(part.id))
                   for part in ast.walk(node))


def _equal(left: Value, right_node: ast.AST, right: Value | None = None
           ) -> tuple[bool | None, bool]:
    """`left is right_node` when the answer is known: members compared by the outcome they
    stand for, truth values by value."""
    if right is None:
        right = Member(member_of(right_node).attr, literal_polarity(right_node), False) \
            if member_of(right_node) is not None else None
    for one, other in ((left, right), (right, left)):
        if isinstance(one, Member) and isinstance(other, Member):
            if one.name and other.name:
                return one.name == other.name, one.tainted or other.tainted
            if one.polarity is not None and other.polarity is not None:
                return one.polarity == other.polarity, one.tainted or other.tainted
            return None, one.tainted or other.tainted
        if isinstance(one, Flag) and isinstance(other, Flag):
            return one.value == other.value, one.tainted or other.tainted
    return None, tainted(left) or tainted(right)


def _flipped(state: _State) -> _State:
    """The state as the opposite outcome would have it: the outcome's own values reversed,
    values merely chosen by it unknown."""
    env: dict[str, Value] = {}
    for name, value in state.env.items():
        if isinstance(value, Flag) and value.tainted:
            env[name] = Flag(not value.value, True)
        elif isinstance(value, Member) and value.tainted:
            env[name] = Member("", opposite(value.polarity), True) \
                if not value.name and value.polarity else None
        elif isinstance(value, Text) and value.tainted:
            env[name] = None
        else:
            env[name] = value
    return _State(env, state.events)


def _atoms(formula: tuple) -> set:
    if formula[0] == "atom":
        return {formula[1]}
    if formula[0] == "not":
        return _atoms(formula[1])
    if formula[0] in ("and", "or"):
        return set().union(*(_atoms(part) for part in formula[1]))
    return set()


def _evaluate(formula: tuple, values: dict) -> bool:
    kind = formula[0]
    if kind == "const":
        return formula[1]
    if kind == "atom":
        return values[formula[1]]
    if kind == "not":
        return not _evaluate(formula[1], values)
    parts = [_evaluate(part, values) for part in formula[1]]
    return all(parts) if kind == "and" else any(parts)


def _taint(value: Value) -> Value:
    if isinstance(value, (Flag, Member, Text)):
        return value._replace(tainted=True)
    return value


def _pure(call: ast.Call, name: str | None) -> bool:
    if name in PURE_CALLS:
        return True
    if name in LOGGING_METHODS and isinstance(call.func, ast.Attribute):
        owner = (render(call.func.value) or "").lower()
        return "log" in owner or owner == "warnings"
    return False


def _kind(statement: ast.stmt, target: ast.AST, field: str) -> str:
    if isinstance(statement, ast.AugAssign):
        if isinstance(statement.op, ast.Add) and _nonzero_number(statement.value):
            return INCREMENT
        return ASSIGN
    value = statement.value  # type: ignore[attr-defined]
    del target
    return _value_kind(value, field)


def _value_kind(value: ast.AST | None, field: str) -> str:
    if value is None:
        return ASSIGN
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        for number, other in ((value.left, value.right), (value.right, value.left)):
            if _nonzero_number(number) and _mentions_field(other, field):
                return INCREMENT
    if isinstance(value, ast.Constant) and type(value.value) in (int, float):
        return CONSTANT
    return ASSIGN


def _nonzero_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value != 0


def _mentions_field(node: ast.AST, field: str) -> bool:
    return any((isinstance(part, ast.Attribute) and part.attr == field)
               or string_constant(part) == field for part in ast.walk(node))


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    """The calls below `node`, arguments before the call, not entering nested scopes."""
    if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                         ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return
    for child in ast.iter_child_nodes(node):
        yield from _calls(child)
    if isinstance(node, ast.Call):
        yield node


# -- reading the ways through ------------------------------------------------------------------

class Pair:
    """A metrics function that records one outcome and its same-file sibling that records the
    other (`record_success` / `record_failure`), read as one function whose ways through are
    the first's for that outcome and the second's for the other."""

    has_outcome = True

    def __init__(self, first: Bookkeeping, second: Bookkeeping, outcome: str) -> None:
        self.parameters: dict[str, object] = {}
        self.classes = first.classes
        self.functions = first.functions + [node for node in second.functions
                                            if node not in first.functions]
        self.paths = {outcome: first.paths[outcome],
                      opposite(outcome): second.paths[opposite(outcome)]}


def pair_of(ctx: FileContext, function: FunctionNode, reading: Bookkeeping) -> Pair | None:
    """The pair `function` is one half of, if it takes no outcome, counts exactly one outcome,
    and a public sibling (same class, or module level) counts the other alone."""
    if reading.has_outcome or is_context_manager(function):
        return None
    metrics = ctx.config.metrics
    counters = {SUCCESS: metrics.success_field, FAILURE: metrics.error_field}
    outcomes = counted(reading, counters)
    if len(outcomes) != 1:
        return None
    outcome = outcomes.pop()
    owner = ctx.parents.get(function)
    siblings = owner.body if isinstance(owner, ast.ClassDef) else ctx.tree.body
    for sibling in siblings:
        if not isinstance(sibling, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                or sibling is function or sibling.name.startswith("_") \
                or is_declaration(sibling) or is_context_manager(sibling):
            continue
        try:
            other = Bookkeeping(ctx.tree, sibling, ctx.parents)
        except TooComplex:
            continue
        if not other.has_outcome and counted(other, counters) == {opposite(outcome)}:
            return Pair(reading, other, outcome)
    return None


def counted(reading: Bookkeeping, counters: dict[str, str]) -> set[str]:
    """The outcomes whose counter `reading` increments somewhere."""
    increments = {write.field for paths in reading.paths.values() for path in paths
                  for write in path.writes() if write.kind == INCREMENT}
    return {outcome for outcome, field in counters.items() if field in increments}


def own_counters(writes: list[Write]) -> dict[str, str] | None:
    """The counters a function increments (or sets to a number), when their names say which
    outcome each counts (`ok_count`, `failed_runs`): one field per outcome, else None."""
    found: dict[str, set[str]] = {SUCCESS: set(), FAILURE: set()}
    for write in writes:
        if write.kind in (INCREMENT, CONSTANT):
            polarity = counter_polarity(write.field)
            if polarity is not None:
                found[polarity].add(write.field)
    if all(len(fields) == 1 for fields in found.values()):
        return {outcome: next(iter(fields)) for outcome, fields in found.items()}
    return None


def last_state(path: Path, is_state: Callable[[Write], bool]) -> Write | None:
    """The last state write on a way through, or None when none, or when a call it cannot
    read is given the outcome or a state after it (the state is then unknown)."""
    last: Write | None = None
    for event in path.events:
        if isinstance(event, Write) and is_state(event):
            last = event
        elif isinstance(event, Opaque) and (event.outcome or event.members):
            last = None if not event.members else Write(
                "state", event.roots[0] if event.roots else ("?",), event.node, ASSIGN,
                tuple((member, ((event.node, True),) if member.tainted else ())
                      for member in event.members))
    return last


def could_write(roots: Iterable[tuple[str, ...]], record: list[tuple[str, ...]],
                loose: bool = False) -> bool:
    """Whether a call that may change the objects `roots` could write a field held at one of
    `record` (the objects whose metrics are written): one of them is the unknown object, or
    holds the record (`self`, `entry` for `entry.usage`); `loose` also counts another part of
    the same registry element (`entry.lifecycle` for `entry.usage`)."""
    for root in roots:
        if root == ("?",):
            return True
        for held in record:
            shared = 0
            for one, other in zip(root, held):
                if one != other:
                    break
                shared += 1
            if shared == len(root) and shared > 0:
                return True
            if loose and shared and (shared == len(held) or "[]" in root[:shared]):
                return True
    return False
