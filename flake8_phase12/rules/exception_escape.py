"""GOV401-GOV407: no raw exception escapes the runner (checklist §4, structured error handling).

All seven rules look at the runner modules only, and only when one defines a configured
runner role (`ToolRunner.run` by default, or the plain function, or one of `runner.also`; see
`analysis.runner.runner_methods`): that method, and every other public way into the runner that
executes a plugin itself (`analysis.runner.execution_functions`, as sections 2, 3 and 5 use).
Their plugin lookup, validation and execution must sit in a `try` whose `except Exception`
clause returns the envelope built by `build_error_envelope`. Where the input validator, the
output validator and the metrics update sit is owned by the rules of sections 2, 3 and 5, so
those calls are never reported here.
"""

from __future__ import annotations

from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding
from flake8_phase12.analysis.names import is_declaration
from flake8_phase12.analysis.raising import ExceptionClasses, module_constants
from flake8_phase12.analysis.runner import execution_functions, runner_methods
from flake8_phase12.rules import Check
from flake8_phase12.rules._escape_audit import MethodAudit
from flake8_phase12.rules._escape_rules import RULES


class ExceptionEscapeCheck(Check):
    """GOV401-GOV407: no exception escapes the runner; failures become error envelopes."""
    rules = RULES

    def within_role(self, ctx: FileContext) -> bool:
        # The runner module: where it names the configured runner class or function.
        runner = ctx.config.runner
        names = [name for name in (runner.class_name, *runner.names) if name]
        return not ctx.source or any(name in ctx.source for name in names)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        constants = module_constants(ctx.tree)
        classes = ExceptionClasses(ctx.tree)
        # Only where the configured runner exists; then also its other public ways in that
        # execute a plugin themselves (`ToolRunner.run_batch`), as sections 2, 3 and 5 do.
        if not runner_methods(ctx):
            return
        for function in execution_functions(ctx):
            if not is_declaration(function):
                yield from MethodAudit(ctx, function, constants, classes).findings()


CHECKS = (ExceptionEscapeCheck,)
