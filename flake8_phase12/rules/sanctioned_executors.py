"""GOV102: a sanctioned executor called from a module not allowed to call it (checklist §1).

Besides the runner, a project may keep executors it trusts with plugins (a sandbox entry point,
a legacy runner kept for Phase 11), each meant for named callers only:
`[tool.phase12.sanctioned_executors]` maps `"module:function"` (or `"module:Class.method"`) to
the module patterns allowed to call it. A call of the executor, or the executor handed to a
call that runs it (`asyncio.to_thread(run_isolated, ...)`, `functools.partial(run_isolated,
...)`), is judged by what the callee IS: the project model resolves the name through imports
and re-exports (`from pkg.sandbox import run_isolated`, defined in `pkg.sandbox.isolate`) and
types the object of a method (`self._sandbox.run(...)` where `_sandbox` holds the class).
Where the model cannot resolve the callee, the file's own import of it still names it. The
executor's own module may call it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.context import FileContext, Finding, module_matches
from flake8_phase12.analysis.names import dotted_name
from flake8_phase12.analysis.plugins import handed_off_call
from flake8_phase12.catalog import Rule
from flake8_phase12.records import Record
from flake8_phase12.rules import Check

SANCTIONED_EXECUTOR_CALLER = Rule(
    code="GOV102",
    symbol="sanctioned-executor-caller",
    section=1,
    title="A sanctioned executor called from a module not allowed to call it",
    message="`{call}` calls the sanctioned executor `{executor}`, which only {callers} may "
            "call; {fix}",
    docs="""
    ## What it does
    Flags, in any module but the ones allowed (`[tool.phase12.sanctioned_executors]`), a call
    of a sanctioned executor, or the executor handed to a call that runs it
    (`asyncio.to_thread(run_isolated, fn, ...)`, `functools.partial(run_isolated, ...)`,
    `loop.run_in_executor(None, run_isolated, ...)`). The callee is resolved through imports
    and package re-exports, and the object of a method call is typed by the project model, so
    an alias (`from pkg.sandbox import run_isolated as isolated`) or another attribute name
    does not hide it. Referencing the executor without running it (`callable(run_isolated)`,
    passing it to a constructor as a default) is not a call.

    ```toml
    [tool.phase12.sanctioned_executors]
    "pkg.sandbox.isolate:run_isolated" = ["pkg.engine.core"]
    "pkg.legacy:LegacyRunner.execute" = ["pkg.services.gateway"]
    ```

    The executors' modules may execute plugins (as `sanctioned_modules` do); a plugin executed
    directly anywhere else is GOV101.

    ## Why is this bad?
    A sanctioned executor runs plugin code on behalf of the runner: a sandbox isolates it, a
    legacy runner keeps the Phase 11 path alive. It does not validate input or output, build
    the error envelope or update the registry metrics; its allowed caller does. Called from
    anywhere else, it is a second execution entry point that skips all of that.

    ## Example
    ```python
    # pkg/services/jobs.py
    from pkg.sandbox import run_isolated

    def run_job(gateway, job):
        plugin = gateway.plugin(job.plugin_id)
        return run_isolated(plugin.run_tool, job.tool, job.args, timeout=5.0)
    ```

    ## Use instead
    ```python
    # pkg/services/jobs.py
    def run_job(gateway, job):
        return gateway.execute(job.plugin_id, job.tool, job.args)
    ```
    """,
)

RULES = (SANCTIONED_EXECUTOR_CALLER,)


class Executor(Record):
    """One sanctioned executor: its module, its qualname (`run_isolated`, `Runner.execute`)
    and the module patterns allowed to call it."""

    module: str
    qualname: str
    callers: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def owner(self) -> str:
        return self.qualname.rpartition(".")[0]

    @property
    def written(self) -> str:
        return f"{self.module}:{self.qualname}"


def executors(config) -> tuple[Executor, ...]:
    found = []
    for target, callers in config.sanctioned_executors:
        module, _, qualname = target.partition(":")
        if module and qualname:
            found.append(Executor(module, qualname, callers))
    return tuple(found)


class SanctionedExecutorCheck(Check):
    """GOV102: sanctioned executors are called only by their allowed callers."""
    rules = RULES

    @staticmethod
    def _allowed(ctx: FileContext, executor: Executor) -> bool:
        return ctx.module_matches(executor.module, *executor.callers)

    def run(self, ctx: FileContext) -> Iterator[Finding]:
        judged = [executor for executor in executors(ctx.config) if not self._allowed(ctx, executor)]
        if not judged:
            return
        names = {executor.name for executor in judged}
        names |= {local for local, origin in ctx.imported_names.items()
                  if origin.rsplit(".", 1)[-1] in names}  # `import bake as quick_bake`
        resolver = _Resolver(ctx)
        direct: set[int] | None = None
        for node in ctx.nodes:
            if not isinstance(node, ast.Call):
                continue
            for target in _targets(node):
                name = target.attr if isinstance(target, ast.Attribute) else \
                    target.id if isinstance(target, ast.Name) else ""
                if name not in names:
                    continue
                executor = next((item for item in judged if resolver.is_executor(target, item, node)),
                                None)
                if executor is not None:
                    if direct is None:
                        direct = _direct_execution_lines(ctx)
                    if node.lineno in direct:
                        break  # a plugin executed there: GOV101 reports the line
                    callers = ", ".join(f"`{pattern}`" for pattern in executor.callers) \
                        or "its own module"
                    yield ctx.finding(SANCTIONED_EXECUTOR_CALLER, node, call=_text(node),
                                      executor=executor.written, callers=callers,
                                      fix=_fix(ctx))
                    break


def _targets(call: ast.Call) -> list[ast.AST]:
    """What a call runs: its function, and what an executor hand-off or `partial` runs."""
    found = [call.func]
    target, _ = handed_off_call(call)
    if target is not None and target is not call.func:
        found.append(target)
    if dotted_name(call.func) in ("partial", "functools.partial") and call.args:
        found.append(call.args[0])
    return found


class _Resolver:
    """Is this callee the executor? By the project model, else by the file's own imports."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._objects = None

    @property
    def objects(self):
        if self._objects is None:
            # Imported here: only a file that names an executor pays for the model.
            from flake8_phase12.model.context import objects

            self._objects = objects(self.ctx)
        return self._objects

    def is_executor(self, target: ast.AST, executor: Executor, at: ast.AST) -> bool:
        objects = self.objects
        model = objects.model
        if executor.owner and isinstance(target, ast.Attribute):
            typed = objects.classes(target.value, at)
            if typed.classes and not typed.element:
                return any(self._same_class(ref, executor) for ref in typed.classes)
        written = dotted_name(target)
        if not written:
            return False
        ref = model.resolve(objects.module, written)
        if ref is not None:
            return ref.kind == "function" and ref.qualname == executor.qualname \
                and self._same_module(ref.module, executor)
        origin = self.ctx.imported_names.get(written.split(".", 1)[0])
        if origin is None or origin.startswith("."):
            return False
        dotted = origin + written[len(written.split(".", 1)[0]):]
        module, _, qualname = dotted.rpartition(".")
        if executor.owner:
            module, _, owner = module.rpartition(".")
            qualname = f"{owner}.{qualname}"
        return qualname == executor.qualname and self._same_module(module, executor)

    def _same_class(self, ref, executor: Executor) -> bool:
        return ref.qualname == executor.owner and self._same_module(ref.module, executor)

    def _same_module(self, module: str, executor: Executor) -> bool:
        """The executor's module as configured, its dotted suffix, or a package re-exporting it
        (`pkg.sandbox` for `pkg.sandbox.isolate:run_isolated`)."""
        if module_matches(module, (executor.module,)):
            return True
        configured = self.objects.model.resolve_dotted(f"{executor.module}.{executor.qualname}")
        return configured is not None and configured.module == module


def _direct_execution_lines(ctx: FileContext) -> set[int]:
    from flake8_phase12.rules.direct_execution import DirectExecutionCheck

    check = DirectExecutionCheck()
    return {finding.line for finding in check.run(ctx)} if check.concerns(ctx) else set()


def _text(call: ast.Call) -> str:
    text = ast.unparse(call.func) + "(...)"
    return text if len(text) <= 60 else text[:57] + "..."


def _fix(ctx: FileContext) -> str:
    from flake8_phase12.rules.direct_execution import runner_description

    return f"execute through the runner ({runner_description(ctx.config)}) or move the call to " \
           "an allowed caller"


CHECKS = (SanctionedExecutorCheck,)
