"""GOV401-GOV407 beyond the functional fixtures: `except*`, messages, the building blocks in
`analysis.raising`, and robustness on real code.

The functional fixtures (`tests/functional/exception_escape/`) run every check; here only the
section 4 check runs, so the expectations do not depend on the other sections' rules.
"""

from __future__ import annotations

import ast
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.names import is_declaration
from flake8_phase12.analysis.raising import (
    Breadth,
    ExceptionClasses,
    handler_breadth,
    is_trivial_call,
    may_fall_through,
    module_constants,
    scan_function,
)
from flake8_phase12.config import config_from_mapping
from flake8_phase12.lint_file import check_file
from flake8_phase12.rules._escape_audit import MethodAudit
from flake8_phase12.rules.exception_escape import ExceptionEscapeCheck

ROOT = Path("/phase12-unit-project")
RUNNER_PATH = "server/app/services/tool_runner.py"


def findings(source: str, path: str = RUNNER_PATH, table: dict | None = None):
    source = textwrap.dedent(source)
    config = config_from_mapping(table or {}, project_root=ROOT)
    return check_file(ast.parse(source), str(ROOT / path), config, source,
                      checks=(ExceptionEscapeCheck(),))


def codes(source: str, **kwargs) -> list[tuple[int, str]]:
    return [(finding.line, finding.code) for finding in findings(source, **kwargs)]


# --- except* -------------------------------------------------------------------------------

needs_trystar = pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")


@needs_trystar
def test_except_star_that_assigns_the_envelope_guards_its_body():
    assert codes("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                result = None
                try:
                    result = self._registry.get(plugin_name).run(payload)
                except* Exception as group:
                    result = build_error_envelope(group, plugin_name)
                return result
    """) == []


@needs_trystar
def test_except_star_findings_use_the_same_rules_as_except():
    assert codes("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                plugin = self._registry.get(plugin_name)
                try:
                    return plugin.run(payload)
                except* ValueError:
                    raise RuntimeError("bad value")
                except* Exception:
                    logger.exception("failed")
    """) == [(4, "GOV405"), (8, "GOV403"), (9, "GOV407")]


# --- messages ------------------------------------------------------------------------------

def test_every_message_names_the_runner_and_the_fix():
    found = findings("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                plugin = self._registry.get(plugin_name)
                try:
                    return plugin.run(payload)
                except KeyError:
                    return None
                except Exception:
                    pass
                finally:
                    raise RuntimeError("closed")
    """)
    by_code = {finding.code: finding.message for finding in found}
    assert set(by_code) == {"GOV405", "GOV404", "GOV406", "GOV407"}
    assert "`self._registry.get(...)` outside the `try` of `ToolRunner.run` can raise" \
        in by_code["GOV405"]
    assert "`raise RuntimeError('closed')` in the `finally` clause of `ToolRunner.run`" \
        in by_code["GOV404"]
    assert "`return None` in an `except` clause" in by_code["GOV406"]
    for message in by_code.values():
        assert "build_error_envelope" in message
        assert message.endswith("]") and "Phase 12 §4" in message


def test_too_narrow_lists_what_the_handlers_catch():
    [finding] = findings("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                try:
                    return self._registry.get(plugin_name).run(payload)
                except (KeyError, errors.PluginError) as exc:
                    return build_error_envelope(exc, plugin_name)
                except TimeoutError as exc:
                    return build_error_envelope(exc, plugin_name)
    """)
    assert (finding.code, finding.line) == ("GOV402", 6)
    assert "only catches `KeyError`, `PluginError`, `TimeoutError`" in finding.message


def test_custom_names_appear_in_the_messages():
    table = {"runner": {"module": "app.execution.executor", "class": "Executor",
                        "method": "execute"},
             "envelope": {"function": "make_error_response"}}
    [finding] = findings("""
        class Executor:
            def execute(self, tool, request):
                return tool.run(request)
    """, path="app/execution/executor.py", table=table)
    assert finding.code == "GOV401"
    assert finding.message.startswith("GOV401 `Executor.execute` has no `try`/`except`")
    assert "make_error_response(exc, ...)" in finding.message


# --- what is and is not the runner ---------------------------------------------------------

def test_a_runner_module_without_the_runner_says_nothing():
    assert codes("""
        def run_plugin(plugin, payload):
            try:
                return plugin.run(payload)
            except ValueError:
                raise
    """) == []


def test_abstract_and_protocol_runners_say_nothing():
    assert codes("""
        import abc
        from typing import Protocol


        class ToolRunner(abc.ABC):
            @abc.abstractmethod
            def run(self, plugin_name, payload):
                \"\"\"Return the output or an envelope.\"\"\"
                raise NotImplementedError


        class OtherRunner(Protocol):
            def run(self, plugin_name, payload): ...
    """) == []


def test_only_the_runner_module_is_checked():
    source = """
        class ToolRunner:
            def run(self, plugin_name, payload):
                return self._registry.get(plugin_name).run(payload)
    """
    assert codes(source) == [(3, "GOV401")]
    assert codes(source, path="server/app/services/plugin_management_service.py") == []
    assert codes(source, path="server/tests/test_tool_runner.py") == []


def test_a_method_with_nothing_that_can_raise_needs_no_try():
    assert codes("""
        import time


        class ToolRunner:
            def run(self, plugin_name, payload):
                started = time.perf_counter()
                logger.info("nothing to run for %s", plugin_name)
                return build_error_envelope(LookupError(plugin_name), plugin_name)
    """) == []


def test_the_statement_is_reported_once_at_the_call_that_runs_first():
    [finding] = findings("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                options = normalize(payload.get("options"), defaults())
                try:
                    return self._registry.get(plugin_name).run(payload, options)
                except Exception as exc:
                    return build_error_envelope(exc, plugin_name)
    """)
    assert (finding.code, finding.line, finding.col) == ("GOV405", 4, 28)
    assert finding.message.startswith("GOV405 `payload.get(...)` outside the `try`")


def test_the_metrics_update_and_its_arguments_belong_to_section_5():
    assert codes("""
        class ToolRunner:
            def run(self, plugin_name, payload):
                try:
                    return self._registry.get(plugin_name).run(payload)
                except Exception as exc:
                    return build_error_envelope(exc, plugin_name)
                finally:
                    self._registry.update_execution_metrics(plugin_name, ms=self._elapsed())
    """) == []


def test_a_raise_the_narrow_handler_provably_does_not_catch_escapes():
    source = """
        class LocalError(KeyError):
            pass


        class ToolRunner:
            def run(self, plugin_name, payload):
                try:
                    if payload is None:
                        raise {raised}("no payload")
                except LookupError as exc:
                    return build_error_envelope(exc, plugin_name)
                try:
                    return self._registry.get(plugin_name).run(payload)
                except Exception as exc:
                    return build_error_envelope(exc, plugin_name)
    """
    assert codes(source.format(raised="ValueError")) == [(10, "GOV404")]
    assert codes(source.format(raised="IndexError")) == []  # a LookupError
    assert codes(source.format(raised="LocalError")) == []  # a KeyError, so a LookupError
    assert codes(source.format(raised="ImportedError")) == []  # unknown: say nothing


def test_a_handler_through_a_module_tuple_catches_what_the_tuple_names():
    source = """
        LOOKUP_ERRORS = (KeyError, {second})


        class ToolRunner:
            def run(self, plugin_name, payload):
                try:
                    if payload is None:
                        raise ValueError("no payload")
                except LOOKUP_ERRORS as exc:
                    return build_error_envelope(exc, plugin_name)
                try:
                    return self._registry.get(plugin_name).run(payload)
                except Exception as exc:
                    return build_error_envelope(exc, plugin_name)
    """
    assert codes(source.format(second="ValueError")) == []
    assert codes(source.format(second="IndexError")) == [(9, "GOV404")]


def test_a_plain_function_runner_is_checked_like_a_method():
    table = {"runner": {"function": "execute_plugin_safely"}}
    assert codes("""
        async def execute_plugin_safely(registry, plugin_name, payload):
            try:
                return await registry.get(plugin_name).run(payload)
            except Exception:
                return {"error": "failed"}
    """, table=table) == [(6, "GOV406")]


# --- building blocks -----------------------------------------------------------------------

@pytest.mark.parametrize(("handler", "breadth"), [
    ("except:", Breadth.BROAD),
    ("except Exception:", Breadth.BROAD),
    ("except BaseException as exc:", Breadth.BROAD),
    ("except builtins.Exception:", Breadth.BROAD),
    ("except (KeyError, Exception):", Breadth.BROAD),
    ("except CATCH_ALL:", Breadth.BROAD),
    ("except ValueError:", Breadth.NARROW),
    ("except (KeyError, errors.PluginError):", Breadth.NARROW),
    ("except NARROW:", Breadth.NARROW),
    ("except IMPORTED_ERRORS:", Breadth.UNKNOWN),
    ("except self.retryable:", Breadth.UNKNOWN),
    ("except errors_for(plugin):", Breadth.UNKNOWN),
])
def test_handler_breadth(handler, breadth):
    constants = "CATCH_ALL = (ValueError, Exception)\nNARROW = (KeyError,)\n"
    tree = ast.parse(f"{constants}try:\n    pass\n{handler}\n    pass\n")
    try_node = tree.body[2]
    assert handler_breadth(try_node.handlers[0], module_constants(tree)) is breadth


def test_a_name_bound_twice_at_module_level_is_not_resolved():
    tree = ast.parse("ERRORS = (KeyError,)\nERRORS = (Exception,)\n"
                     "try:\n    pass\nexcept ERRORS:\n    pass\n")
    assert handler_breadth(tree.body[2].handlers[0], module_constants(tree)) is Breadth.UNKNOWN


def test_exception_classes_follow_builtins_and_local_classes():
    classes = ExceptionClasses(ast.parse(
        "class A(KeyError): pass\nclass B(A): pass\nclass C(Imported): pass\n"))
    assert classes.caught_by("B", ["LookupError"]) is True
    assert classes.caught_by("B", ["ValueError"]) is False
    assert classes.caught_by("ZeroDivisionError", ["ArithmeticError"]) is True
    assert classes.caught_by("C", ["ValueError"]) is None
    assert classes.caught_by("Imported", ["Exception"]) is None


@pytest.mark.parametrize(("body", "falls"), [
    ("pass", True),
    ("log(x)", True),
    ("return x", False),
    ("raise", False),
    ("if a:\n    return x", True),
    ("if a:\n    return x\nelse:\n    raise", False),
    ("with lock:\n    return x", False),
    ("try:\n    return x\nexcept E:\n    pass", True),
    ("try:\n    return x\nexcept E:\n    return y", False),
    ("try:\n    pass\nfinally:\n    return y", False),
    ("match a:\n    case 1:\n        return x\n    case _:\n        return y", False),
    ("match a:\n    case 1:\n        return x", True),
    ("for item in items:\n    return item", True),
    ("envelope = build(exc)", False),
])
def test_may_fall_through(body, falls):
    statements = ast.parse(body).body
    settles = lambda statement: isinstance(statement, ast.Assign)  # noqa: E731 - a tiny predicate
    assert may_fall_through(statements, settles) is falls


@pytest.mark.parametrize(("call", "trivial"), [
    ("time.perf_counter()", True),
    ("perf_counter()", True),
    ("datetime.now(timezone.utc).isoformat()", True),
    ("uuid.uuid4()", True),
    ("self._logger.warning('x')", True),
    ("logging.info('x')", True),
    ("str(exc)", True),
    ("ValueError('bad')", True),
    ("PluginTimeoutError(name)", True),
    ("PluginTimeout(name)", False),  # not recognisably an exception class
    ("time.sleep(1)", False),
    ("self._registry.get(name)", False),
    ("len(payload)", False),
    ("json.dumps(output)", False),
])
def test_trivial_calls(call, trivial):
    imports = {"time": "time", "perf_counter": "time.perf_counter",
               "datetime": "datetime.datetime", "uuid": "uuid", "logging": "logging"}
    node = ast.parse(call, mode="eval").body
    assert is_trivial_call(node, imports) is trivial


def test_stubs():
    def parse(source):
        return ast.parse(textwrap.dedent(source)).body[0]

    # The stub test the runner rules share with the delegation and registry rules.
    assert is_declaration(parse("def run(self): ..."))
    assert is_declaration(parse("def run(self):\n    '''doc'''\n    raise NotImplementedError()"))
    assert is_declaration(parse("@overload\ndef run(self, x: int) -> int:\n    return x"))
    assert is_declaration(parse("@abc.abstractmethod\ndef run(self):\n    return 1"))
    assert not is_declaration(parse("def run(self):\n    return self._registry.get(1)"))


def test_scan_puts_each_node_in_its_region():
    function = ast.parse(textwrap.dedent("""
        def run(self):
            before()
            try:
                inside()
                try:
                    nested()
                except KeyError:
                    nested_handler()
            except ValueError:
                handler()
            else:
                orelse()
            finally:
                final()
    """)).body[0]
    scan = scan_function(function, {})
    regions = {item.node.func.id: item.region for item in scan.calls}
    assert regions["before"].part == "outside" and not regions["before"].narrow_tries
    assert regions["inside"].narrow_tries and regions["nested"].narrow_tries
    assert regions["nested_handler"].narrow_tries  # still in the outer narrow body
    assert regions["handler"].part == "handler" and regions["handler"].handler is not None
    assert regions["orelse"].part == "orelse"
    assert regions["final"].part == "finalbody"
    assert not any(region.guarded for region in regions.values())


# --- robustness ----------------------------------------------------------------------------

def stdlib_sample(limit: int = 40) -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(path for path in root.glob("*.py"))
    return files[:limit]


def test_every_function_of_the_standard_library_audits_without_error():
    """Treat every function of a sample of the standard library as the runner: whatever the
    shape of the code, the audit must finish (findings are irrelevant here)."""
    config = config_from_mapping({}, project_root=ROOT)
    audited = 0
    for path in stdlib_sample():
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        ctx = FileContext(tree=tree, path=str(ROOT / RUNNER_PATH), config=config)
        constants = module_constants(tree)
        classes = ExceptionClasses(tree)
        functions = [node for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for function in functions:
            for finding in MethodAudit(ctx, function, constants, classes).findings():
                assert finding.code.startswith("GOV40")
            audited += 1
    assert audited > 400


def generated_modules():
    """Valid Python from the grammar (built on first use: the grammar takes seconds to load)."""
    import hypothesmith

    return hypothesmith.from_grammar()


def as_runner_module(tree: ast.Module) -> ast.Module:
    """The statements of `tree` as the body of `ToolRunner.run`, and as an envelope function."""
    body = tree.body or [ast.Pass()]
    method = ast.FunctionDef(name="run", args=ast.arguments(
        posonlyargs=[], args=[ast.arg("self"), ast.arg("plugin_name"), ast.arg("payload")],
        kwonlyargs=[], kw_defaults=[], defaults=[]), body=body, decorator_list=[], returns=None,
        type_params=[])
    runner = ast.ClassDef(name="ToolRunner", bases=[], keywords=[], body=[method],
                          decorator_list=[], type_params=[])
    envelope = ast.FunctionDef(name="build_error_envelope", args=method.args, body=body,
                               decorator_list=[], returns=None, type_params=[])
    return ast.fix_missing_locations(ast.Module(body=[runner, envelope], type_ignores=[]))


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.deferred(generated_modules))
def test_generated_code_as_the_runner_never_breaks_the_section_4_checks(source):
    from flake8_phase12.rules.envelope_shape import EnvelopeShapeCheck

    tree = as_runner_module(ast.parse(source))
    config = config_from_mapping({"envelope": {"module": "tool_runner"}}, project_root=ROOT)
    found = check_file(tree, str(ROOT / RUNNER_PATH), config, "",
                       checks=(ExceptionEscapeCheck(), EnvelopeShapeCheck()))
    assert not [finding.message for finding in found if finding.code == "GOV000"]
