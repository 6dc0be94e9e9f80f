"""GOV505-GOV507: the registry's metrics function maintains every metric (checklist §5,
registry side; the runner side is `metrics`).

The registry module is `metrics.registry_module` (`plugin_registry` by default); the metrics
function is `metrics.function` (`update_execution_metrics`), at module level or as a method.
Same-file helpers it calls (`self._touch(record)`, module functions) are read as part of it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.check import Check
from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.flow import ControlFlow, FlowTooLarge, FunctionNode, LocalFunctions
from flake8_phase12.analysis.names import is_declaration, is_protocol_class, string_constant
from flake8_phase12.analysis.runner import called_name, walk_local
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config
from flake8_phase12.rules.metrics import state_fields, unknown_states

REGISTRY_METRICS_FUNCTION_MISSING = Rule(
    code="GOV505",
    symbol="registry-metrics-function-missing",
    section=5,
    title="Registry has no metrics update function",
    checklist_item="Metrics updated correctly (plugin_registry.py)",
    message="the registry module defines no {metrics}(...); add it and update the execution "
            "metrics ({fields}) there",
    docs="""
    ## What it does
    Flags a registry module (`metrics.registry_module`, `plugin_registry` by default) that
    neither defines nor imports the metrics function (`metrics.function`,
    `update_execution_metrics` by default). Reported on the registry class (the first class
    whose name ends in `Registry`), else on the module's first statement.

    ## Why is this bad?
    The runner calls the metrics function after every execution. Without it in the registry
    there is nothing to call, and the Phase 12 metrics are never maintained.

    ## Example
    ```python
    class PluginRegistry:
        def get(self, name): ...
    ```

    ## Use instead
    ```python
    class PluginRegistry:
        def get(self, name): ...

        def update_execution_metrics(self, plugin_name, *, success, duration_ms):
            ...
    ```
    """,
)

REGISTRY_METRIC_NOT_UPDATED = Rule(
    code="GOV506",
    symbol="registry-metric-not-updated",
    section=5,
    title="Metrics function never updates a metric",
    checklist_item="Metrics updated correctly (plugin_registry.py)",
    message="`{function}` never updates `{field}`; {how}",
    docs="""
    ## What it does
    Flags, once per missing field, each metric the registry's metrics function never
    updates: `metrics.success_field` (`success_count`), `metrics.error_field`
    (`error_count`) and `metrics.fields` (`last_execution_time_ms`, `avg_execution_time_ms`,
    `last_used`, `state`).

    An update is an assignment or augmented assignment to `x.field` or `x["field"]`,
    `setattr(x, "field", ...)`, `x.update(field=...)` / `x.update({"field": ...})`,
    `replace(x, field=...)`, or a dict literal or constructor call with that key or keyword
    assigned somewhere (`self._metrics[name] = Metrics(field=...)`), in the function or in
    a same-file helper it calls. A key held in a variable that is only ever a field name
    (`key = "success_count" if success else "error_count"; metrics[key] += 1`) writes those
    fields.

    When fields are written dynamically (`setattr(x, name, ...)` with a computed name,
    `x.update(**changes)`), the rule cannot tell and stays silent.

    ## Why is this bad?
    The checklist requires all six metrics to be maintained on every execution; a field that
    is never written keeps its initial value and misleads whoever reads the registry.

    ## Example
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records[plugin_name]
        if success:
            record.success_count += 1
        else:
            record.error_count += 1
        record.last_execution_time_ms = duration_ms
    ```

    ## Use instead
    ```python
    def update_execution_metrics(self, plugin_name, *, success, duration_ms):
        record = self._records[plugin_name]
        if success:
            record.success_count += 1
        else:
            record.error_count += 1
        runs = record.success_count + record.error_count
        previous = record.avg_execution_time_ms or 0.0
        record.avg_execution_time_ms = previous + (duration_ms - previous) / runs
        record.last_execution_time_ms = duration_ms
        record.last_used = datetime.now(timezone.utc)
        record.state = PluginState.SUCCESS if success else PluginState.ERROR
    ```
    """,
)

REGISTRY_COUNTER_UNCONDITIONAL = Rule(
    code="GOV507",
    symbol="registry-counter-unconditional",
    section=5,
    title="Success or error counter incremented regardless of the outcome",
    checklist_item="success_count increments on success; error_count increments on failure",
    message="`{target}` runs {when}, whatever the outcome; increment `{field}` only when the "
            "execution {outcome}",
    docs="""
    ## What it does
    Flags an increment of the success or error counter in the metrics function that cannot
    depend on the outcome, where that can be told soundly:
    - the increment runs on every path through the function that returns normally; or
    - the success and the error counter are both incremented on one path (for example
      `if success: success_count += 1` followed by an unconditional `error_count += 1`).

    Increments are `x.field += <number>`, `x["field"] += <number>` and
    `x.field = x.field + <number>`. Increments inside loops are not paired up, and helpers
    are not followed: such code is not flagged.

    Limit: an increment reached only after an early `return` unrelated to the outcome
    (`if record is None: return`) does not run on every path, so a lone unconditional
    counter after such a guard is flagged only when the other counter is incremented on the
    same path.

    ## Why is this bad?
    A counter that moves on every execution counts executions, not successes or failures:
    the registry then reports failures as successes or the other way round.

    ## Example
    ```python
    if success:
        record.success_count += 1
    record.error_count += 1
    ```

    ## Use instead
    ```python
    if success:
        record.success_count += 1
    else:
        record.error_count += 1
    ```
    """,
)

RULES = (REGISTRY_METRICS_FUNCTION_MISSING, REGISTRY_METRIC_NOT_UPDATED,
         REGISTRY_COUNTER_UNCONDITIONAL)

UPDATE_METHODS = frozenset({"update", "replace", "_replace", "evolve"})
LOOPS = (ast.For, ast.AsyncFor, ast.While)


class RegistryMetricsCheck(Check):
    """GOV505-GOV507: the registry's metrics function updates every required field."""
    rules = RULES

    def applies_to(self, ctx: FileContext) -> bool:
        return ctx.module_matches(ctx.config.metrics.registry_module)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        config = ctx.config
        name = config.metrics.function
        functions = [node for node in ctx.nodes
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and node.name == name]
        if not functions:
            if not _provided(ctx.tree, name):
                anchor = _registry_anchor(ctx.tree)
                if anchor is not None:
                    yield ctx.finding(REGISTRY_METRICS_FUNCTION_MISSING, anchor, metrics=name,
                                      fields=", ".join(required_fields(config)))
            return
        for function in functions:
            if _is_stub(ctx, function):
                continue
            yield from self._fields(ctx, function)
            try:
                yield from self._counters(ctx, function)
            except FlowTooLarge:
                pass  # too large to analyse soundly: say nothing rather than guess

    def _fields(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        config = ctx.config
        bodies = _with_helpers(ctx, function)
        updated, dynamic = updated_fields(bodies)
        if not dynamic:
            for field in required_fields(config):
                if field not in updated:
                    yield ctx.finding(REGISTRY_METRIC_NOT_UPDATED, function,
                                      function=function.name, field=field,
                                      how=_how(field, config))
        states = set(state_fields(config))
        for body in bodies:
            for value in _state_values(body, states):
                yield from unknown_states(ctx, value, config, strings=True)

    def _counters(self, ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
        metrics = ctx.config.metrics
        counters = {metrics.success_field: "succeeded", metrics.error_field: "failed"}
        increments = [(statement, field) for statement in walk_local(function)
                      for field in [_incremented(statement)] if field in counters]
        if not increments:
            return
        flow = ControlFlow.of_function(function)
        flagged: set[ast.AST] = set()
        for statement, field in increments:
            if flow.always_runs([statement], raise_exits=False):
                flagged.add(statement)
                yield ctx.finding(REGISTRY_COUNTER_UNCONDITIONAL, statement,
                                  target=_target_text(statement), when="on every call",
                                  field=field, outcome=counters[field])
        outside_loops = [(statement, field) for statement, field in increments
                         if ctx.enclosing(statement, *LOOPS, ast.FunctionDef,
                                          ast.AsyncFunctionDef) is function]
        always = set(flagged)
        for statement, field in outside_loops:
            if statement in flagged:
                continue
            for other, other_field in outside_loops:
                # An increment already reported as running on every call explains this path.
                if other_field != field and other not in always \
                        and flow.may_precede(other, statement):
                    flagged.add(statement)
                    yield ctx.finding(REGISTRY_COUNTER_UNCONDITIONAL, statement,
                                      target=_target_text(statement),
                                      when=f"on the same path as `{_target_text(other)}` "
                                           f"(line {other.lineno})",
                                      field=field, outcome=counters[field])
                    break


def required_fields(config: Config) -> list[str]:
    metrics = config.metrics
    fields = [metrics.success_field, metrics.error_field, *metrics.fields]
    return [field for index, field in enumerate(fields) if field and field not in fields[:index]]


def updated_fields(bodies: list[FunctionNode]) -> tuple[set[str], bool]:
    """The fields written by `bodies`, and whether some write has a computed field name."""
    fields: set[str] = set()
    dynamic = False
    for body in bodies:
        keys = _field_name_bindings(body)
        for node in walk_local(body):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    fields |= _target_fields(target, keys)
                fields |= _record_keys(node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                fields |= _target_fields(node.target, keys)
                if node.value is not None:
                    fields |= _record_keys(node.value)
            elif isinstance(node, ast.Call):
                written, computed = _call_fields(node)
                fields |= written
                dynamic = dynamic or computed
    return fields, dynamic


def _target_fields(target: ast.AST, keys: dict[str, set[str]] | None = None) -> set[str]:
    """The fields an assignment target writes; `keys`: names bound to field names, for
    `metrics[key] += 1` after `key = "success_count" if success else "error_count"`."""
    if isinstance(target, ast.Attribute):
        return {target.attr}
    if isinstance(target, ast.Subscript):
        key = string_constant(target.slice)
        if key:
            return {key}
        if keys and isinstance(target.slice, ast.Name):
            return set(keys.get(target.slice.id, ()))
        return set()
    if isinstance(target, (ast.Tuple, ast.List)):
        return {field for element in target.elts for field in _target_fields(element, keys)}
    if isinstance(target, ast.Starred):
        return _target_fields(target.value, keys)
    return set()


def _field_name_bindings(function: FunctionNode) -> dict[str, set[str]]:
    """Local names whose every assignment is a string or a choice of strings."""
    bound: dict[str, set[str]] = {}
    other: set[str] = set()
    for node in walk_local(function):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor,
                               ast.NamedExpr)):
            targets = [node.target]
            value = node.value if isinstance(node, (ast.AnnAssign, ast.NamedExpr)) else None
        else:
            continue
        strings = _strings(value) if value is not None else None
        for target in targets:
            if isinstance(target, ast.Name):
                if strings:
                    bound.setdefault(target.id, set()).update(strings)
                else:
                    other.add(target.id)
    return {name: values for name, values in bound.items() if name not in other}


def _strings(value: ast.AST) -> set[str] | None:
    """`"a"` -> {"a"}; `"a" if c else "b"` -> {"a", "b"}; anything else -> None."""
    if isinstance(value, ast.IfExp):
        body, orelse = _strings(value.body), _strings(value.orelse)
        return body | orelse if body and orelse else None
    text = string_constant(value)
    return {text} if text else None


def _record_keys(value: ast.AST) -> set[str]:
    """Keys of a record built in an assigned value: `{"field": ...}`, `Metrics(field=...)`."""
    if isinstance(value, ast.IfExp):
        return _record_keys(value.body) | _record_keys(value.orelse)
    if isinstance(value, ast.Dict):
        return {key for key in map(string_constant, value.keys) if key}
    if isinstance(value, ast.Call):
        return {keyword.arg for keyword in value.keywords if keyword.arg}
    return set()


def _call_fields(call: ast.Call) -> tuple[set[str], bool]:
    name = called_name(call)
    if name == "setattr" and len(call.args) >= 2:
        field = string_constant(call.args[1])
        return ({field}, False) if field else (set(), True)
    if name in UPDATE_METHODS:
        fields = {keyword.arg for keyword in call.keywords if keyword.arg}
        for argument in call.args:
            fields |= _record_keys(argument) if isinstance(argument, ast.Dict) else set()
        return fields, any(keyword.arg is None for keyword in call.keywords)
    return set(), False


def _state_values(function: FunctionNode, states: set[str]) -> Iterator[ast.AST]:
    for node in walk_local(function):
        if isinstance(node, ast.Assign) and any(_target_fields(target) & states
                                                for target in node.targets):
            yield node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None \
                and _target_fields(node.target) & states:
            yield node.value
        elif isinstance(node, ast.Call) and called_name(node) in UPDATE_METHODS:
            yield from (keyword.value for keyword in node.keywords if keyword.arg in states)


def _incremented(statement: ast.AST) -> str | None:
    """The field a counter increment adds a non-zero number to, or None."""
    if isinstance(statement, ast.AugAssign) and isinstance(statement.op, ast.Add) \
            and _nonzero_number(statement.value):
        fields = _target_fields(statement.target)
        return next(iter(fields)) if len(fields) == 1 else None
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
            and isinstance(statement.value, ast.BinOp) and isinstance(statement.value.op, ast.Add):
        fields = _target_fields(statement.targets[0])
        if len(fields) != 1:
            return None
        field = next(iter(fields))
        left, right = statement.value.left, statement.value.right
        for number, other in ((left, right), (right, left)):
            if _nonzero_number(number) and _mentions_field(other, field):
                return field
    return None


def _nonzero_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value != 0


def _mentions_field(node: ast.AST, field: str) -> bool:
    return any((isinstance(part, ast.Attribute) and part.attr == field)
               or string_constant(part) == field for part in ast.walk(node))


def _target_text(statement: ast.AST) -> str:
    text = ast.unparse(statement)
    return text if len(text) <= 60 else text[:57] + "..."


def _how(field: str, config: Config) -> str:
    if field == config.metrics.success_field:
        return "increment it when the execution succeeded"
    if field == config.metrics.error_field:
        return "increment it when the execution failed"
    return "set it on every execution"


def _with_helpers(ctx: FileContext, function: FunctionNode) -> list[FunctionNode]:
    """`function` and the same-file helpers it calls, transitively."""
    helpers = LocalFunctions.around(ctx.tree, function, ctx.parents)
    found = [function]
    for body in found:  # grows while iterating, on purpose: a breadth-first closure
        for node in walk_local(body):
            if isinstance(node, ast.Call):
                helper = helpers.resolve(node)
                if helper is not None and helper not in found:
                    found.append(helper)  # pylint: disable=modified-iterating-list
    return found


def _provided(tree: ast.Module, name: str) -> bool:
    """Whether the module imports or assigns `name` (a re-export or an alias)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any((alias.asname or alias.name.split(".")[-1]) == name for alias in node.names):
                return True
        elif isinstance(node, ast.Assign):
            if any(isinstance(target, ast.Name) and target.id == name for target in node.targets):
                return True
    return False


def _registry_anchor(tree: ast.Module) -> ast.AST | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.endswith("Registry"):
            return node
    return tree.body[0] if tree.body else None


def _is_stub(ctx: FileContext, function: FunctionNode) -> bool:
    """An abstract or protocol declaration, or a body that only declares (`...`, `pass`, a
    docstring, `raise NotImplementedError`): nothing to check."""
    owner = ctx.parents.get(function)
    return is_declaration(function) or (isinstance(owner, ast.ClassDef) and is_protocol_class(owner))


CHECKS = (RegistryMetricsCheck,)
