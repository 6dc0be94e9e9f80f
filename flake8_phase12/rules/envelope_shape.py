"""GOV408: the error envelope lacks a field the Phase 12 spec requires (checklist §4).

It is read where the envelope is built (what the builder returns, in the envelope module) and
where the runner calls the builder (whose `error.plugin` is only as good as the plugin
identity the call passes).

Which argument of the builder carries the plugin's identity (`identity_slot`) is read from the
builder's own signature when the runner's file defines it; else from its definition in the
module that declares it, as the project model resolves the call (`model.envelope`): the one
parameter its plugin field is built from; else from a call of it in the runner's file that
passes the key the plugin is looked up by. When none says, only a literal passed where the
checklist's `build_error_envelope(exc, plugin_name)` has the name is reported; the rest is left
unsaid.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.dict_shape import (
    FunctionShapes,
    ModelInfo,
    Presence,
    Shape,
    explain_missing,
    field_presence,
    model_classes,
    model_dump_shape,
    typed_dict_classes,
)
from flake8_phase12.analysis.envelopes import EnvelopeValues
from flake8_phase12.analysis.flow import FlowTooLarge, FunctionNode, LocalFunctions
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.roles import is_runner_module
from flake8_phase12.analysis.runner import (
    execution_functions,
    function_model,
    is_call_to,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.model.envelope import builder_definition, declared_models
from flake8_phase12.records import Record
from flake8_phase12.rules import Check

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)

ENVELOPE_MISSING_FIELD = Rule(
    code="GOV408",
    symbol="envelope-missing-field",
    section=4,
    title="The error envelope lacks a required field",
    message="{envelope} has no `{field}` field{why}; {fix}",
    docs="""
    ## What it does
    In the envelope module (`error_envelope` by default, `[tool.phase12.envelope] module`),
    checks that the envelope function (`build_error_envelope`, `envelope.function`) builds every
    configured field (`envelope.fields`; by default `error.type`, `error.message`,
    `error.details`, `error.plugin`, `error.timestamp` and `_internal.traceback`). Each missing
    field is one finding, on the `return` whose value lacks it.

    The returned dict is understood when it is built in the function itself, or in a
    module-level function of the same file whose result it returns:

    - a dict literal, nested literals included, with `**other` merged in;
    - `dict(type=..., ...)` calls, and calls of this module's `TypedDict` classes;
    - key assignment: `envelope["error"] = {...}`, `envelope["error"]["timestamp"] = ...`,
      `envelope.setdefault("_internal", {})["traceback"] = ...`, `.update(...)`, `|=`;
    - locals: `error = {...}; return {"error": error, ...}`;
    - instances of the module's own pydantic models (`return cls(error=ErrorBody(...), ...)` in
      a classmethod, `Failure(...)`, `.model_dump(...)` of one): the shape `model_dump()`
      gives them, read from the fields the models declare. A field declared with
      `exclude=True` is missing, and so is one whose alias is the spec's name (`_internal`)
      while the model does not serialise by alias (`serialize_by_alias=True`); both are
      reported at the field's declaration, with the fix.

    Known limits: when the value cannot be understood statically (a call into another module,
    a dataclass, a model declared in another module, a copied template, computed keys, a dict
    handed to a function that may fill it in), the rule says nothing about the fields it cannot
    see; an early `return None` is not an envelope and is not checked.

    In the runner module, a call of the envelope builder in an execution function that leaves
    out the plugin's identity, or passes something else in its place (a literal such as `""`
    or `None`, or another parameter of the method: the tool name where the plugin id belongs),
    is reported too: the envelope it builds has no plugin in `error.plugin`. Where the builder
    takes the identity is read from its definition: the one parameter its `plugin` field is
    built from (`ErrorBody(plugin=analyser)`, `"plugin": plugin_id`, an optional one included),
    whether the runner's file defines it or the module its imports lead to does
    (`from app.failure import Failure` ... `Failure.from_exception(exc)`). A parameter the field
    only reads a member of (`origin.name`, `getattr(exc, "plugin", None)`) holds the identity
    and is not it; a builder whose field comes from no parameter (a context variable) or from
    several has no argument judged. A definition in the runner's file that sets no plugin field
    itself takes the identity second, as the checklist's `build_error_envelope(exc,
    plugin_name)` does. Without a definition to read, the slot is
    read from another call of it in the runner's file that passes the key the plugin is looked up by
    (`catalog.resolve(name)` ... `failure_envelope(exc, extractor=name)`: the keyword
    `extractor`). The identity is that lookup key, or the method's parameter named like the
    field the key is read from (`catalog.get(request.plugin_id)`: `plugin_id`). When none of
    these says, only a literal in the second position is reported.

    Also in the runner, a dump of the envelope object that leaves spec fields out
    (`failure.model_dump(exclude={"internal"})`) is reported, when the envelope's model can be
    read: declared in the runner's file, or in the module its import leads to (with the models
    of its fields declared there).

    ## Why is this bad?
    Clients and the API read `error.type`, `error.message` and `error.plugin` to report what
    failed, and operators read `_internal.traceback` to debug it. A missing field breaks
    `test_error_envelope_structure.py`, and a client that reads it fails with a `KeyError` of
    its own at the worst moment: while handling an error.

    ## Example
    ```python
    def build_error_envelope(exc, plugin_name):
        return {
            "error": {"type": type(exc).__name__, "message": str(exc), "plugin": plugin_name},
        }
    ```

    ## Use instead
    ```python
    def build_error_envelope(exc, plugin_name):
        return {
            "error": {
                "type": type(exc).__name__,
                "message": str(exc),
                "details": getattr(exc, "details", {}),
                "plugin": plugin_name,
                "timestamp": datetime.now(timezone.utc).isoformat(),
            },
            "_internal": {"traceback": traceback.format_exc()},
        }
    ```

    ## Known problems
    When the result cannot be understood statically, the rule says nothing rather than guess:
    the function returns a call to something in another module, a dataclass or a pydantic
    model declared elsewhere, a copy of a template, a dict with computed keys, or a dict handed to another
    function that may fill it in. A key set anywhere in the function counts as set on every
    `return`, so a field set on one branch only is not reported.
    """,
)

RULES = (ENVELOPE_MISSING_FIELD,)


class EnvelopeShapeCheck(Check):
    """GOV408: the error envelope function returns a dict with the configured fields, and the
    runner's calls of it name the plugin."""
    rules = RULES

    def within_role(self, ctx: FileContext) -> bool:
        # The envelope module or the runner: where it names the configured envelope function.
        envelope = ctx.config.envelope
        return bool(envelope.function) and (not ctx.source or envelope.function in ctx.source)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        if ctx.config.envelope.fields and ctx.module_matches(ctx.config.envelope.module):
            yield from self._shapes(ctx)
        if is_runner_module(ctx):
            for function in execution_functions(ctx):
                try:
                    yield from _identities(ctx, function)
                    yield from _partial_dumps(ctx, function)
                except FlowTooLarge:
                    continue

    def _shapes(self, ctx: FileContext) -> Iterator[Finding]:
        envelope = ctx.config.envelope
        module_functions = {node.name: node for node in ctx.tree.body
                            if isinstance(node, FUNCTION_NODES)}
        dict_classes = typed_dict_classes(ctx.tree)
        models = model_classes(ctx.tree)
        reported: set[tuple[int, str]] = set()
        for function, owner in _envelope_functions(ctx.tree, envelope.function):
            shapes = FunctionShapes(function, follow=module_functions, dict_classes=dict_classes,
                                    models=models, owner=owner)
            for returned in shapes.returns():
                # Only a returned dict is an attempt at the envelope: an early `return None`
                # is not, and a value we cannot read says nothing.
                if not isinstance(returned.value, Shape):
                    continue
                for name in envelope.fields:
                    if field_presence(returned.value, name) is not Presence.MISSING:
                        continue
                    explained = explain_missing(returned.value, name)
                    node = explained[0] if explained else returned.node.value
                    key = (id(node), name)
                    if key in reported:
                        continue
                    reported.add(key)
                    why, fix = (f": {explained[1]}", explained[2]) if explained else \
                        ("", "add it, as the Phase 12 envelope spec requires (`envelope.fields`)")
                    yield ctx.finding(ENVELOPE_MISSING_FIELD, node, field=name, why=why, fix=fix,
                                      envelope="the error envelope returned by "
                                               f"`{envelope.function}`")


class Slot(Record):
    """Where the envelope builder takes the plugin's identity: a position, a keyword, or both."""

    position: int | None = None
    keyword: str | None = None
    # False when the builder's definition names the plugin from no single parameter (a context
    # variable, the exception, or several parameters): no argument of a call is to be judged.
    taken: bool = True


def _identities(ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
    envelope = ctx.config.envelope.function
    calls = [node for node in walk_local(function) if is_call_to(node, envelope)]
    if not calls:
        return
    slot = identity_slot(ctx)
    if slot is not None and not slot.taken:
        return
    identities = identity_values(ctx, function)
    parameters = _parameter_names(function)
    plugin_fields = [name for name in ctx.config.envelope.fields
                     if name.rsplit(".", 1)[-1] == "plugin"]
    field = plugin_fields[0] if plugin_fields else "error.plugin"
    for call in calls:
        problem = _identity_problem(call, slot, identities, parameters)
        if problem is not None:
            named = sorted(identities & parameters)
            identity = f"`{named[0]}`, the plugin's name" if named else "the plugin's name"
            yield ctx.finding(ENVELOPE_MISSING_FIELD, call,
                              envelope=f"the error envelope built by `{_snippet(call)}`",
                              field=field, why=f": the call {problem}", fix=f"pass {identity}")


def _partial_dumps(ctx: FileContext, function: FunctionNode) -> Iterator[Finding]:
    """`failure.model_dump(exclude={"internal"})` of the envelope object in the runner: the spec
    fields the dump leaves out, when the envelope's model can be read (`envelope_models`)."""
    envelope = ctx.config.envelope
    values = EnvelopeValues(envelope.function, LocalFunctions.around(ctx.tree, function, ctx.parents))
    local = values.locals_in(function)
    for call in walk_local(function):
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
                or call.func.attr not in ("model_dump", "dict") \
                or not any(keyword.arg == "exclude" for keyword in call.keywords) \
                or not values.is_envelope(call.func.value, local):
            continue
        model = _model_built(call.func.value, function)
        declared = envelope_models(ctx, model) if model else None
        if declared is None:
            continue  # the model's fields cannot be read: unknown
        models, model = declared
        shapes = FunctionShapes(ast.Module(body=[], type_ignores=[]), models=models)
        whole, dumped = model_dump_shape(models, model), shapes.dump_of(call, model)
        for name in envelope.fields:
            # Only what the dump leaves out: a field the model lacks is the model's to fix.
            if field_presence(dumped, name) is Presence.MISSING \
                    and field_presence(whole, name) is Presence.PRESENT:
                yield ctx.finding(ENVELOPE_MISSING_FIELD, call, field=name,
                                  envelope=f"the error envelope dumped by `{_snippet(call)}`",
                                  why=": the dump excludes it", fix="dump the envelope whole")


def _model_built(value: ast.AST, function: FunctionNode) -> str | None:
    """The class an envelope object is built from, as written: `Failure` in
    `Failure.from_exception(...)` or `Failure(...)`, `failures.Failure`, through one local
    name."""
    if isinstance(value, ast.Name):
        bound = [node.value for node in walk_local(function) if isinstance(node, ast.Assign)
                 and any(isinstance(target, ast.Name) and target.id == value.id
                         for target in node.targets)]
        value = bound[0] if len(bound) == 1 else value
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and _dotted(func.value):
            return _text(func.value)
        if isinstance(func, ast.Name):
            return func.id
    return None


def envelope_models(ctx: FileContext, name: str) -> tuple[dict[str, ModelInfo], str] | None:
    """The pydantic models needed to read the envelope model written `name` here, and its name
    among them: this file's when it declares it, else those of the module that does, as the
    project model resolves the name (`model.envelope`); None (unknown) otherwise."""
    models = model_classes(ctx.tree)
    if name in models:
        return models, name
    return declared_models(ctx, name)


def _dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _identity_problem(call: ast.Call, slot: Slot | None, identities: set[str],
                      parameters: set[str]) -> str | None:
    if any(isinstance(argument, ast.Starred) for argument in call.args) \
            or any(keyword.arg is None for keyword in call.keywords):
        return None  # `*args` / `**kwargs`: cannot tell what is passed where
    if slot is None:
        # The checklist's signature, `build_error_envelope(exc, plugin_name)`: only a literal
        # in the plugin's place is certain to be wrong.
        if len(call.args) >= 2 and isinstance(call.args[1], ast.Constant):
            return f"passes `{ast.unparse(call.args[1])}` where the plugin's name belongs"
        return None
    value = _slot_value(call, slot)
    if value is None:
        if slot.keyword and slot.position is None:
            return f"leaves out `{slot.keyword}=`, the plugin's identity"
        return "leaves out the plugin's identity"
    if isinstance(value, ast.Constant):
        return f"passes `{ast.unparse(value)}` where the plugin's identity belongs"
    if isinstance(value, ast.Name) and value.id in parameters and value.id not in identities \
            and identities & parameters:
        return f"passes `{value.id}` where the plugin's identity belongs"
    return None


def _slot_value(call: ast.Call, slot: Slot) -> ast.AST | None:
    if slot.keyword is not None:
        for keyword in call.keywords:
            if keyword.arg == slot.keyword:
                return keyword.value
    if slot.position is not None and len(call.args) > slot.position:
        return call.args[slot.position]
    return None


def identity_slot(ctx: FileContext) -> Slot | None:
    """Where the envelope builder takes the plugin's identity, as far as this file says; None
    when it does not (the builder lives elsewhere and no call here shows it)."""
    key = ("identity_slot",)
    if key not in ctx.memo:
        ctx.memo[key] = _identity_slot(ctx)
    return ctx.memo[key]


def _identity_slot(ctx: FileContext) -> Slot | None:
    envelope = ctx.config.envelope.function
    definition = _builder_definition(ctx.tree, envelope)
    if definition is not None:
        sources = _parameters_into(definition, _plugin_key(ctx))
        if sources is not None:
            # The plugin field is built here: from one parameter, the slot; from none (a
            # context variable, the exception) or several, nothing to judge.
            return _slot_of_parameter(definition, sources) or Slot(taken=False)
        arguments = definition.args
        positional_only = {arg.arg for arg in arguments.posonlyargs}
        names = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        if len(names) >= 2:
            return Slot(position=1,
                        keyword=None if names[1] in positional_only else names[1])
        keywords = [arg.arg for arg in arguments.kwonlyargs]
        return Slot(keyword=keywords[0]) if keywords else None
    elsewhere = _slot_elsewhere(ctx)
    if elsewhere is not None:
        return elsewhere
    for function in execution_functions(ctx):
        identities = identity_values(ctx, function)
        for call in walk_local(function):
            if not is_call_to(call, envelope):
                continue
            for position, argument in enumerate(call.args):
                if isinstance(argument, ast.Starred):
                    break
                if position and _text(argument) in identities:
                    return Slot(position=position)
            for keyword in call.keywords:
                if keyword.arg is not None and _text(keyword.value) in identities:
                    return Slot(keyword=keyword.arg)
    return None


def _slot_elsewhere(ctx: FileContext) -> Slot | None:
    """The slot of a builder defined in another module (`model.envelope`): the one parameter its
    envelope's plugin field is built from (`plugin=analyser`, `"plugin": plugin_id`)."""
    envelope = ctx.config.envelope
    key = _plugin_key(ctx)
    for function in execution_functions(ctx):
        for call in walk_local(function):
            if not is_call_to(call, envelope.function) or not _dotted(call.func):
                continue
            definition = builder_definition(ctx, _text(call.func))
            sources = _parameters_into(definition, key) if definition is not None else None
            if sources is not None:
                return _slot_of_parameter(definition, sources) or Slot(taken=False)
    return None


def _plugin_key(ctx: FileContext) -> str:
    """The key of the envelope field that names the plugin (`plugin` of `error.plugin`)."""
    plugin_fields = [name for name in ctx.config.envelope.fields
                     if name.rsplit(".", 1)[-1] == "plugin"]
    return (plugin_fields[0] if plugin_fields else "error.plugin").rsplit(".", 1)[-1]


def _parameters_into(definition: FunctionNode, key: str) -> set[str] | None:
    """The parameters of `definition` the value of its `key` field is made from: a keyword
    argument (`ErrorBody(plugin=analyser)`), a dict entry (`"plugin": plugin_id`) or a key
    assignment (`error["plugin"] = name`), directly or through a local name; None when the
    definition sets no such field itself."""
    parameters = _parameter_names(definition)
    locals_: dict[str, set[str]] = {}
    values: list[ast.AST] = []
    for node in ast.walk(definition):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    locals_.setdefault(target.id, set()).update(_names(node.value))
                elif isinstance(target, ast.Subscript) and _is_key(target.slice, key):
                    values.append(node.value)
        elif isinstance(node, ast.Call):
            values.extend(keyword.value for keyword in node.keywords if keyword.arg == key)
        elif isinstance(node, ast.Dict):
            values.extend(value for item, value in zip(node.keys, node.values)
                          if item is not None and _is_key(item, key))
    if not values:
        return None
    found: set[str] = set()
    for value in values:
        names = _names(value)
        for name in list(names):
            names |= locals_.get(name, set())
        found |= names & parameters
    return found


def _slot_of_parameter(definition: FunctionNode, found: set[str]) -> Slot | None:
    if len(found) != 1:
        return None  # none, or several: which one is the plugin's is not known
    (name,) = found
    arguments = definition.args
    positional = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    if positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    if name not in positional:
        return Slot(keyword=name)
    position_only = name in {arg.arg for arg in arguments.posonlyargs}
    return Slot(position=positional.index(name), keyword=None if position_only else name)


def _names(node: ast.AST) -> set[str]:
    """The names a value is made of, not those it only reads a member of (`context.plugin`,
    `options["plugin"]`, `getattr(exc, "plugin", None)`: the parameter is a holder, not the
    identity)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name):
            found.add(item.id)
        elif isinstance(item, (ast.Attribute, ast.Subscript)) and isinstance(item.value, ast.Name):
            if isinstance(item, ast.Subscript):
                stack.append(item.slice)
        elif isinstance(item, ast.Call) and isinstance(item.func, ast.Name) \
                and item.func.id == "getattr" and item.args:
            stack.extend(item.args[1:])
        else:
            stack.extend(ast.iter_child_nodes(item))
    return found


def _is_key(node: ast.AST, key: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == key


def _builder_definition(tree: ast.Module, name: str) -> FunctionNode | None:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == name:
                    return item
    return None


def identity_values(ctx: FileContext, function: FunctionNode) -> set[str]:
    """The source texts that are the plugin's identity in `function`: the keys its plugins are
    looked up by (`name`, `request.plugin_id`), and the parameter a key is read from by name
    (`plugin_id` for `checked.plugin_id`)."""
    parameters = _parameter_names(function)
    found: set[str] = set()
    for key in _lookup_keys(function_model(ctx, function).lookups):
        found.add(_text(key))
        if isinstance(key, ast.Attribute) and key.attr in parameters:
            found.add(key.attr)
    return found


def _lookup_keys(lookups: tuple[ast.AST, ...]) -> Iterator[ast.AST]:
    for lookup in lookups:
        if isinstance(lookup, ast.Subscript):
            yield lookup.slice
        elif isinstance(lookup, ast.Call):
            if lookup.args and not isinstance(lookup.args[0], ast.Starred):
                yield lookup.args[0]
            elif len(lookup.keywords) == 1 and lookup.keywords[0].arg is not None:
                yield lookup.keywords[0].value


def _parameter_names(function: FunctionNode) -> set[str]:
    arguments = function.args
    return {arg.arg for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            if arg.arg not in ("self", "cls")}


def _text(node: ast.AST) -> str:
    return " ".join(ast.unparse(node).split())


def _snippet(call: ast.Call) -> str:
    text = _text(call)
    return text if len(text) <= 60 else text[:57] + "..."


def _envelope_functions(tree: ast.Module, name: str) -> Iterator[tuple[ast.AST, str | None]]:
    """Module-level functions of that name, and methods of module-level classes (with their
    class, which `cls` stands for)."""
    for node in tree.body:
        if isinstance(node, FUNCTION_NODES) and node.name == name:
            yield node, None
        elif isinstance(node, ast.ClassDef):
            yield from ((item, node.name) for item in node.body
                        if isinstance(item, FUNCTION_NODES) and item.name == name)


CHECKS = (EnvelopeShapeCheck,)
