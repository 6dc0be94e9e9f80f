"""GOV601-GOV607, GOV609: one delegation check over the configured chain, layer by layer (§6).

The chain is `layers.chain`, top (the API) to bottom (the runner); the services of
`[tool.phase12.services]` and the runner give some of its layers their names (see
`analysis.layers`). For the module being checked:

- In a layer below the API: every use of a layer above it (GOV607); of a layer more than one
  step below it (GOV604 in job management, GOV606 in the analysis service, GOV609 in any other
  layer, a fourth service for instance); of another layer's private attribute to get at what it
  holds (GOV609: `self._desk._catalog.snapshot()`); the service's entry methods, or entry
  functions, that never reach the next layer (GOV605, GOV603, GOV601); and in plugin
  management, a runner called other than through the injected runner's governed method
  (GOV602).
- Outside the chain (a CLI, a worker, a script): a call of an entry method of a layer below the
  analysis service (GOV609): entry points enter the chain at its top. Constructing the layers,
  as composition roots do, is not a call of their entry methods and is never flagged.
- The API package (route modules, the chain's first entry, the modules beside a route module)
  is left to the API contract check, whose GOV608 judges how routes reach the services.

A use is known by facts before names. Imports of a layer's module, names they bind and the
attributes a layer is configured to be held in are uses as before (`analysis.references`); a
call is also judged by what its callee IS, typed by the project model (`model.chain`): the class
of the object whose method it calls (`self._board._gateway.execute(...)`: `JobBoard._gateway`
holds a `ToolGateway`), the class it constructs, the function it calls, whatever the names. A
callee the model cannot type is not judged. `callable(x.run)` and other introspection are looks,
not calls.

One skip gives one finding: the first site of each layer in each function (each import
statement at module level is its own finding). A line where a plugin is executed directly is
GOV101's, and a line with a finding of a layer skip is not also reported as a private reach.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import cached_property

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.delegation import (
    Delegate,
    FunctionNode,
    delegate_methods,
    unreached_entries,
    unreached_functions,
)
from flake8_phase12.analysis.execution_text import names_a_call
from flake8_phase12.analysis.layers import (
    ANALYSIS,
    JOB_MANAGEMENT,
    PLUGIN_MANAGEMENT,
    RUNNER,
    Layer,
    chain_index,
    chain_layers,
    role_layers,
)
from flake8_phase12.analysis.plugins import INTROSPECTION_CALLS
from flake8_phase12.analysis.names import matches_any, render
from flake8_phase12.analysis.roles import lower_entry_names
from flake8_phase12.analysis.references import (
    delegate_attribute,
    layer_holders,
    module_facts,
    references,
    short,
    usage_text,
)
from flake8_phase12.catalog import Rule
from flake8_phase12.config.model import Config, ServiceConfig
from flake8_phase12.rules import Check
from flake8_phase12.rules import delegation_analysis, delegation_direction
from flake8_phase12.rules import delegation_job_management, delegation_plugin_management
from flake8_phase12.rules.delegation_analysis import (
    ANALYSIS_BYPASSES_JOB_MANAGEMENT,
    ANALYSIS_REFERENCES_LOWER_LAYER,
)
from flake8_phase12.rules.delegation_direction import LAYER_DEPENDS_ON_HIGHER_LAYER
from flake8_phase12.rules.delegation_job_management import (
    JOB_MANAGEMENT_BYPASSES_PLUGIN_MANAGEMENT,
    JOB_MANAGEMENT_REFERENCES_RUNNER,
)
from flake8_phase12.rules.delegation_plugin_management import (
    PLUGIN_MANAGEMENT_BYPASSES_RUNNER,
    RUNNER_CALLED_OUTSIDE_ATTRIBUTE,
)

LAYER_BYPASSED = Rule(
    code="GOV609",
    symbol="layer-bypassed",
    section=6,
    title="A layer below the next one, or another layer's private attribute, is used directly",
    message="`{text}` {how}; {fix}",
    docs="""
    ## What it does
    Flags where code steps past the layer it should call, when no rule of its own layer says
    so already:

    - code outside the chain (a command-line entry point, a worker, a script) calling an entry
      method of a layer below the analysis service: `services.engine.dispatch(...)`,
      `container.jobs.submit(...)`. The entry methods are the services' `entry_methods` and
      `delegate_methods` and the runner's `method` or `function`; what the object is comes
      from the project model (the class of `services.engine`, read from the annotations and
      constructor parameters behind it), never from its name;
    - a layer of `layers.chain` that has no rule of its own (a fourth service inserted in the
      chain) using a layer more than one step below it;
    - any layer reaching through a private attribute of another layer's object to get at what
      that layer holds: `self._desk._catalog.snapshot()`, `self._desk._invoke(...)`,
      `jobs._history.clear()`. An object of another layer is one the model types as a class of
      that layer's module (a dataclass, NamedTuple, TypedDict, pydantic model, enum or exception
      defined there is a value, not the layer, unless it is the configured class).

    Composition roots (the modules that construct and wire the layers: an `app.py`, a
    `container.py`, a dependency provider) construct every layer and are not flagged for it;
    constructing is not calling an entry method. The API package is judged by the API rules.
    One function that skips to a layer gives one finding, at its first use.

    ## Why is this bad?
    Each layer adds something the checklist relies on: the analysis service the API's
    contract, job management the job record, plugin management the plugin selection, the runner
    validation, envelopes and metrics. Code that enters the chain below its top, or reaches into
    a layer's private attributes to use what the layer keeps, skips what that layer adds and
    ties itself to details the layer is free to change.

    ## Example
    ```python
    # cli.py
    def main() -> int:
        services = build_services(Settings.from_env())
        result, failure = services.engine.dispatch(plugin, tool, args)
    ```

    ## Use instead
    ```python
    # cli.py
    def main() -> int:
        services = build_services(Settings.from_env())
        result, failure = services.facade.analyze(plugin, tool, image)
    ```
    """,
)

RULES = (LAYER_BYPASSED,)

# The codes of a use of a layer more than one step below, by the role of the layer using it.
SKIP_RULES = {
    JOB_MANAGEMENT: (JOB_MANAGEMENT_REFERENCES_RUNNER, frozenset({RUNNER})),
    ANALYSIS: (ANALYSIS_REFERENCES_LOWER_LAYER, frozenset({PLUGIN_MANAGEMENT, RUNNER})),
}
SELF_NAMES = frozenset({"self", "cls"})
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
PRIVATE = "private"


class Site:
    """One place where the module uses a layer it should not: the rule, where, the function it
    is in (None: module level), the layer it reaches and the message's values."""

    __slots__ = ("rule", "node", "scope", "key", "values", "depth")

    def __init__(self, rule: Rule, node: ast.AST, scope: ast.AST | None, key: object,
                 values: dict[str, object], depth: int = 0) -> None:
        self.rule = rule
        self.node = node
        self.scope = scope
        self.key = key
        self.values = values
        # How far down the chain the site reaches: of two on one line, the deeper is reported.
        self.depth = depth

    @property
    def line(self) -> int:
        return getattr(self.node, "lineno", 1)

    @property
    def position(self) -> tuple[int, int]:
        return getattr(self.node, "lineno", 1), getattr(self.node, "col_offset", 0)


class DelegationChainCheck(Check):
    """GOV601-GOV607 and GOV609: every module's place in the delegation chain."""
    rules = (*delegation_plugin_management.RULES, *delegation_job_management.RULES,
             *delegation_analysis.RULES, *delegation_direction.RULES, LAYER_BYPASSED)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        index = chain_index(ctx.config, ctx.module_path)
        if index == 0:
            return  # the API: the API contract check judges how routes reach the services
        walk = LayerWalk(ctx, index) if index is not None else OutsideWalk(ctx)
        yield from walk.findings()


class Walk:
    """What every walk shares: the file, the chain, the project model (built on first use)."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.config: Config = ctx.config
        self.layers: tuple[Layer, ...] = chain_layers(ctx.config)

    @cached_property
    def facts(self):
        """The file's references (one scan of the tree): a module outside the chain needs them
        only to describe a site it found, and most such modules find none."""
        return module_facts(self.ctx)

    @cached_property
    def chain(self):
        # Imported here: a module of the chain that only imports or names its layers, and most
        # modules outside the chain, never need the project model.
        from flake8_phase12.model.chain import Chain
        from flake8_phase12.model.context import objects

        return Chain(self.config, objects(self.ctx))

    def scope(self, node: ast.AST) -> ast.AST | None:
        return self.ctx.enclosing(node, *FUNCTIONS)

    def is_looked_at(self, node: ast.AST) -> bool:
        """Inside the arguments of `callable(...)`, `inspect.signature(...)` and the other
        introspection calls: looked at, not used (`callable(rail._pass.fire)`)."""
        parents = self.ctx.parents
        current, parent = node, parents.get(node)
        while parent is not None and not isinstance(parent, ast.stmt):
            if isinstance(parent, ast.Call) and parent.func is not current \
                    and matches_any(render(parent.func), INTROSPECTION_CALLS):
                return True
            current, parent = parent, parents.get(parent)
        return False

    def top_service(self) -> str:
        """How a fix names the top service: the analysis service and its entry method."""
        analysis = self.config.services.analysis
        entry = analysis.entry_methods[0] if analysis.entry_methods else ""
        name = ".".join(part for part in (analysis.class_name, entry) if part)
        return f"the analysis service (`{name}`)" if name else "the analysis service"

    @cached_property
    def _direct_executions(self) -> list[Finding]:
        """GOV101's findings in this file: a line where a plugin is executed directly is
        reported there, not as a layer skip."""
        from flake8_phase12.rules.direct_execution import DirectExecutionCheck

        check = DirectExecutionCheck()
        return list(check.run(self.ctx)) if check.concerns(self.ctx) else []

    def direct_execution_lines(self) -> set[int]:
        return {finding.line for finding in self._direct_executions}

    def direct_execution_nodes(self) -> list[ast.AST]:
        lines = self.direct_execution_lines()
        return [node for node in self.ctx.nodes if isinstance(node, ast.Call)
                and node.lineno in lines] if lines else []

    def report(self, sites: list[Site]) -> Iterator[Finding]:
        """The first site of each key in each function and one per line (the deepest), none on
        a line GOV101 reports, and a private reach only on a line with no other finding and in a
        function where no plugin is executed directly (GOV101 explains that bypass)."""
        if not sites:
            return
        sites = [site for site in sites if not self.is_looked_at(site.node)]
        if not sites:
            return
        direct = self.direct_execution_lines()
        executing = {id(self.scope(node)) for node in self.direct_execution_nodes()}
        taken = {site.line for site in sites if site.key != PRIVATE}
        seen: set[tuple[int, object]] = set()
        lines: set[tuple[int, int]] = set()
        kept: list[Site] = []
        for site in sorted(sites, key=lambda site: (site.line, -site.depth, site.position)):
            scope_key = (id(site.scope), site.key)
            line_key = (id(site.scope), site.line)
            if site.line in direct or scope_key in seen or line_key in lines:
                continue
            if site.key == PRIVATE and (site.line in taken or id(site.scope) in executing):
                continue
            seen.add(scope_key)
            lines.add(line_key)
            kept.append(site)
        for site in kept:
            yield self.ctx.finding(site.rule, site.node, **site.values)


class LayerWalk(Walk):
    """A module of a layer below the API: uses of other layers, and its entry methods."""

    def __init__(self, ctx: FileContext, index: int) -> None:
        super().__init__(ctx)
        self.index = index
        self.own = self.layers[index]

    # -- which uses are wrong -------------------------------------------------------------------

    def verdict(self, target: int) -> tuple[Rule, str] | None:
        """The rule for a use of the layer at `target`, and its message's kind; None if fine."""
        layers = self.layers
        if layers[target] == self.own:
            return None
        if target < self.index:
            return LAYER_DEPENDS_ON_HIGHER_LAYER, "up"
        if target <= self.index + 1 or layers[target] == layers[self.index + 1]:
            return None
        skip = SKIP_RULES.get(self.own.role)
        if skip is not None and layers[target].role in skip[1]:
            return skip[0], "skip"
        return LAYER_BYPASSED, "skip"

    def site(self, node: ast.AST, target: int, text: str, scope: ast.AST | None,
             key: object | None = None) -> Site | None:
        verdict = self.verdict(target)
        if verdict is None:
            return None
        rule, kind = verdict
        layer = self.layers[target]
        if rule is LAYER_DEPENDS_ON_HIGHER_LAYER:
            values: dict[str, object] = {"text": text, "layer": self.own.label, "higher": layer.label}
        elif rule is LAYER_BYPASSED:
            how = f"makes {self.own.label} use {layer.label}, more than one layer below it"
            values = {"text": text, "how": how, "fix": self.delegate_fix(scope)}
        else:
            values = {"text": text, "layer": layer.label, "call": self.delegate_call(scope)}
        return Site(rule, node, scope, key if key is not None else (kind, layer.label), values,
                    depth=target)

    # -- the walk -------------------------------------------------------------------------------

    def findings(self) -> Iterator[Finding]:
        sites = [*self.reference_sites(), *self.typed_sites()]
        stray: list[Site] = []
        if self.own.role == PLUGIN_MANAGEMENT:
            stray = list(self.stray_runner_calls())
        found = list(self.report(sites + stray))
        yield from found
        yield from self.undelegated({finding.line for finding in found})

    def reference_sites(self) -> Iterator[Site]:
        """Imports of other layers, the names they bind, attributes configured to hold them."""
        layers = self.layers
        targets = [layer for position, layer in enumerate(layers)
                   if self.verdict(position) is not None]
        targets = list(dict.fromkeys(targets))
        for reference in references(self.ctx, targets):
            target = layers.index(reference.layer)
            scope = self.scope(reference.node)
            key = None
            if scope is None and isinstance(reference.node, (ast.Import, ast.ImportFrom)):
                key = ("import", id(reference.node))  # every import statement is its own finding
            site = self.site(reference.node, target, reference.text, scope, key)
            if site is not None:
                yield site

    def typed_sites(self) -> Iterator[Site]:
        """Calls and private attributes whose object the model types as another layer's."""
        parents = self.ctx.parents
        for node in self.facts.attributes:
            if isinstance(node.ctx, ast.Load) and _is_private(node.attr) \
                    and not _is_self(node.value):
                yield from self._private_reach(node)
            call = parents.get(node)
            if isinstance(call, ast.Call) and call.func is node:
                yield from self._call(call)
        for name in self.facts.names:
            call = parents.get(name)
            if isinstance(call, ast.Call) and call.func is name:
                yield from self._call(call)

    def _call(self, call: ast.Call) -> Iterator[Site]:
        if isinstance(call.func, ast.Attribute) and _is_self(call.func.value):
            return
        reached = self.chain.callee(call)
        if reached is None:
            return
        site = self.site(call, reached.position, short(usage_text(self.facts, call.func)), self.scope(call))
        if site is not None:
            yield site

    def _private_reach(self, node: ast.Attribute) -> Iterator[Site]:
        owner = self.chain.holds(node.value, node)
        if owner is None or self.layers[owner.position] == self.own:
            return
        scope = self.scope(node)
        text = short(usage_text(self.facts, node))
        held = self.chain.holds(node, node)
        for target in (owner.position, held.position if held is not None else None):
            if target is not None:
                site = self.site(node, target, text, scope)
                if site is not None:
                    yield site
                    return
        owner_layer = self.layers[owner.position]
        yield Site(LAYER_BYPASSED, node, scope, PRIVATE, {
            "text": text,
            "how": f"reaches into `{node.attr}`, a private attribute of {owner_layer.label}",
            "fix": f"call a public method of `{owner.ref.name}` that does what you need "
                   f"(add one there if none does)"})

    # -- fixes ----------------------------------------------------------------------------------

    def next_layer(self) -> tuple[int, Layer] | None:
        for position in range(self.index + 1, len(self.layers)):
            if self.layers[position] != self.own:
                return position, self.layers[position]
        return None

    def delegate_call(self, scope: ast.AST | None) -> str:
        """How this layer should call the next one: `self._jobs.submit(...)` with the attribute
        (or the parameter of a function) that holds it here."""
        found = self.next_layer()
        if found is None:
            return "the layer below"
        position, layer = found
        method = self.next_method(layer)
        holder = self.holder_in(scope, position)
        if holder:
            return f"{holder}.{method}(...)" if method else f"{holder}(...)"
        attribute = delegate_attribute(self.ctx, layer, self.delegate_attributes(), _fallback(layer))
        return f"self.{attribute}.{method}(...)" if method else f"self.{attribute}(...)"

    def delegate_fix(self, scope: ast.AST | None) -> str:
        found = self.next_layer()
        label = found[1].label if found is not None else "the layer below"
        return f"call {label} through `{self.delegate_call(scope)}` and let it delegate"

    def holder_in(self, scope: ast.AST | None, position: int) -> str:
        """A parameter of a module-level function holding the layer at `position`."""
        if not isinstance(scope, FUNCTIONS) or self.ctx.enclosing(scope, ast.ClassDef) is not None:
            return ""
        arguments = scope.args
        for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if arg.annotation is not None:
                reached = self.chain.holds(ast.Name(arg.arg, ast.Load()), scope.body[0])
                if reached is not None and reached.position == position:
                    return arg.arg
        return ""

    def service(self) -> ServiceConfig | None:
        services = self.config.services
        return {ANALYSIS: services.analysis, JOB_MANAGEMENT: services.job_management,
                PLUGIN_MANAGEMENT: services.plugin_management}.get(self.own.role)

    def delegate_attributes(self) -> tuple[str, ...]:
        service = self.service()
        own = service.delegate_attributes if service is not None else ()
        if self.own.role == PLUGIN_MANAGEMENT:
            own = tuple(dict.fromkeys(own + self.config.runner.attributes))
        return own

    def next_method(self, layer: Layer) -> str:
        service = self.service()
        config = self.config
        configured = service.delegate_methods if service is not None else ()
        if layer.role == RUNNER:
            methods = sorted(delegate_methods(configured, config.runner.method))
            if config.runner.function and not methods:
                return ""
            return methods[0] if methods else config.runner.method
        below = {JOB_MANAGEMENT: config.services.job_management,
                 PLUGIN_MANAGEMENT: config.services.plugin_management}.get(layer.role)
        entries = below.entry_methods if below is not None else ()
        fallback = {JOB_MANAGEMENT: "run_job", PLUGIN_MANAGEMENT: "execute_plugin"}.get(layer.role, "")
        return (configured + entries or (fallback,))[0]

    # -- entry methods that never delegate -------------------------------------------------------

    def undelegated(self, reported: set[int]) -> Iterator[Finding]:
        service = self.service()
        found = self.next_layer()
        if service is None or found is None or not service.entry_methods:
            return
        position, layer = found
        expected = {ANALYSIS: JOB_MANAGEMENT, JOB_MANAGEMENT: PLUGIN_MANAGEMENT,
                    PLUGIN_MANAGEMENT: RUNNER}
        if layer.role != expected.get(self.own.role):
            return  # another layer was put below this one: its rule speaks of the checklist's
        rule = {ANALYSIS: ANALYSIS_BYPASSES_JOB_MANAGEMENT,
                JOB_MANAGEMENT: JOB_MANAGEMENT_BYPASSES_PLUGIN_MANAGEMENT,
                PLUGIN_MANAGEMENT: PLUGIN_MANAGEMENT_BYPASSES_RUNNER}[self.own.role]
        config = self.config
        if self.own.role == PLUGIN_MANAGEMENT:
            delegate = Delegate(
                attributes=frozenset(self.delegate_attributes()) | layer_holders(self.ctx, layer),
                # Calling any runner role (`runner`, `runner.also`) is delegation.
                methods=delegate_methods(service.delegate_methods, config.runner.method,
                                         *config.runner.method_names),
                functions=frozenset(config.runner.function_names))
        else:
            below = {ANALYSIS: config.services.job_management,
                     JOB_MANAGEMENT: config.services.plugin_management}[self.own.role]
            delegate = Delegate(
                attributes=frozenset(service.delegate_attributes) | layer_holders(self.ctx, layer),
                methods=delegate_methods(service.delegate_methods, *below.entry_methods))
        reaches = self.reaches(position)
        allow_deferred = self.own.role != PLUGIN_MANAGEMENT
        # A method that executes a plugin itself is GOV101's (one mistake, one finding).
        reported = reported | self.direct_execution_lines()
        if service.class_name:
            entries = unreached_entries(self.ctx, service.class_name, service.entry_methods,
                                        delegate, allow_deferred=allow_deferred,
                                        reported=reported, reaches=reaches)
        else:
            entries = unreached_functions(self.ctx, service.entry_methods, delegate, reaches,
                                          reported, self.may_hold(position))
        for name, entry in entries:
            yield self.ctx.finding(rule, entry, method=name, call=self.delegate_call(entry))

    def may_hold(self, position: int) -> Callable[[FunctionNode, ast.Name], bool]:
        """Whether a name may hold the layer at `position`: typed as it, or a parameter the
        model cannot type (no annotation)."""
        def test(function: FunctionNode, name: ast.Name) -> bool:
            arguments = function.args
            for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if arg.arg == name.id and arg.annotation is None:
                    return True
            reached = self.chain.holds(name, name)
            return reached is not None and self.layers[reached.position] == self.layers[position]
        return test

    def reaches(self, position: int) -> Callable[[FunctionNode], bool]:
        """Whether a function uses an object the model types as the layer at `position`."""
        def test(function: FunctionNode) -> bool:
            for node in ast.walk(function):
                if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(node.ctx, ast.Load):
                    reached = self.chain.holds(node, node)
                    if reached is not None and self.layers[reached.position] == self.layers[position]:
                        return True
                elif isinstance(node, ast.Call):
                    reached = self.chain.callee(node)
                    if reached is not None and self.layers[reached.position] == self.layers[position]:
                        return True
            return False
        return test

    # -- plugin management's runner calls (GOV602) ----------------------------------------------

    def stray_runner_calls(self) -> Iterator[Site]:
        for call, how, fix in StrayRunnerCalls(self).find():
            yield Site(RUNNER_CALLED_OUTSIDE_ATTRIBUTE, call, self.scope(call), ("stray", id(call)),
                       {"call": _call_text(call), "how": how, "fix": fix})


class OutsideWalk(Walk):
    """A module outside the chain: calls that enter the chain below its top."""

    def findings(self) -> Iterator[Finding]:
        names = lower_entry_names(self.config)
        if self.ctx.source and not names_a_call(self.ctx.source, names):
            return
        wanted = set(names)
        sites: list[Site] = []
        for node in self.ctx.nodes:
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else \
                func.id if isinstance(func, ast.Name) else ""
            if name not in wanted:
                continue
            reached = self.chain.callee(node)
            if reached is None or reached.position < 2 or reached.method != name:
                continue
            layer = self.layers[reached.position]
            scope = self.scope(node)
            sites.append(Site(LAYER_BYPASSED, node, scope, ("outside", layer.label), {
                "text": short(usage_text(self.facts, func)),
                "how": f"calls {layer.label} from outside the chain, skipping the layers above it",
                "fix": f"call {self.top_service()} instead"}))
        yield from self.report(sites)


class StrayRunnerCalls:
    """Calls of the runner in plugin management that bypass the injected runner's governed
    method: on a runner constructed in place, unbound on the class, through a name or an
    attribute that only ever holds a runner built here, or another method than the governed
    ones through any attribute that holds the runner."""

    def __init__(self, walk: LayerWalk) -> None:
        ctx = walk.ctx
        config = ctx.config
        self.facts = walk.facts
        # The runner's classes: `runner.class` and the classes of `runner.also`'s methods.
        self.class_names = frozenset({config.runner.class_name, *config.runner.class_names}) - {""}
        self.class_aliases = {local for local, imported in self.facts.aliases.items()
                              if imported in self.class_names}
        self.class_aliases |= self.class_names
        allowed = delegate_methods(config.services.plugin_management.delegate_methods,
                                   config.runner.method, *config.runner.method_names)
        self.methods = allowed or frozenset({config.runner.method, *config.runner.method_names})
        # Only these methods of the runner apply every guarantee; empty means any method.
        self.allowed = allowed
        runner = role_layers(config)[RUNNER]
        self.configured = set(walk.delegate_attributes())
        holders = layer_holders(ctx, runner)
        # Attributes the module shows hold a runner it built itself, never one handed in.
        self.built_holders = {attribute for attribute in holders
                              if attribute not in self.configured
                              and not any(assignment.injected
                                          for assignment in self.facts.assignments[attribute])}
        self.holders = self.configured | set(holders)
        self.built_names = {name for name, value in self.facts.bindings
                            if self._is_construction(value)}
        self.hint = walk.delegate_call(None)

    def find(self) -> Iterator[tuple[ast.Call, str, str]]:
        facts = self.facts
        candidates: list[ast.AST] = [name for name in facts.names if name.id in self.built_names]
        candidates.extend(attribute for attribute in facts.attributes
                          if attribute.attr in self.methods or attribute.attr in self.built_holders
                          or _self_attribute(attribute.value) in self.holders)
        for node in candidates:
            call = facts.called(node)
            how, fix = self._how(node) if call is not None else ("", "")
            if how:
                yield call, how, fix

    def _how(self, func: ast.AST) -> tuple[str, str]:
        """How `func(...)` reaches the runner without the governed path, and the fix; or ''."""
        inject = f"inject the runner and call `{self.hint}`"
        if isinstance(func, ast.Attribute) and func.attr in self.methods:
            receiver = func.value
            if self._is_construction(receiver):
                return "on a runner constructed in place", inject
            if self._is_class(receiver):
                return "unbound, on the runner class", inject
            if isinstance(receiver, ast.Name) and receiver.id in self.built_names:
                return f"through `{receiver.id}`, a runner built here", inject
            holder = _self_attribute(receiver)
            if holder in self.built_holders:
                return f"through `self.{holder}`, a runner this service builds itself", inject
        if isinstance(func, ast.Attribute) and self.allowed and func.attr not in self.allowed \
                and _self_attribute(func.value) in self.holders:
            return (f"through `{func.attr}`, not its governed method",
                    f"call `{self.hint}`, which validates, wraps errors and records metrics "
                    f"(or add `{func.attr}` to `services.plugin_management.delegate_methods`)")
        if isinstance(func, ast.Name) and func.id in self.built_names:
            return f"through `{func.id}`, a runner built here", inject
        holder = _self_attribute(func)
        if holder in self.built_holders:
            return f"through `self.{holder}`, a runner this service builds itself", inject
        return "", ""

    def _is_class(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.class_aliases
        return isinstance(node, ast.Attribute) and node.attr in self.class_names

    def _is_construction(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and self._is_class(node.func)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in SELF_NAMES


def _self_attribute(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute) and _is_self(node.value):
        return node.attr
    return None


def _call_text(call: ast.Call) -> str:
    text = ast.unparse(call.func) + "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


def _fallback(layer: Layer) -> str:
    return {JOB_MANAGEMENT: "_job_mgmt", PLUGIN_MANAGEMENT: "_plugin_mgmt",
            RUNNER: "_runner"}.get(layer.role, "_next")


CHECKS = (DelegationChainCheck,)
