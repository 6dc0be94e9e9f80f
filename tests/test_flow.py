"""The control-flow analysis on its own: small functions, one path property each.

`v()` stands for the validator, `lookup()`/`run()` for what must come after it, and `m()` for
the metrics update that a `finally` must run on every path.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_phase12.analysis.flow import (
    MAX_NODES,
    ControlFlow,
    FlowTooLarge,
    LocalFunctions,
)


def parse_function(source: str) -> ast.FunctionDef:
    function = ast.parse(textwrap.dedent(source)).body[0]
    assert isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
    return function


def calls_named(root: ast.AST, name: str) -> list[ast.Call]:
    found = [node for node in ast.walk(root) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == name]
    assert found, f"no call of {name}() in the snippet"
    return sorted(found, key=lambda node: (node.lineno, node.col_offset))


def preceded(source: str, target: str = "lookup", by: str = "v") -> bool:
    function = parse_function(source)
    flow = ControlFlow.of_function(function)
    validators = calls_named(function, by)
    return all(flow.always_preceded(node, validators) for node in calls_named(function, target))


def finally_always_runs(source: str, raise_exits: bool = True) -> bool:
    function = parse_function(source)
    tries = [node for node in ast.walk(function) if isinstance(node, ast.Try) and node.finalbody]
    block = tries[0].finalbody
    return ControlFlow(block).always_runs(calls_named(function, "m"), raise_exits=raise_exits)


# -- "every path from the entry to lookup() first completes v()" ---------------------------------

DOMINATED = {
    "straight line": """
        def f(p):
            v(p)
            lookup(p)
        """,
    "both branches validate": """
        def f(p, c):
            if c:
                v(p)
            else:
                v(p)
            lookup(p)
        """,
    "elif chain with else on every branch": """
        def f(p, c, d):
            if c:
                v(p)
            elif d:
                v(p)
            else:
                return None
            lookup(p)
        """,
    "early return before validation": """
        def f(p, cached):
            if cached:
                return cached
            v(p)
            return lookup(p)
        """,
    "raise instead of reaching the lookup": """
        def f(p):
            if p is None:
                raise ValueError("no payload")
            v(p)
            return lookup(p)
        """,
    "short-circuit on the validator's result": """
        def f(p, name):
            error = v(p)
            if error:
                return build_error_envelope(error, name)
            return lookup(name)
        """,
    "validator in the try, handler returns an envelope": """
        def f(p, name):
            try:
                v(p)
                plugin = lookup(name)
                return plugin.run(p)
            except Exception as exc:
                return build_error_envelope(exc, name)
        """,
    "handler returns, lookup after the try": """
        def f(p):
            try:
                v(p)
            except ValueError:
                return None
            return lookup(p)
        """,
    "try/finally without handler: a raising validator propagates": """
        def f(p):
            try:
                v(p)
            finally:
                cleanup()
            return lookup(p)
        """,
    "return inside try with finally does not fall through": """
        def f(p, cached):
            try:
                if cached:
                    return cached
                v(p)
            finally:
                m()
            return lookup(p)
        """,
    "break through finally leaves the loop, not the function": """
        def f(items):
            for item in items:
                try:
                    if item:
                        break
                finally:
                    m()
            v(items)
            return lookup(items)
        """,
    "else of try after a validating body": """
        def f(p):
            try:
                v(p)
            except ValueError:
                return None
            else:
                return lookup(p)
        """,
    "while True only leaves through break": """
        def f(p):
            while True:
                v(p)
                break
            return lookup(p)
        """,
    "lookup inside the loop after validation": """
        def f(items):
            for item in items:
                if not item:
                    continue
                v(item)
                lookup(item)
        """,
    "with block": """
        def f(p, lock):
            with lock:
                v(p)
            return lookup(p)
        """,
    "async with, await and async for": """
        async def f(p, lock, stream):
            async with lock:
                await v(p)
            async for chunk in stream:
                await lookup(chunk)
        """,
    "match with a wildcard case": """
        def f(p):
            match p:
                case {"kind": "image"}:
                    v(p)
                case _:
                    v(p)
            return lookup(p)
        """,
    "assert on the validator": """
        def f(p):
            assert v(p)
            return lookup(p)
        """,
    "validator as the argument of the lookup": """
        def f(p):
            return lookup(v(p))
        """,
    "validator in the walrus test of an if": """
        def f(p, name):
            if (error := v(p)) is not None:
                return error
            return lookup(name)
        """,
    "validator evaluated before the value in one statement": """
        def f(p):
            checked, plugin = v(p), lookup(p)
            return plugin
        """,
    "test of a conditional expression runs first": """
        def f(p):
            return lookup(p) if v(p) else None
        """,
    "for-else without break": """
        def f(items):
            for item in items:
                check(item)
            else:
                v(items)
            return lookup(items)
        """,
    "nested try: inner handler re-raises to an outer returning handler": """
        def f(p):
            try:
                try:
                    v(p)
                except ValueError as exc:
                    raise TypeError() from exc
                plugin = lookup(p)
            except Exception:
                return None
            return plugin
        """,
    "validator as an argument inside a comprehension": """
        def f(ps):
            return [lookup(v(p)) for p in ps]
        """,
    "unreachable lookup after return": """
        def f(p):
            return None
            lookup(p)
            v(p)
        """,
    "lookup nested in a function that is not called here": """
        def f(p):
            def later():
                return lookup(p)
            v(p)
            return later
        """,
}

NOT_DOMINATED = {
    "lookup first": """
        def f(p):
            plugin = lookup(p)
            v(p)
            return plugin
        """,
    "validation on one branch only": """
        def f(p, strict):
            if strict:
                v(p)
            return lookup(p)
        """,
    "elif without else": """
        def f(p, c, d):
            if c:
                v(p)
            elif d:
                v(p)
            return lookup(p)
        """,
    "handler falls through to the lookup": """
        def f(p):
            try:
                v(p)
            except ValueError:
                log()
            return lookup(p)
        """,
    "bare except falls through": """
        def f(p):
            try:
                v(p)
            except:
                pass
            return lookup(p)
        """,
    "validator in the else of a try whose handler falls through": """
        def f(p):
            try:
                prepare(p)
            except ValueError:
                pass
            else:
                v(p)
            return lookup(p)
        """,
    "loop may run zero times": """
        def f(items):
            for item in items:
                v(item)
            return lookup(items)
        """,
    "while loop may not run": """
        def f(p, c):
            while c:
                v(p)
                break
            return lookup(p)
        """,
    "for-else skipped by break": """
        def f(items):
            for item in items:
                if item:
                    break
            else:
                v(items)
            return lookup(items)
        """,
    "continue skips the validator": """
        def f(items):
            for item in items:
                if item.cached:
                    continue
                v(item)
            return lookup(items)
        """,
    "lookup before validation on the next loop iteration": """
        def f(items):
            for item in items:
                lookup(item)
                v(item)
        """,
    "suppress swallows a raising validator": """
        def f(p):
            with contextlib.suppress(ValueError):
                v(p)
            return lookup(p)
        """,
    "match without an irrefutable case": """
        def f(p):
            match p:
                case {"kind": "image"}:
                    v(p)
                case {"kind": "text"}:
                    v(p)
            return lookup(p)
        """,
    "match case with a guard": """
        def f(p):
            match p:
                case {"kind": "image"}:
                    v(p)
                case _ if p:
                    v(p)
            return lookup(p)
        """,
    "validator only on the right of and": """
        def f(p, strict):
            ok = strict and v(p)
            return lookup(p)
        """,
    "validator only in a branch of a conditional expression": """
        def f(p, strict):
            ok = v(p) if strict else None
            return lookup(p)
        """,
    "validator in a comprehension": """
        def f(items):
            checked = [v(item) for item in items]
            return lookup(items)
        """,
    "validator in a lambda": """
        def f(p):
            check = lambda: v(p)
            return lookup(p)
        """,
    "validator in a nested function": """
        def f(p):
            def check():
                v(p)
            return lookup(p)
        """,
    "lookup before the validator in one statement": """
        def f(p):
            plugin, checked = lookup(p), v(p)
            return plugin
        """,
    "assignment target evaluated after the value": """
        def f(p, table):
            table[v(p)] = lookup(p)
        """,
    "validator raising into a handler inside a finally-guarded try": """
        def f(p):
            try:
                try:
                    v(p)
                except Exception:
                    pass
            finally:
                m()
            return lookup(p)
        """,
    "validator conditional inside the lookup's arguments": """
        def f(p, strict):
            return lookup(strict and v(p))
        """,
    "lookup in the handler": """
        def f(p):
            try:
                v(p)
            except Exception:
                return lookup(p)
        """,
    "lookup in the finally": """
        def f(p):
            try:
                v(p)
            finally:
                lookup(p)
        """,
}


@pytest.mark.parametrize("source", DOMINATED.values(), ids=DOMINATED.keys())
def test_every_path_completes_the_validator_first(source):
    assert preceded(source)


@pytest.mark.parametrize("source", NOT_DOMINATED.values(), ids=NOT_DOMINATED.keys())
def test_some_path_reaches_the_lookup_without_validation(source):
    assert not preceded(source)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")
def test_except_star_handlers_are_handlers():
    returning = """
        def f(p):
            try:
                v(p)
            except* ValueError:
                return None
            return lookup(p)
        """
    falling_through = returning.replace("return None", "log()")
    assert preceded(returning)
    assert not preceded(falling_through)


# -- "every path through the finally block attempts m()" ----------------------------------------

ALWAYS_IN_FINALLY = {
    "plain call": """
        def f():
            try:
                work()
            finally:
                m()
        """,
    "after best-effort work under suppress(Exception)": """
        def f():
            try:
                work()
            finally:
                with contextlib.suppress(Exception):
                    cache.flush()
                m()
        """,
    "after best-effort work under suppress(OSError, BaseException)": """
        def f():
            try:
                work()
            finally:
                with lock, suppress(OSError, BaseException):
                    cache.flush()
                m()
        """,
    "both branches": """
        def f(ok):
            try:
                work()
            finally:
                if ok:
                    m("SUCCESS")
                else:
                    m("ERROR")
        """,
    "computed argument first": """
        def f(start):
            try:
                work()
            finally:
                elapsed = now() - start
                m(elapsed)
        """,
    "return after the update": """
        def f():
            try:
                work()
            finally:
                m()
                return None
        """,
    "attempted inside its own try": """
        def f():
            try:
                work()
            finally:
                try:
                    m()
                except Exception:
                    log()
        """,
    "inside a with block": """
        def f(lock):
            try:
                work()
            finally:
                with lock:
                    m()
        """,
    "while True with break after": """
        def f():
            try:
                work()
            finally:
                while True:
                    m()
                    break
        """,
    "match with a wildcard": """
        def f(state):
            try:
                work()
            finally:
                match state:
                    case "ok":
                        m("SUCCESS")
                    case _:
                        m("ERROR")
        """,
    "as an argument": """
        def f():
            try:
                work()
            finally:
                log(m())
        """,
    "awaited": """
        async def f():
            try:
                await work()
            finally:
                await m()
        """,
}

NOT_ALWAYS_IN_FINALLY = {
    "under an if": """
        def f(ok):
            try:
                work()
            finally:
                if ok:
                    m()
        """,
    "after an early return": """
        def f(skip):
            try:
                work()
            finally:
                if skip:
                    return None
                m()
        """,
    "after an explicit raise": """
        def f(broken):
            try:
                work()
            finally:
                if broken:
                    raise RuntimeError("broken")
                m()
        """,
    "in a loop that may not run": """
        def f(names):
            try:
                work()
            finally:
                for name in names:
                    m(name)
        """,
    "after a handler that returns": """
        def f():
            try:
                work()
            finally:
                try:
                    elapsed = measure()
                except Exception:
                    return None
                m(elapsed)
        """,
    "on the right of and": """
        def f(ok):
            try:
                work()
            finally:
                ok and m()
        """,
    "in a comprehension": """
        def f(names):
            try:
                work()
            finally:
                [m(name) for name in names]
        """,
    "in a nested function only": """
        def f():
            try:
                work()
            finally:
                def later():
                    m()
                register(later)
        """,
    "match without a wildcard": """
        def f(state):
            try:
                work()
            finally:
                match state:
                    case "ok":
                        m("SUCCESS")
                    case "error":
                        m("ERROR")
        """,
    "a narrow suppress lets other errors through": """
        def f():
            try:
                work()
            finally:
                with contextlib.suppress(KeyError):
                    cache.flush()
                m()
        """,
    "suppress around code before it": """
        def f():
            try:
                work()
            finally:
                with contextlib.suppress(Exception):
                    prepare()
                    return None
                m()
        """,
}


@pytest.mark.parametrize("source", ALWAYS_IN_FINALLY.values(), ids=ALWAYS_IN_FINALLY.keys())
def test_the_finally_attempts_the_call_on_every_path(source):
    assert finally_always_runs(source)


@pytest.mark.parametrize("source", NOT_ALWAYS_IN_FINALLY.values(), ids=NOT_ALWAYS_IN_FINALLY.keys())
def test_some_path_through_the_finally_skips_the_call(source):
    assert not finally_always_runs(source)


def test_explicit_raise_counts_as_an_exit_only_when_asked():
    source = NOT_ALWAYS_IN_FINALLY["after an explicit raise"]
    assert not finally_always_runs(source, raise_exits=True)
    assert finally_always_runs(source, raise_exits=False)


def test_failing_assert_is_a_raise_exit():
    source = """
        def f(ok):
            try:
                work()
            finally:
                assert ok
                m()
        """
    assert not finally_always_runs(source, raise_exits=True)
    assert finally_always_runs(source, raise_exits=False)


def test_whole_function_must_run_ignores_raising_paths_when_asked():
    function = parse_function("""
        def update(entry, success):
            if entry is None:
                raise KeyError("unknown plugin")
            entry.count += 1
        """)
    increment = function.body[1]
    flow = ControlFlow.of_function(function)
    assert flow.always_runs([increment], raise_exits=False)
    assert not flow.always_runs([increment], raise_exits=True)


MAY_PRECEDE = {
    "straight line": ("""
        def f(p):
            v(p)
            lookup(p)
        """, True),
    "one branch is enough": ("""
        def f(p, c):
            if c:
                v(p)
            lookup(p)
        """, True),
    "next loop iteration": ("""
        def f(items):
            for item in items:
                lookup(item)
                v(item)
        """, True),
    "after": ("""
        def f(p):
            lookup(p)
            v(p)
        """, False),
    "separate branches": ("""
        def f(p, c):
            if c:
                v(p)
            else:
                lookup(p)
        """, False),
    "validator raising into a returning handler": ("""
        def f(p):
            try:
                v(p)
            except ValueError:
                return None
            finally:
                lookup(p)
        """, True),
    "unreachable validator": ("""
        def f(p):
            return lookup(p)
            v(p)
        """, False),
    "conditional inside its statement": ("""
        def f(p, c):
            ok = c and v(p)
            lookup(p)
        """, False),
}


@pytest.mark.parametrize("source, expected", MAY_PRECEDE.values(), ids=MAY_PRECEDE.keys())
def test_some_path_completes_the_first_and_then_reaches_the_second(source, expected):
    function = parse_function(source)
    flow = ControlFlow.of_function(function)
    first = calls_named(function, "v")[0]
    assert flow.may_precede(first, calls_named(function, "lookup")[0]) is expected


AVOIDING = {
    "a reset on every way round the loop": ("""
        def f(jobs):
            for job in jobs:
                done = False
                lookup(job)
                done = True
        """, False),
    "a reset on one branch only": ("""
        def f(jobs, c):
            for job in jobs:
                if c:
                    done = False
                lookup(job)
                done = True
        """, True),
    "no reset": ("""
        def f(jobs):
            for job in jobs:
                lookup(job)
                done = True
        """, True),
}


@pytest.mark.parametrize("source, expected", AVOIDING.values(), ids=AVOIDING.keys())
def test_a_path_through_an_avoided_statement_does_not_count(source, expected):
    function = parse_function(source)
    flow = ControlFlow.of_function(function)
    assignments = [node for node in ast.walk(function) if isinstance(node, ast.Assign)]
    success = next(node for node in assignments if ast.unparse(node.value) == "True")
    resets = [node for node in assignments if node is not success]
    lookup = calls_named(function, "lookup")[0]
    assert flow.may_precede(success, lookup) is True
    assert flow.may_precede(success, lookup, avoiding=resets) is expected


def test_statement_level_queries():
    function = parse_function("""
        def f(p, strict):
            ok = strict and v(p)
            return lookup(p)
        """)
    flow = ControlFlow.of_function(function)
    validator = calls_named(function, "v")[0]
    assert flow.statement_of(validator) is function.body[0]
    assert not flow.unconditionally_evaluated(validator)
    assert flow.unconditionally_evaluated(calls_named(function, "lookup")[0])
    assert flow.reachable(calls_named(function, "lookup")[0])
    assert flow.statement_of(ast.Name(id="elsewhere")) is None


def test_unreachable_code_is_not_reachable():
    function = parse_function("""
        def f(p):
            while True:
                v(p)
            lookup(p)
        """)
    assert not ControlFlow.of_function(function).reachable(calls_named(function, "lookup")[0])


def test_nodes_outside_the_block_make_no_claim():
    function = parse_function("""
        def f(p):
            lookup(p)
        """)
    other = calls_named(parse_function("def g(p):\n    v(p)\n"), "v")[0]
    flow = ControlFlow.of_function(function)
    assert flow.always_preceded(other, [])
    assert not flow.always_runs([other], raise_exits=False)


def test_finally_copies_are_bounded():
    # Each try copies its finally per way of leaving; tries nested in finally blocks multiply
    # the copies, so deep nesting hits the limit instead of exhausting memory.
    source = "def f():\n"
    depth = 16
    for level in range(depth):
        indent = "    " * (2 * level + 1)
        source += f"{indent}try:\n{indent}    work()\n{indent}finally:\n"
    source += "    " * (2 * depth + 1) + "m()\n"
    function = ast.parse(source).body[0]
    with pytest.raises(FlowTooLarge, match=str(MAX_NODES)):
        ControlFlow.of_function(function)


def test_three_nested_finally_blocks_stay_small():
    function = parse_function('''
        def f():
            try:
                try:
                    try:
                        work()
                    finally:
                        m()
                finally:
                    m()
            finally:
                m()
        ''')
    assert ControlFlow.of_function(function).size < 200


def test_deeply_nested_expressions_do_not_recurse():
    function = parse_function('''
        def f(x):
            y = x
            v(x)
            lookup(y)
        ''')
    expression: ast.expr = ast.Name(id="x", ctx=ast.Load())
    for _ in range(20_000):  # far deeper than the parser or the recursion limit allows
        expression = ast.BinOp(left=expression, op=ast.Add(), right=ast.Name(id="x", ctx=ast.Load()))
    function.body[0].value = expression
    flow = ControlFlow.of_function(function)
    assert flow.always_preceded(calls_named(function, "lookup")[0], calls_named(function, "v"))


# -- same-file helpers ---------------------------------------------------------------------------

HELPERS = '''
def module_validate(p):
    v(p)

def sometimes(p, strict):
    if strict:
        v(p)

def through_another(p):
    module_validate(p)

class Runner:
    def _validate(self, p):
        if p is None:
            raise ValueError("empty")
        return v(p)

    def _maybe(self, p):
        return p and v(p)

    def _chain(self, p):
        self._validate(p)

    def run(self, p):
        self._validate(p)
'''


def test_helpers_that_call_the_target_on_every_normal_path():
    tree = ast.parse(HELPERS)
    runner = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    helpers = LocalFunctions(tree, runner)
    found = helpers.always_calling(
        lambda call: isinstance(call.func, ast.Name) and call.func.id == "v")
    assert sorted(helper.name for helper in found) == [
        "_chain", "_validate", "module_validate", "run", "through_another"]


def test_helper_resolution_is_by_self_or_module_name():
    tree = ast.parse(HELPERS + "\n\ndef outside():\n    other.module_validate(1)\n")
    runner = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    helpers = LocalFunctions(tree, runner)
    run = next(node for node in runner.body if node.name == "run")
    call = run.body[0].value
    assert helpers.resolve(call).name == "_validate"
    outside = tree.body[-1].body[0].value
    assert helpers.resolve(outside) is None
    assert LocalFunctions(tree, None).resolve(call) is None


# -- robustness: any function of real code builds and answers -----------------------------------

def stdlib_functions(limit_modules: int = 25):
    root = Path(ast.__file__).parent
    modules = sorted(root.glob("*.py"))[:limit_modules]
    for module in modules:
        try:
            tree = ast.parse(module.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node


def test_every_stdlib_function_builds_and_the_first_statement_precedes_the_rest():
    checked = 0
    for function in stdlib_functions():
        flow = ControlFlow.of_function(function)
        first = function.body[0]
        simple = not isinstance(first, (ast.Return, ast.Raise, ast.Assert, ast.If, ast.For,
                                        ast.AsyncFor, ast.While, ast.With, ast.AsyncWith,
                                        ast.Try, ast.Match, ast.Break, ast.Continue)) \
            and not (sys.version_info >= (3, 11) and isinstance(first, ast.TryStar))
        for statement in function.body[1:]:
            if simple and flow.reachable(statement):
                assert flow.always_preceded(statement, [first]), (function.name, statement.lineno)
                checked += 1
        assert flow.always_runs([first], raise_exits=True) or not simple
    assert checked > 1000


# -- the flow-based rules on real code: every function of the stdlib as a runner method ----------

def test_the_section_2_3_5_checks_never_raise_on_stdlib_functions():
    """Each stdlib function is checked as if it were the runner method (everything with a
    `.get(`/`.write(` is an execution, every call a lookup, common calls stand for the
    validators and the metrics update) and every module as the registry: no exception."""
    from flake8_phase12.analysis.context import FileContext
    from flake8_phase12.config import config_from_mapping
    from flake8_phase12.rules.input_validation import InputValidationCheck
    from flake8_phase12.rules.metrics import MetricsUpdateCheck
    from flake8_phase12.rules.output_validation import OutputValidationCheck
    from flake8_phase12.rules.registry_metrics import RegistryMetricsCheck

    config = config_from_mapping({
        "execution_methods": ["get", "write", "run"],
        "plugin_receivers": ["*", "*()", "*[]"],
        "validation": {"input_validator": "isinstance", "output_validator": "len"},
        "envelope": {"function": "format"},
        "metrics": {"function": "close", "registry_module": "*", "success_field": "count",
                    "error_field": "errors", "fields": ["state", "name"]},
    })
    runner_checks = (InputValidationCheck(), OutputValidationCheck(), MetricsUpdateCheck())
    findings = 0
    root = Path(ast.__file__).parent
    for module in sorted(root.glob("*.py"))[:15]:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        ctx = FileContext(tree=tree, path=str(module), config=config)
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for check in runner_checks:
                    try:
                        findings += sum(1 for _ in check.check_function(ctx, function))
                    except FlowTooLarge:
                        pass
        findings += sum(1 for _ in RegistryMetricsCheck().run(ctx))
    assert findings > 100


def generated_modules():
    """Valid Python from the grammar (built on first use: the grammar takes seconds to load)."""
    import hypothesmith

    return hypothesmith.from_grammar()


def as_method(name: str, body: list[ast.stmt], class_name: str) -> ast.ClassDef:
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg("self"), ast.arg("plugin_name"),
                                                    ast.arg("payload")],
                              kwonlyargs=[], kw_defaults=[], defaults=[])
    method = ast.FunctionDef(name=name, args=arguments, body=body or [ast.Pass()],
                             decorator_list=[], returns=None, type_params=[])
    return ast.ClassDef(name=class_name, bases=[], keywords=[], body=[method],
                        decorator_list=[], type_params=[])


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.deferred(generated_modules))
def test_generated_code_never_breaks_the_flow_or_the_section_2_3_5_checks(source):
    from flake8_phase12.config import config_from_mapping
    from flake8_phase12.lint_file import check_file
    from flake8_phase12.rules.input_validation import InputValidationCheck
    from flake8_phase12.rules.metrics import MetricsUpdateCheck
    from flake8_phase12.rules.output_validation import OutputValidationCheck
    from flake8_phase12.rules.registry_metrics import RegistryMetricsCheck

    body = ast.parse(source).body
    for function in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            try:
                flow = ControlFlow.of_function(function)
            except FlowTooLarge:
                continue
            calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
            for call in calls[:5]:
                flow.always_preceded(call, calls[:2])
                flow.may_precede(calls[0], call)
            flow.always_runs(calls, raise_exits=True)
    root = Path("/phase12-generated")
    config = config_from_mapping({"runner": {"module": "*"}, "metrics": {"registry_module": "*"}},
                                 project_root=root)
    checks = (InputValidationCheck(), OutputValidationCheck(), MetricsUpdateCheck(),
              RegistryMetricsCheck())
    tree = ast.fix_missing_locations(ast.Module(body=[
        as_method("run", body, "ToolRunner"),
        as_method("update_execution_metrics", body, "PluginRegistry"),
    ], type_ignores=[]))
    found = check_file(tree, str(root / "server/app/tool_runner.py"), config, "", checks=checks)
    assert not [finding.message for finding in found if finding.code == "GOV000"]
