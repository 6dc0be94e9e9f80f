"""GOV101 beyond names: plugin executions found by type, in one module's astroid tree.

Two kinds, both reported at the place the module itself executes the plugin:

- `receiver.run(...)` (or `receiver.run` passed on, or `getattr(receiver, "run")`) where the
  receiver is a plugin by inferred or annotated type, though not by name;
- `helper(arg, ...)` where `helper` executes the parameter `arg` is bound to (one or two call
  levels down) and that argument is a plugin by name (the engine's own verdict), by type, or by
  the helper's own annotation or parameter name.

The engine already reported the name-based ones; lines it reported are skipped, so a line
never carries two GOV101 messages.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from astroid import nodes

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.plugins import PluginNames
from flake8_phase12.analysis.runner_roles import hosted_runner_targets, runner_layer_modules
from flake8_phase12.config.model import Config
from flake8_phase12.pylint.helpers import HelperExecution, HelperFinder
from flake8_phase12.pylint.inference import (
    MAX_SELF_DEPTH,
    SELF_NAMES,
    PluginTypes,
    describe,
    execution_reference,
    is_introspection,
)
from flake8_phase12.pylint.project import ProjectCode
from flake8_phase12.rules.direct_execution import DIRECT_PLUGIN_EXECUTION, runner_description

EMPTY_MODULE = ast.Module(body=[], type_ignores=[])
WORD_SEPARATORS = re.compile(r"[^A-Za-z0-9_]+")
# Argument shapes that may evaluate to a plugin object; literals, operators and lambdas cannot.
OBJECT_EXPRESSIONS = (nodes.Name, nodes.Attribute, nodes.Subscript, nodes.Call, nodes.Await,
                      nodes.IfExp, nodes.NamedExpr)


def applies(ctx: FileContext) -> bool:
    """The engine's own gates for GOV101: not excluded, not the runner, not sanctioned."""
    config = ctx.config
    return not ctx.is_excluded and not ctx.module_matches(*runner_layer_modules(config),
                                                          *config.execution_modules)


def is_candidate(node: nodes.NodeNG, methods: tuple[str, ...]) -> bool:
    """Syntax alone says the node may execute a plugin: an execution method referenced, or a
    call with arguments (a helper may execute one of them)."""
    if isinstance(node, nodes.Attribute):
        return node.attrname in methods
    return isinstance(node, nodes.Call) and bool(node.args or node.keywords)


def candidates_in(module: nodes.Module, methods: tuple[str, ...]) -> Iterator[nodes.NodeNG]:
    return (node for node in module.nodes_of_class((nodes.Attribute, nodes.Call))
            if is_candidate(node, methods))


def inferred_executions(candidates: Iterable[nodes.NodeNG], ctx: FileContext, session: Session,
                        reported_lines: set[int]) -> Iterator[Finding]:
    """GOV101 findings by type, among one module's candidates (in source order), on lines the
    engine did not report. Call `applies` first."""
    scan = ModuleScan(ctx, session)
    hosted = _hosted_spans(ctx)
    for node in candidates:
        if node.lineno in reported_lines or any(start <= node.lineno <= end for start, end in hosted):
            continue
        finding = scan.finding_at(node)
        if finding is not None:
            reported_lines.add(finding.line)
            yield finding


def _hosted_spans(ctx: FileContext) -> tuple[tuple[int, int], ...]:
    """The lines of the runner roles this module hosts (a composition root's closure, see
    `runner_roles.hosted_runner_targets`): they execute plugins as the runner does."""
    if not hosted_runner_targets(ctx.config) or not ctx.source:
        return ()
    try:
        tree = ast.parse(ctx.source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    # Imported here: only a project with a hosted runner role needs the runner's analysis.
    from flake8_phase12.analysis.runner import runner_methods

    functions = runner_methods(FileContext(tree, ctx.path, ctx.config, ctx.source))
    return tuple((function.lineno, function.end_lineno or function.lineno) for function in functions)


class Session:
    """What one configuration has learnt during a pylint run, shared by all its modules: plugin
    classes, helpers and which modules mention an execution method. Start one per run."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.types = PluginTypes(config)
        self.project = ProjectCode(config.project_root, config.execution_methods)
        self.helpers = HelperFinder(self.types, SanctionedModules(config), self.project)


@dataclass
class ModuleScan:
    """The pylint plugin's view of one module: its file context and the session's inference helpers."""
    ctx: FileContext
    session: Session

    @property
    def types(self) -> PluginTypes:
        return self.session.types

    @property
    def project(self) -> ProjectCode:
        return self.session.project

    @property
    def helpers(self) -> HelperFinder:
        return self.session.helpers

    def finding_at(self, node: nodes.NodeNG) -> Finding | None:
        config = self.ctx.config
        reference = execution_reference(node, config.execution_methods)
        if reference is not None:
            # Cheap tests first: the receiver must start from this project's names.
            if (not is_introspection(reference)
                    and self.project.leads_into_project(reference.receiver, allow_variables=True,
                                                        self_depth=MAX_SELF_DEPTH)
                    and self.types.is_plugin(reference.receiver)):
                return _finding(node, describe(reference), config)
            return None
        if isinstance(node, nodes.Call) and self._may_be_helper_call(node):
            for argument, execution in self.helpers.helper_executions(node):
                if self._hands_over_a_plugin(argument, execution):
                    return _finding(node, "` -> `".join(execution.steps), config)
        return None

    def _may_be_helper_call(self, call: nodes.Call) -> bool:
        """Worth inferring the callee: an argument may be an object (not a literal), and the
        callee is the project's own function (`helpers.execute`, `self._execute`) or a plugin,
        by name, is handed to it (`executor.execute(plugin)`)."""
        values = [value for value in (*call.args, *(keyword.value for keyword in call.keywords or ()))
                  if isinstance(value, OBJECT_EXPRESSIONS)
                  and not (isinstance(value, nodes.Name) and value.name in SELF_NAMES)]
        if not values:
            return False
        if self.project.leads_into_project(call.func, allow_variables=False, self_depth=1):
            return True
        return any(self._named_plugin(value) for value in values)

    def _hands_over_a_plugin(self, argument: nodes.NodeNG, execution: HelperExecution) -> bool:
        return (self.helpers.parameter_is_plugin(execution) or self._named_plugin(argument)
                or self.types.is_plugin(argument))

    def _named_plugin(self, argument: nodes.NodeNG) -> bool:
        """The engine's name-based verdict (receiver patterns, aliases, base-class annotations)."""
        if not self._names_possible or self._syntax is None:
            return False
        names, index = self._syntax
        key = (type(argument).__name__, argument.lineno, argument.col_offset,
               argument.end_lineno, argument.end_col_offset)
        twin = index.get(key)
        return twin is not None and names.is_plugin(twin, at=twin)

    @cached_property
    def _names_possible(self) -> bool:
        """Some receiver pattern or base class can match here: each of its words is in the text
        (most modules mention no `plugin` at all and need no second parse)."""
        config = self.ctx.config
        for pattern in (*config.plugin_receivers, *config.plugin_base_classes):
            words = [word for word in WORD_SEPARATORS.split(pattern) if word]
            if all(word in self.ctx.source for word in words):
                return True
        return False

    @cached_property
    def _syntax(self) -> tuple[PluginNames, dict[tuple, ast.AST]] | None:
        """The stdlib tree of the module, its plugin names and a position index, on first use."""
        try:
            tree = ast.parse(self.ctx.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        ctx = FileContext(tree, self.ctx.path, self.ctx.config, self.ctx.source)
        index = {(type(node).__name__, node.lineno, node.col_offset, node.end_lineno,
                  node.end_col_offset): node
                 for node in ast.walk(tree) if isinstance(node, ast.expr)}
        return PluginNames(tree, ctx.config, ctx.parents), index


class SanctionedModules:
    """Whether a function lives in a module of the runner's layer (`runner.module`, the modules
    of `runner.also`, see `runner_roles.runner_layer_modules`) or a sanctioned module (by its file)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._verdicts: dict[str, bool] = {}

    def __call__(self, function: nodes.FunctionDef) -> bool:
        file = function.root().file
        if not file:
            return False
        if file not in self._verdicts:
            ctx = FileContext(EMPTY_MODULE, str(Path(file).absolute()), self.config)
            self._verdicts[file] = ctx.module_matches(*runner_layer_modules(self.config),
                                                      *self.config.execution_modules)
        return self._verdicts[file]


def _finding(node: nodes.NodeNG, call: str, config: Config) -> Finding:
    rule = DIRECT_PLUGIN_EXECUTION
    return Finding(
        rule=rule,
        line=node.lineno,
        col=node.col_offset or 0,
        message=rule.format_message(call=call, runner=runner_description(config)),
        anchor=_anchor(node),
        end_line=node.end_lineno,
        end_col=node.end_col_offset,
    )


def _anchor(node: nodes.NodeNG) -> str:
    """`Class.method` of the definitions around `node`, as the engine's findings have (and
    baselines fingerprint)."""
    names = [ancestor.name for ancestor in node.node_ancestors()
             if isinstance(ancestor, (nodes.FunctionDef, nodes.ClassDef))]
    return ".".join(reversed(names)) or "<module>"
