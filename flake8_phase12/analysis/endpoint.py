"""The analyze endpoint of an API module: a governed route's service calls, the values they bind,
its error branches and success path (checklist §7). `analysis/routes.py` finds the routes and
what the service returns; this module reads one route (or failure helper) with that knowledge.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import annotation_names, last_name, string_constant
from flake8_phase12.analysis.responses import (
    is_logging_call,
    is_response_call,
    lookup_target,
    unwrap,
)
from flake8_phase12.records import Record

if TYPE_CHECKING:
    from flake8_phase12.analysis.routes import ApiModule

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# Calls that only shape a value into a response: passing the result to them is no check.
RESPONSE_SHAPERS = frozenset({"dict", "jsonable_encoder"})

# What the analysis service's result is, in the routes of one module.
DICT, PAIR, OBJECT, UNKNOWN = "dict", "pair", "object", "unknown"
# Methods of a dict: reading them says nothing about an object's attributes.
DICT_METHODS = frozenset({"get", "items", "keys", "values", "copy", "pop", "setdefault",
                          "update"})


class ErrorBranch(Record):
    """Statements that run when the analysis failed; `exception` is the handler's name.
    `test` is the `if` whose body the branch is, when it is one (a fall-through is judged)."""

    statements: tuple[ast.stmt, ...]
    exception: str | None = None
    test: ast.If | None = None
    # The statements after the `if`, in its block: where a fall-through goes.
    after: tuple[ast.stmt, ...] = ()

    def nodes(self) -> Iterator[ast.AST]:
        for statement in self.statements:
            yield statement
            yield from walk_local(statement)


class FailureHelper(Record):
    """A function of the module that raises `HTTPException` for its parameter when that is an
    error. `form` is `dict` when it tests the error key (`"error" in result`), `object` when
    the parameter is the envelope itself (`if failure is None: return`)."""

    function: FunctionNode
    parameter: str
    form: str


class Endpoint:
    """One governed route (or failure helper) as the analyze endpoint: its service calls, the
    values they bind and its error branches."""

    def __init__(self, function: FunctionNode, module: ApiModule,
                 helper: FailureHelper | None = None) -> None:
        self.function = function
        self.module = module
        self.config = module.config
        self.parents = module.parents
        self.error_key = module.error_key
        self.service_names = module.service_names
        self.helper = helper

    # The service ------------------------------------------------------------------------------

    @cached_property
    def service_variables(self) -> frozenset[str]:
        """Names that hold the analysis service in this function."""
        module = self.module
        names = set(self.service_names) | module.instances
        arguments = self.function.args
        parameters = (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
        defaults = dict(zip([a.arg for a in (*arguments.posonlyargs, *arguments.args)][::-1],
                            arguments.defaults[::-1]))
        defaults.update({a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults)
                         if d is not None})
        for parameter in parameters:
            if any(module.stands_for_service(name)
                   for name in annotation_names(parameter.annotation)) \
                    or self._provides(defaults.get(parameter.arg)):
                names.add(parameter.arg)
        for node in walk_local(self.function):
            if isinstance(node, ast.Assign) and self._is_service(unwrap(node.value), names):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        return frozenset(names)

    def _provides(self, default: ast.AST | None) -> bool:
        """`Depends(provider)` (or any call handed the provider) for a provider of the service."""
        return isinstance(default, ast.Call) and any(
            self.module.stands_for_service(last_name(argument) or "")
            for argument in (*default.args, *(k.value for k in default.keywords))
            if isinstance(argument, (ast.Name, ast.Attribute)))

    def _is_service_call(self, node: ast.AST,
                         variables: frozenset[str] | set[str] | None = None) -> bool:
        """A call of an entry method of the analysis service, or one handed such a method."""
        if not isinstance(node, ast.Call):
            return False
        variables = self.service_variables if variables is None else variables
        methods = [node.func, *node.args, *(k.value for k in node.keywords)]
        entries = self.module.entry_methods
        return any(isinstance(method, ast.Attribute) and (not entries or method.attr in entries)
                   and self._is_service(method.value, variables) for method in methods)

    def _is_service(self, node: ast.AST, variables) -> bool:
        if isinstance(node, ast.Name):
            return node.id in variables
        if isinstance(node, ast.Attribute):
            return node.attr in self.service_names
        if isinstance(node, ast.Call):
            return bool(self.module.stands_for_service(last_name(node.func) or "")) \
                if isinstance(node.func, (ast.Name, ast.Attribute)) else False
        return False

    def is_service_expression(self, node: ast.AST) -> bool:
        return self._is_service(unwrap(node), self.service_variables)

    @cached_property
    def service_calls(self) -> tuple[ast.Call, ...]:
        if self.helper is not None:
            return ()
        return tuple(node for node in walk_local(self.function) if self._is_service_call(node))

    # What the calls bind ----------------------------------------------------------------------

    @cached_property
    def _bindings(self) -> tuple[frozenset[str], dict[str, int]]:
        """(names bound to the whole result, names bound to an element of a pair -> index)."""
        if self.helper is not None:
            whole = {self.helper.parameter} if self.helper.form == DICT else set()
            return frozenset(whole), {}
        whole: set[str] = set()
        pair: dict[str, int] = {}
        for node in walk_local(self.function):
            value = getattr(node, "value", None)
            if value is None or not self._is_service_call(unwrap(value)):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    whole.add(target.id)
                elif isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2 \
                        and all(isinstance(element, ast.Name) for element in target.elts):
                    pair.update({element.id: index for index, element in enumerate(target.elts)})
        # Plain copies: `error = result`, `outcome = pair_element`.
        for _ in range(2):
            for node in walk_local(self.function):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                    for target in node.targets:
                        if not isinstance(target, ast.Name):
                            continue
                        if node.value.id in whole:
                            whole.add(target.id)
                        elif node.value.id in pair:
                            pair[target.id] = pair[node.value.id]
        return frozenset(whole), pair

    @cached_property
    def iterates_result(self) -> bool:
        """Whether the route handles several analyses: it walks what the service returned as a
        collection (`for outcome in outcomes`, `zip(items, outcomes)`, a comprehension over it)
        or calls the service once per item (in a loop or a comprehension). A batch route's
        contract is its own, not the analyze endpoint's."""
        if any(self._repeated(call) for call in self.service_calls):
            return True

        def is_result(node: ast.AST) -> bool:
            node = unwrap(node)
            return (isinstance(node, ast.Name) and node.id in self.result_variables) \
                or self._is_service_call(node)

        for node in walk_local(self.function):
            if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and is_result(node.iter):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in ("zip", "enumerate", "map", "sorted", "reversed") \
                    and any(is_result(argument) for argument in node.args):
                return True
        return False

    def _repeated(self, node: ast.AST) -> bool:
        """Whether `node` runs once per item: inside a loop or a comprehension of the route."""
        parent = self.parents.get(node)
        while parent is not None and parent is not self.function:
            if isinstance(parent, (ast.For, ast.AsyncFor, ast.ListComp, ast.SetComp,
                                   ast.GeneratorExp, ast.DictComp)):
                return True
            parent = self.parents.get(parent)
        return False

    @property
    def result_variables(self) -> frozenset[str]:
        """Names bound to what the analysis service returned, whole."""
        return self._bindings[0]

    @property
    def _pair_variables(self) -> dict[str, int]:
        return self._bindings[1]

    @cached_property
    def form(self) -> str:
        if self.helper is not None:
            return self.helper.form
        if self._pair_variables:
            return PAIR
        if self._dict_usage():
            return DICT
        if self.module.layout.error_attribute:
            return OBJECT
        # An object whose error attribute the routes do not show: what it holds is unknown.
        return UNKNOWN if self._attribute_usage() else DICT

    def _attribute_usage(self) -> bool:
        """The result is used as an object: an attribute other than a dict method is read."""
        return any(isinstance(node, ast.Attribute) and node.attr not in DICT_METHODS
                   and self._is_whole(node.value) for node in walk_local(self.function))

    def _dict_usage(self) -> bool:
        """The result itself is tested for or looked up by the error key."""
        key = self.error_key
        for node in walk_local(self.function):
            if self._is_whole(lookup_target(node, key)):
                return True
            if isinstance(node, ast.Compare) and len(node.ops) == 1 \
                    and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                    and string_constant(node.left) == key and self._is_whole(node.comparators[0]):
                return True
            if isinstance(node, ast.Match) and self._is_whole(node.subject) and any(
                    isinstance(case.pattern, ast.MatchMapping) for case in node.cases):
                return True
        return False

    def _is_whole(self, node: ast.AST | None) -> bool:
        if node is None:
            return False
        node = unwrap(node)
        return (isinstance(node, ast.Name) and node.id in self.result_variables) \
            or (self.helper is None and self._is_service_call(node))

    def local_calls(self) -> Iterator[ast.Call]:
        return (node for node in walk_local(self.function) if isinstance(node, ast.Call))

    # Votes on the layout (see `ApiModule.layout`) ----------------------------------------------

    def pair_votes(self, kind: str) -> list[int]:
        """Pair indexes that are the error (`error`), the result (`result`), or that a test
        leading to `raise HTTPException` points at as the error (`weak`)."""
        pair = self._pair_variables
        if not pair:
            return []
        return [pair[node.id] for node in self._voters(kind)
                if isinstance(node, ast.Name) and node.id in pair]

    def attribute_votes(self, kind: str) -> list[str]:
        """The same for attributes of a whole result (`outcome.failure`)."""
        return [node.attr for node in self._voters(kind)
                if isinstance(node, ast.Attribute) and self._is_whole(node.value)]

    def _voters(self, kind: str) -> list[ast.AST]:
        key = self.error_key
        found: list[ast.AST] = []
        for node in walk_local(self.function):
            if kind == "error":
                target = lookup_target(node, key)
                if target is not None:
                    found.append(target)
            elif kind == "result":
                found.extend(self._result_values(node))
            elif kind == "weak" and isinstance(node, ast.If) and any(
                    isinstance(inner, ast.Raise) for statement in node.body
                    for inner in (statement, *walk_local(statement))):
                found.extend(_present_when(node.test))
        return found

    def _result_values(self, node: ast.AST) -> list[ast.AST]:
        """The value under the success key of a dict literal (`{"result": value}`)."""
        key = self.module.result_key
        if isinstance(node, ast.Dict):
            return [value for name, value in zip(node.keys, node.values)
                    if name is not None and string_constant(name) == key]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "dict":
            return [item.value for item in node.keywords if item.arg == key]
        return []

    @cached_property
    def wrapped_kinds(self) -> frozenset[str]:
        """The kinds of success value this route puts under the success key as they are."""
        kinds = set()
        for node in walk_local(self.function):
            for value in self._result_values(node):
                value = unwrap(value)
                if isinstance(value, ast.Name) and value.id in self._pair_variables:
                    kinds.add(PAIR)
                elif isinstance(value, ast.Name) and value.id in self.result_variables:
                    kinds.add(DICT)
                elif isinstance(value, ast.Attribute) and self._is_whole(value.value):
                    kinds.add(OBJECT)
        return frozenset(kinds)

    # The error value --------------------------------------------------------------------------

    @cached_property
    def _knows_error(self) -> bool:
        if self.form == PAIR:
            return self.module.layout.error_index is not None
        return self.form != UNKNOWN

    @cached_property
    def envelope_variables(self) -> frozenset[str]:
        """Names bound to the error envelope: the pair's error element, `failure =
        outcome.failure`, a failure helper's parameter."""
        if self.helper is not None:
            return frozenset({self.helper.parameter}) if self.helper.form == OBJECT else frozenset()
        names: set[str] = set()
        layout = self.module.layout
        if self.form == PAIR and layout.error_index is not None:
            names.update(name for name, index in self._pair_variables.items()
                         if index == layout.error_index)
        if self.form == OBJECT:
            for node in walk_local(self.function):
                if isinstance(node, ast.Assign) and self._is_error_attribute(node.value):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
                elif isinstance(node, ast.Match) and self._is_whole(node.subject):
                    # `case Outcome(failure=failure):` binds the envelope.
                    names.update(captured.name for case in node.cases
                                 if (captured := self._error_pattern(case.pattern)) is not None
                                 and isinstance(captured, ast.MatchAs) and captured.name)
        return frozenset(names)

    def _is_error_attribute(self, node: ast.AST) -> bool:
        attribute = self.module.layout.error_attribute
        node = unwrap(node)
        return bool(attribute) and isinstance(node, ast.Attribute) and node.attr == attribute \
            and self._is_whole(node.value)

    def is_envelope(self, node: ast.AST | None) -> bool:
        """Whether `node` is the error envelope: the result itself when it is a dict, the
        pair's error element, the object's error attribute."""
        if node is None:
            return False
        node = unwrap(node)
        if self.form == DICT:
            return self._is_whole(node)
        return (isinstance(node, ast.Name) and node.id in self.envelope_variables) \
            or self._is_error_attribute(node)

    def is_result(self, node: ast.AST) -> bool:
        """The whole value the service returned (a dict, or an object)."""
        return self._is_whole(node)

    def is_success_value(self, node: ast.AST) -> bool:
        """The analysis result on success: the dict result, the pair's other element, the
        object's result attribute."""
        node = unwrap(node)
        layout = self.module.layout
        if self.form == DICT:
            return self._is_whole(node)
        if self.form == PAIR:
            return layout.error_index is not None and isinstance(node, ast.Name) \
                and self._pair_variables.get(node.id, layout.error_index) != layout.error_index
        return self.form == OBJECT and isinstance(node, ast.Attribute) \
            and self._is_whole(node.value) \
            and node.attr != layout.error_attribute \
            and (not layout.success_attribute or node.attr == layout.success_attribute)

    @cached_property
    def _error_variables(self) -> frozenset[str]:
        """Names bound to the error object: `error = result.get("error")`."""
        names: set[str] = set()
        for node in walk_local(self.function):
            if isinstance(node, (ast.Assign, ast.NamedExpr)) and self._is_error_lookup(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Match) and self.is_envelope(node.subject):
                # `case {"error": error}:` binds the error.
                names.update(captured.name for case in node.cases
                             if (captured := self._error_pattern(case.pattern)) is not None
                             and isinstance(captured, ast.MatchAs) and captured.name)
        return frozenset(names)

    def _is_error_lookup(self, node: ast.AST | None, anywhere: bool = False) -> bool:
        """`envelope["error"]` or `envelope.get("error"...)`; with `anywhere`, on any value."""
        target = lookup_target(node, self.error_key)
        return target is not None and (anywhere or self.is_envelope(target))

    def is_error_value(self, node: ast.AST) -> bool:
        return self._is_error_lookup(node, anywhere=True) or (
            isinstance(node, ast.Name) and node.id in self._error_variables)

    # Error branches ---------------------------------------------------------------------------

    def _error_polarity(self, test: ast.AST) -> bool | None:
        """True when `test` holds only if the result is an error, False when only if it is not."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._error_polarity(test.operand)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            found = [self._error_polarity(value) for value in test.values]
            if isinstance(test.op, ast.And):
                return True if True in found else (False if found == [False] * len(found) else None)
            return True if True in found and False not in found else None
        if isinstance(test, ast.NamedExpr):
            return self._error_polarity(test.value)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            return self._compare_polarity(test)
        if self._is_error_lookup(test) or (isinstance(test, ast.Name) and test.id in self._error_variables):
            return True
        if self.form != DICT and self._knows_error and self.is_envelope(test):
            return True  # `if error:`, `if outcome.failure:`
        if isinstance(test, ast.Call) and self._is_error_predicate(test):
            return True
        return None

    def _is_error_predicate(self, call: ast.Call) -> bool:
        """`is_error_envelope(result)`, `has_error(result)`, `result.is_error()`: a test of the
        result by a function whose name mentions the error key; or `failed(result)` where
        `failed` is a function of this module that returns a test of the error key on its
        first parameter (`return "error" in result`)."""
        name = (last_name(call.func) or "").lower()
        if self.error_key.lower() not in name:
            return bool(call.args) and self.is_result(call.args[0]) \
                and isinstance(call.func, ast.Name) and self._tests_the_error_key(call.func.id)
        if call.args and self.is_result(call.args[0]):
            return True
        return isinstance(call.func, ast.Attribute) and not call.args and self.is_result(call.func.value)

    def _tests_the_error_key(self, function_name: str) -> bool:
        """Whether the module-level function `function_name` returns only tests that hold when
        its first parameter carries the error key."""
        definition = self.module.definitions.get(function_name)
        if definition is None or not definition.args.args:
            return False
        parameter = definition.args.args[0].arg
        returns = [node.value for node in walk_local(definition)
                   if isinstance(node, ast.Return) and node.value is not None]
        # `return False` (an early exit) never says "error"; every other return must test it.
        tests = [value for value in returns
                 if not (isinstance(value, ast.Constant) and not value.value)]
        return bool(tests) and all(_tests_error_key(value, parameter, self.error_key)
                                   for value in tests)

    def _compare_polarity(self, test: ast.Compare) -> bool | None:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(left, ast.NamedExpr):  # `(error := result.get("error")) is not None`
            left = left.value
        if string_constant(left) == self.error_key and self.is_result(right):
            if isinstance(op, ast.In):
                return True
            if isinstance(op, ast.NotIn):
                return False
        tested = self._is_error_lookup(left) \
            or (isinstance(left, ast.Name) and left.id in self._error_variables) \
            or (self.form != DICT and self._knows_error and self.is_envelope(left))
        if tested and isinstance(right, ast.Constant) and right.value is None:
            if isinstance(op, (ast.IsNot, ast.NotEq)):
                return True
            if isinstance(op, (ast.Is, ast.Eq)):
                return False
        return None

    @cached_property
    def error_branches(self) -> tuple[ErrorBranch, ...]:
        if self.helper is not None and not any(
                isinstance(node, (ast.If, ast.IfExp, ast.Match)) and self._error_polarity(
                    node.subject if isinstance(node, ast.Match) else node.test) is not None
                for node in walk_local(self.function)):
            # A helper that tests nothing is called for an error: all of it is the branch.
            return (ErrorBranch(tuple(self.function.body)),)
        branches = list(self._if_branches(self.function.body))
        for node in walk_local(self.function):
            if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))) and any(
                    self._is_service_call(inner) for statement in node.body
                    for inner in (statement, *walk_local(statement))):
                branches.extend(ErrorBranch(tuple(handler.body), handler.name)
                                for handler in node.handlers)
        return tuple(branches)

    def _error_pattern(self, pattern: ast.pattern) -> ast.pattern | None:
        """The value pattern of the error in `case {"error": <pattern>}` (or, for an object,
        `case Outcome(failure=<pattern>)`), unless it is `None` (no error); None when the case
        does not match on the error."""
        if isinstance(pattern, ast.MatchMapping):
            pairs = [(string_constant(key), value) for key, value in zip(pattern.keys,
                                                                         pattern.patterns)]
            wanted = self.error_key
        elif isinstance(pattern, ast.MatchClass) and self.form == OBJECT:
            pairs = list(zip(pattern.kwd_attrs, pattern.kwd_patterns))
            wanted = self.module.layout.error_attribute
        else:
            return None
        for key, value in pairs:
            if key == wanted:
                is_none = isinstance(value, ast.MatchSingleton) and value.value is None
                return None if is_none else value
        return None

    def _if_branches(self, block: list[ast.stmt]) -> Iterator[ErrorBranch]:
        for index, statement in enumerate(block):
            if isinstance(statement, ast.Match) and (self.is_result(statement.subject)
                                                     or self.is_envelope(statement.subject)):
                for case in statement.cases:
                    if self._error_pattern(case.pattern) is not None:
                        yield ErrorBranch(tuple(case.body))
            if isinstance(statement, ast.If):
                polarity = self._error_polarity(statement.test)
                if polarity is True:
                    yield ErrorBranch(tuple(statement.body), test=statement,
                                      after=tuple(block[index + 1:]))
                elif polarity is False and statement.orelse:
                    yield ErrorBranch(tuple(statement.orelse))
                elif polarity is False and _terminates(statement.body) and block[index + 1:]:
                    yield ErrorBranch(tuple(block[index + 1:]))
            for child in _child_blocks(statement):
                yield from self._if_branches(child)

    def falls_through(self, branch: ErrorBranch) -> bool:
        """An `if` error branch that only logs and carries on to the success response: no
        `else`, nothing but logging in it, no other branch or helper that handles the error,
        and a `return` after it."""
        test = branch.test
        if test is None or test.orelse or self.sets_status_dynamically:
            return False
        if not all(isinstance(statement, (ast.Pass, ast.Import, ast.ImportFrom))
                   or (isinstance(statement, ast.Expr) and is_logging_call(statement.value))
                   for statement in branch.statements):
            return False
        others = [other for other in self.error_branches if other is not branch]
        if any(any(isinstance(node, (ast.Raise, ast.Return)) for node in other.nodes())
               for other in others) or self._envelope_handed_to_helper():
            return False
        return any(isinstance(node, ast.Return) and node.value is not None
                   for statement in branch.after for node in (statement, *walk_local(statement)))

    def _envelope_handed_to_helper(self) -> bool:
        """The error (or the result, when it is a dict) is passed to a call that may check it."""
        for node in walk_local(self.function):
            if not isinstance(node, ast.Call) or is_logging_call(node) or _shapes_response(node):
                continue
            if isinstance(node.func, ast.Name) and self.module.failure_helper(node.func.id) is None \
                    and node.func.id in self.module.definitions:
                continue  # a function of this module that does not raise for an error
            if any(self.is_envelope(argument) or self._is_whole(argument)
                   for argument in (*node.args, *(item.value for item in node.keywords))):
                return True
        return False

    def single_assignment(self, node: ast.AST) -> ast.AST | None:
        """The value of a name this function binds exactly once (`detail = {...}`), else None."""
        if not isinstance(node, ast.Name):
            return None
        values = [statement.value for statement in walk_local(self.function)
                  if isinstance(statement, ast.Assign)
                  and any(isinstance(target, ast.Name) and target.id == node.id
                          for target in statement.targets)]
        bound = any(isinstance(other, ast.Name) and other.id == node.id
                    and isinstance(other.ctx, ast.Store)
                    for other in walk_local(self.function))
        return values[0] if len(values) == 1 and bound else None

    @cached_property
    def sets_status_dynamically(self) -> bool:
        """`response.status_code = ...`: the status of a return is not knowable here."""
        return any(isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                   and any(isinstance(t, ast.Attribute) and t.attr == "status_code"
                           for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))
                   for node in walk_local(self.function))

    # Results that are never checked ------------------------------------------------------------

    def results_reaching_response_unchecked(self) -> list[ast.Call]:
        """Service calls whose result reaches a `return` with no error check on the way."""
        if self.error_branches or self.sets_status_dynamically or not self._knows_error:
            return []
        if self.form != DICT:
            if self._envelope_checked():
                return []
            names = set(self._pair_variables) | set(self.result_variables)
            returned = any(isinstance(node, ast.Name) and node.id in names
                           and self._inside_return(node) for node in walk_local(self.function))
            return list(self.service_calls) if returned else []
        if self._mentions_error_key():
            return []
        return [call for call in self.service_calls if self._flows_into_return(call)]

    def _envelope_checked(self) -> bool:
        """The error is tested (`if`, `while`, a conditional expression, `assert`, `match`)
        or handed to a call that may check it."""
        for node in walk_local(self.function):
            tested = getattr(node, "test", None) if isinstance(
                node, (ast.If, ast.While, ast.IfExp, ast.Assert)) else \
                node.subject if isinstance(node, ast.Match) else None
            if tested is not None and any(self.is_envelope(part) for part in ast.walk(tested)):
                return True
        return self._envelope_handed_to_helper()

    def _mentions_error_key(self) -> bool:
        body = self.function.body
        docstring = body[0] if body and isinstance(body[0], ast.Expr) and string_constant(body[0].value) \
            is not None else None
        return any(string_constant(node) == self.error_key for node in walk_local(self.function)
                   if self.parents.get(node) is not docstring)

    def _flows_into_return(self, call: ast.Call) -> bool:
        node: ast.AST = call
        parent = self.parents.get(node)
        while isinstance(parent, ast.Await):
            node, parent = parent, self.parents.get(parent)
        if self._handed_to_helper(node, parent):
            return False
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            return bool(names) and self._name_flows_into_return(names)
        return self._inside_return(node)

    def _name_flows_into_return(self, names: set[str]) -> bool:
        flows = False
        for node in walk_local(self.function):
            if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
                if self._handed_to_helper(node, self.parents.get(node)):
                    return False
                flows = flows or self._inside_return(node)
        return flows

    def _handed_to_helper(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Passed to a function that may check it (not a response constructor)."""
        if isinstance(parent, ast.keyword):
            parent = self.parents.get(parent)
            return isinstance(parent, ast.Call) and not _shapes_response(parent)
        return isinstance(parent, ast.Call) and parent.func is not node and not _shapes_response(parent)

    def _inside_return(self, node: ast.AST) -> bool:
        current = self.parents.get(node)
        while current is not None and current is not self.function:
            if isinstance(current, ast.Return):
                return True
            current = self.parents.get(current)
        return False


def _shapes_response(call: ast.Call) -> bool:
    return is_response_call(call) or last_name(call.func) in RESPONSE_SHAPERS


def _terminates(block: list[ast.stmt]) -> bool:
    return bool(block) and isinstance(block[-1], (ast.Return, ast.Raise))


def _child_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body


def _tests_error_key(test: ast.AST, name: str, key: str) -> bool:
    """True when `test` can hold only if `name` carries `key`: `key in name`,
    `name.get(key)`, `name[key]`, `name.get(key) is not None`, or an `and` with one of these."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_error_key(value, name, key) for value in test.values)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "bool" \
            and len(test.args) == 1:
        return _tests_error_key(test.args[0], name, key)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.In):
            return string_constant(left) == key and _is_name(right, name)
        if isinstance(op, (ast.IsNot, ast.NotEq)) and isinstance(right, ast.Constant) \
                and right.value is None:
            return _is_name(lookup_target(left, key), name)
        return False
    return _is_name(lookup_target(test, key), name)


def _is_name(node: ast.AST | None, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _present_when(test: ast.AST) -> list[ast.AST]:
    """What `test` holds for only when it is there: `x`, `x is not None`, `x != None`, and the
    operands of an `and` of these."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [found for value in test.values for found in _present_when(value)]
    if isinstance(test, ast.Compare) and len(test.ops) == 1 \
            and isinstance(test.ops[0], (ast.IsNot, ast.NotEq)) \
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None:
        test = test.left
    return [test] if isinstance(test, (ast.Name, ast.Attribute)) else []
