"""The registry's own names for the checklist's metrics, read from what the metrics update writes.

The checklist names six metrics (`success_count`, `error_count`, `last_execution_time_ms`,
`avg_execution_time_ms`, `last_used`, `state`); a registry has its own names for them. They are
read from the statements of the metrics update, and of the record's helper methods it calls
(`entry.mark_ok()`), by what each statement does, never by the field's name:

- a counter incremented (`+= 1`) on the success branch is the success counter, on the failure
  branch the error counter (the branch is an `if` on the update's outcome parameter, or its
  `else`);
- a field assigned the duration parameter as it is: the last execution time;
- a field assigned an expression of the duration and of its own previous value: the average;
- a field assigned the result of a call with no argument (`self._clock()`, `utcnow()`): last used;
- a field assigned an enum member (`State.OK`, or one per branch): the state, and its members
  the states.

What cannot be read that way stays at its default, and the report says so.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.init.inference import FunctionNode, Types
from flake8_phase12.init.project import SourceModule

MAX_HELPER_DEPTH = 3


@dataclass
class MetricFields:
    """The registry's names for the checklist's metrics (empty: not read)."""
    success: str = ""
    error: str = ""
    last_time: str = ""
    average: str = ""
    last_used: str = ""
    state: str = ""
    success_states: list[str] = field(default_factory=list)
    error_states: list[str] = field(default_factory=list)

    @property
    def states(self) -> list[str]:
        """The states set on success, then those set on failure."""
        return list(dict.fromkeys(self.success_states + self.error_states))

    @property
    def found(self) -> bool:
        return bool(self.success or self.error or self.last_time or self.average or self.last_used
                    or self.state)


def read_metric_fields(types: Types, module: SourceModule, function: FunctionNode) -> MetricFields:
    """What the metrics update `function` (defined in `module`) writes, in the checklist's terms."""
    reader = _Reader(types, function)
    reader.statements(module, function, function.body, polarity=None, depth=0)
    return reader.fields


class _Reader:
    def __init__(self, types: Types, update: FunctionNode) -> None:
        self.types = types
        self.fields = MetricFields()
        arguments = [*update.args.posonlyargs, *update.args.args, *update.args.kwonlyargs]
        self.parameters = {arg.arg for arg in arguments} - {"self", "cls"}
        self.durations = _durations(arguments)
        self.visited: set[int] = set()

    def statements(self, module: SourceModule, function: FunctionNode, body: list[ast.stmt],
                   polarity: bool | None, depth: int) -> None:
        for statement in body:
            if isinstance(statement, ast.If):
                branch = self._outcome_test(statement.test)
                if branch is not None:
                    self.statements(module, function, statement.body, branch, depth)
                    self.statements(module, function, statement.orelse, not branch, depth)
                    continue
            if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add):
                self._increment(statement.target, polarity)
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                for target in targets:
                    self._assign(target, statement.value, polarity)
            elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                self._helper(module, function, statement.value, polarity, depth)
            for part in ("body", "orelse", "finalbody"):
                if not isinstance(statement, ast.If) and isinstance(getattr(statement, part, None), list):
                    self.statements(module, function, getattr(statement, part), polarity, depth)

    def _outcome_test(self, test: ast.expr) -> bool | None:
        """True when the `if` tests the outcome for success (`if ok:`, `if outcome is X.OK`),
        False when for failure (`if not ok:`); None when it tests something else."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._outcome_test(test.operand)
            return None if inner is None else not inner
        names = {node.id for node in ast.walk(test) if isinstance(node, ast.Name)}
        if not names & self.parameters:
            return None
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            member = dotted_name(test.comparators[0]) or ""
            negative = isinstance(test.ops[0], (ast.IsNot, ast.NotEq))
            failure_words = ("FAIL", "ERROR", "DEGRAD", "BAD", "BROKEN")
            failed = any(word in member.upper() for word in failure_words)
            return failed == negative
        return True

    def _increment(self, target: ast.expr, polarity: bool | None) -> None:
        if not isinstance(target, ast.Attribute) or polarity is None:
            return
        if polarity and not self.fields.success:
            self.fields.success = target.attr
        elif polarity is False and not self.fields.error:
            self.fields.error = target.attr

    def _assign(self, target: ast.expr, value: ast.expr | None, polarity: bool | None) -> None:
        if not isinstance(target, ast.Attribute) or value is None:
            return
        name = target.attr
        used = {node.id for node in ast.walk(value) if isinstance(node, ast.Name)}
        own = any(isinstance(node, ast.Attribute) and node.attr == name for node in ast.walk(value))
        if isinstance(value, ast.Name) and value.id in self.durations:
            self.fields.last_time = self.fields.last_time or name
        elif used & self.parameters and (own or _mentions_previous(value, used)):
            self.fields.average = self.fields.average or name
        elif isinstance(value, ast.Call) and not value.args and not value.keywords:
            self.fields.last_used = self.fields.last_used or name
        elif _members(value):
            self.fields.state = self.fields.state or name
            if isinstance(value, ast.IfExp):
                self.fields.success_states += _members(value.body)
                self.fields.error_states += _members(value.orelse)
            elif polarity is not None:
                (self.fields.success_states if polarity else self.fields.error_states).extend(_members(value))

    def _helper(self, module: SourceModule, function: FunctionNode, call: ast.Call,
                polarity: bool | None, depth: int) -> None:
        """`entry.mark_ok()`: read the method of the record's class, on the same branch."""
        if depth >= MAX_HELPER_DEPTH or not isinstance(call.func, ast.Attribute):
            return
        value = self.types.infer(call.func, module, function)
        if value is None or value.cls is None or not value.method:
            return
        method = value.cls.methods.get(value.method)
        if method is None or id(method) in self.visited:
            return
        self.visited.add(id(method))
        arguments = [*method.args.args, *method.args.kwonlyargs]
        saved = self.parameters, self.durations
        self.parameters = saved[0] | ({arg.arg for arg in arguments} - {"self", "cls"})
        self.durations = saved[1] | _durations(arguments)
        self.statements(value.cls.module, method, method.body, polarity, depth + 1)
        self.parameters, self.durations = saved


def _durations(arguments: list[ast.arg]) -> set[str]:
    """The parameters that can hold a duration: annotated as a number, or, unannotated, named
    as one (`elapsed_ms`, `duration`)."""
    found = set()
    for arg in arguments:
        annotation = dotted_name(arg.annotation) if arg.annotation is not None else None
        if annotation in ("float", "int") or arg.annotation is None and any(
                word in arg.arg.lower() for word in ("ms", "elapsed", "duration", "seconds", "time")):
            found.add(arg.arg)
    return found


def _members(value: ast.expr) -> list[str]:
    """Enum members assigned: `State.OK` -> [OK]; `A.X if ok else A.Y` -> [X, Y]."""
    if isinstance(value, ast.IfExp):
        return _members(value.body) + _members(value.orelse)
    written = dotted_name(value)
    if written and "." in written:
        member = written.rsplit(".", 1)[-1]
        return [member] if member.isupper() else []
    return []


def _mentions_previous(value: ast.expr, names: set[str]) -> bool:
    """An expression of the duration with a running value (`previous + (d - previous) / n`)."""
    return len(names) >= 2 and isinstance(value, ast.BinOp)
