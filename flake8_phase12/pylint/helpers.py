"""Helpers that execute a plugin handed to them: `helpers.execute(p, x)` -> `p.run(x)`.

A function "executes a parameter" when its body references an execution method on that
parameter (`p.run(...)`, `executor.submit(p.run)`, `getattr(p, "run")`), or passes the parameter
to another function that does (one more level). The runner and the sanctioned modules are the
governed path, so their functions never count as such helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from astroid import bases, nodes

from flake8_phase12.analysis.names import matches_any
from flake8_phase12.pylint.inference import (
    INFERENCE_ERRORS,
    SELF_NAMES,
    PluginTypes,
    bindings_of,
    describe,
    execution_reference,
    function_of,
    inferred,
    is_introspection,
    parameter_annotation,
    render_name,
)
from flake8_phase12.pylint.project import ProjectCode

MAX_HELPER_DEPTH = 2  # `helpers.execute(p)` -> `p.run()`, or one more helper in between


@dataclass(frozen=True)
class HelperExecution:
    """A call that hands an argument to a helper which executes it."""

    helper: str  # the call as written: `helpers.execute`
    function: nodes.FunctionDef
    parameter: str
    # What the helper does with it, call by call: ("p.run(...)",) or ("other(...)", "q.run(...)").
    chain: tuple[str, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        """The whole path from the call site: ("helpers.execute(...)", "p.run(...)")."""
        return (f"{self.helper}(...)", *self.chain)


@dataclass
class HelperFinder:
    """Finds functions that execute one of their parameters, following one more call level.

    `sanctioned(function)` says whether a function lives where executing plugins is allowed
    (the runner and the sanctioned modules): calling those is the governed path, never a
    finding.
    """

    types: PluginTypes
    sanctioned: Callable[[nodes.FunctionDef], bool]
    project: ProjectCode
    _executed: dict[tuple[nodes.FunctionDef, int], dict[str, tuple[str, ...]]] = field(
        default_factory=dict, repr=False)

    def helper_executions(self, call: nodes.Call, depth: int = MAX_HELPER_DEPTH) \
            -> Iterator[tuple[nodes.NodeNG, HelperExecution]]:
        """(argument, execution) for each argument of `call` that its callee executes."""
        if not call.args and not call.keywords:
            return
        seen: set[nodes.FunctionDef] = set()
        for value in inferred(call.func):
            function = function_of(value)
            if function is None or function in seen:
                continue
            seen.add(function)
            executed = self.executed_parameters(function, depth)
            if not executed:
                continue
            bound = bind_arguments(function, call, skip_self=isinstance(value, bases.BoundMethod))
            for parameter, argument in bound.items():
                if parameter in executed:
                    helper = render_name(call.func) or function.name
                    yield argument, HelperExecution(helper, function, parameter, executed[parameter])

    def executed_parameters(self, function: nodes.FunctionDef,
                            depth: int) -> dict[str, tuple[str, ...]]:
        """Parameter name -> how `function` executes it (`p.run(...)`), for executed ones."""
        key = (function, depth)
        if key not in self._executed:
            self._executed[key] = {}  # a recursive helper sees "nothing" while being analysed
            try:
                self._executed[key] = self._find_executed(function, depth)
            except INFERENCE_ERRORS:
                self._executed[key] = {}
        return self._executed[key]

    def _find_executed(self, function: nodes.FunctionDef, depth: int) -> dict[str, tuple[str, ...]]:
        if self.sanctioned(function):
            return {}
        # Only a module that mentions an execution method can execute a parameter itself.
        direct = self.project.mentions_execution(function.root())
        parameters = {binding.name for binding in function.args.arguments or ()
                      if binding.name not in SELF_NAMES}
        if not parameters or (not direct and depth <= 1):
            return {}
        methods = self.types.config.execution_methods
        executed: dict[str, tuple[str, ...]] = {}
        skip = (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)  # their bodies run later, if ever
        for node in function.nodes_of_class((nodes.Attribute, nodes.Call), skip_klass=skip):
            reference = execution_reference(node, methods) if direct else None
            if reference is not None:
                name = _parameter_name(reference.receiver, function, parameters)
                if name and not is_introspection(reference):
                    executed.setdefault(name, (describe(reference),))
            elif depth > 1 and isinstance(node, nodes.Call) and _passes_a_name(node, parameters) \
                    and self.project.leads_into_project(node.func, allow_variables=False,
                                                        self_depth=1) \
                    and self.project.may_lead_to_execution(node.func):
                for argument, inner in self.helper_executions(node, depth - 1):
                    name = _parameter_name(argument, function, parameters)
                    if name:
                        executed.setdefault(name, inner.steps)
        return executed

    def parameter_is_plugin(self, execution: HelperExecution) -> bool:
        """The helper's parameter is named like a plugin or annotated with a plugin class."""
        arguments = execution.function.args
        for binding in arguments.arguments or ():
            if binding.name == execution.parameter:
                if matches_any(binding.name, self.types.config.plugin_receivers):
                    return True
                return self.types.annotation_is_plugin(parameter_annotation(arguments, binding))
        return False


def _passes_a_name(call: nodes.Call, names: set[str]) -> bool:
    """Cheap test before inferring a callee: one of `names` is passed as an argument."""
    values = [*call.args, *(keyword.value for keyword in call.keywords or ())]
    return any(isinstance(value, nodes.Name) and value.name in names for value in values)


def bind_arguments(function: nodes.FunctionDef, call: nodes.Call, skip_self: bool) \
        -> dict[str, nodes.NodeNG]:
    """Parameter name -> argument expression for the plain positional and keyword arguments."""
    arguments = function.args
    positional = [*arguments.posonlyargs, *(arguments.args or [])]
    if skip_self:
        positional = positional[1:]
    bound: dict[str, nodes.NodeNG] = {}
    for parameter, argument in zip(positional, call.args):
        if isinstance(argument, nodes.Starred):
            break
        bound[parameter.name] = argument
    names = {parameter.name for parameter in (*positional, *arguments.kwonlyargs)}
    for keyword in call.keywords or ():
        if keyword.arg in names:
            bound[keyword.arg] = keyword.value
    return bound


def _parameter_name(expression: nodes.NodeNG, function: nodes.FunctionDef,
                    parameters: set[str]) -> str | None:
    """The parameter of `function` that `expression` is, when it is one (and not rebound)."""
    if isinstance(expression, nodes.Await):
        expression = expression.value
    if not isinstance(expression, nodes.Name) or expression.name not in parameters:
        return None
    bindings = bindings_of(expression)
    if bindings and all(isinstance(binding.parent, nodes.Arguments)
                        and binding.parent.parent is function for binding in bindings):
        return expression.name
    return None
