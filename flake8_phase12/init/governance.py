"""What the runner calls around the execution: the input and output validators, the error
envelope builder and the metrics update, found by where the calls sit:

- input validator: called before the execution, on a value the execution receives;
- output validator: called after the execution, on what it returned (or wrapping it);
- envelope builder: called in the broad `except` handler, on the exception or returned there;
- metrics update: called in the `finally` of that `try`.

When the runner does not show one, a project-wide search by name (`validate*input*`,
`*envelope*`, `*metrics*`) proposes a low-confidence candidate.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from flake8_phase12.analysis.globs import glob_match
from flake8_phase12.analysis.names import dotted_name, last_name
from flake8_phase12.analysis.runner import called_name
from flake8_phase12.init.execution import ExecutionSite, RunnerCandidate, is_broad_handler
from flake8_phase12.init.inference import FunctionNode, Types
from flake8_phase12.init.project import Project, SourceModule

# Calls that are never a governance step: timing, logging, builtins.
IGNORED_CALLS = ("print", "len", "isinstance", "issubclass", "type", "str", "repr", "dict", "list",
                 "tuple", "set", "int", "float", "bool", "round", "min", "max", "sorted", "getattr",
                 "hasattr", "setattr", "super", "id", "next", "iter", "format", "callable",
                 "time.*", "*.perf_counter", "*.monotonic", "*.time", "*.now", "*.utcnow",
                 "log.*", "logger.*", "logging.*", "*._log.*", "*._logger.*", "*.log.*", "*.logger.*",
                 "*.debug", "*.info", "*.warning", "*.error", "*.exception", "*.critical",
                 "warnings.*", "traceback.*", "*.append", "*.extend", "*.get", "*.items",
                 "*.keys", "*.values", "*.copy", "*.update", "*.pop", "*.setdefault", "*.format",
                 "*.join", "*.split", "*.strip", "*.encode", "*.decode", "*.acquire", "*.release")
VALIDATION_WORDS = ("valid", "check", "verify", "sanit", "ensure", "assert", "guard", "schema",
                    "parse", "clean", "normali")
ENVELOPE_WORDS = ("envelope", "error", "failure", "fault", "problem", "exception", "wrap")
METRICS_WORDS = ("metric", "record", "stat", "usage", "track", "count", "telemetry", "observe",
                 "update", "report", "measure")
INPUT_NAME_PATTERNS = ("validate*input*", "validate*payload*", "validate*request*", "check*input*",
                       "check*payload*", "check*request*")
OUTPUT_NAME_PATTERNS = ("validate*output*", "validate*result*", "validate*response*",
                        "check*output*", "check*result*")
ENVELOPE_NAME_PATTERNS = ("*envelope*",)
METRICS_NAME_PATTERNS = ("*metrics*",)
EXCEPTION_BASES = ("BaseException", "Exception", "ValueError", "TypeError", "LookupError", "KeyError",
                   "RuntimeError")
# Predicates and private helpers are never the governance function itself.
PREDICATE_PREFIXES = ("is_", "has_", "_")


@dataclass(frozen=True)
class Found:
    """A governance function: the name the runner calls it by, and where it is defined."""

    name: str
    call_location: str
    definition: SourceModule | None
    definition_location: str
    confidence: str
    reason: str
    owner_class: str = ""


@dataclass
class Governance:
    """The validation, envelope and metrics functions found around the runner."""
    input_validator: Found | None = None
    output_validator: Found | None = None
    envelope: Found | None = None
    metrics: Found | None = None


def find_governance(project: Project, types: Types, runner: RunnerCandidate,
                    twins: tuple[RunnerCandidate, ...] = ()) -> Governance:
    """What the runner calls around its execution; what it does not show, its twins may (a
    thin sync `run` handing the work to a thread, beside the async `run_async` that governs)."""
    found = _around(project, types, runner)
    for twin in twins:
        more = _around(project, types, twin)
        for role in ("input_validator", "output_validator", "envelope", "metrics"):
            if getattr(found, role) is None:
                setattr(found, role, getattr(more, role))
    found.input_validator = found.input_validator or _by_name(project, INPUT_NAME_PATTERNS, "input validator")
    found.output_validator = found.output_validator or _by_name(project, OUTPUT_NAME_PATTERNS,
                                                                "output validator")
    found.envelope = found.envelope or _by_name(project, ENVELOPE_NAME_PATTERNS, "error envelope builder")
    found.metrics = found.metrics or _by_name(project, METRICS_NAME_PATTERNS, "metrics update")
    return found


def _around(project: Project, types: Types, runner: RunnerCandidate) -> Governance:
    site = runner.primary_site
    module, function = runner.module, runner.function
    calls = [node for node in _walk(function) if isinstance(node, ast.Call)
             and node is not site.node and called_name(node) and not _ignored(node)]
    return Governance(
        input_validator=_input_validator(project, types, module, function, site, calls),
        output_validator=_output_validator(project, types, module, function, site, calls),
        envelope=_envelope(project, types, module, site),
        metrics=_metrics(project, types, module, site),
    )


def _input_validator(project, types, module, function, site: ExecutionSite, calls) -> Found | None:
    inputs = _names_in(_arguments(site.node)) - {"self"}
    before = [call for call in calls if _position(call) < _position(site.node)
              and not _contains(call, site.node) and not _on_the_plugin(call, site)
              and not _gives_the_plugin(module, call, site)
              and not _builds_an_exception(types, module, call)]
    scored = []
    for call in before:
        # On what the plugin receives, or giving it: `doc = vet(request)` then `p.run(doc)`.
        takes_input = bool((_names_in(list(_arguments(call))) | _assigned(module, call)) & inputs)
        named = _has_word(call, VALIDATION_WORDS)
        if takes_input or named:
            scored.append((2 * takes_input + named, -_position(call)[0], call, takes_input, named))
    if not scored:
        return None
    _, _, call, takes_input, named = max(scored, key=lambda item: item[:2])
    reason = _reason("called before the execution", takes_input and "on or giving what the plugin receives",
                     named and "named like a validator")
    return _found(project, types, module, function, call, "high" if takes_input and named else "medium",
                  reason)


def _output_validator(project, types, module, function, site: ExecutionSite, calls) -> Found | None:
    outputs = _result_names(module, site)
    after = [call for call in calls if (_position(call) > _position(site.node)
                                        or _contains(call, site.node))
             and not _builds_an_exception(types, module, call)]
    scored = []
    for call in after:
        wraps = _contains(call, site.node)
        takes_output = wraps or bool(_names_in(list(_arguments(call))) & outputs)
        named = _has_word(call, VALIDATION_WORDS)
        if takes_output and (named or not _has_word(call, ENVELOPE_WORDS + METRICS_WORDS)):
            scored.append((named, -_position(call)[0], call, named))
    if not scored:
        return None
    _, _, call, named = max(scored, key=lambda item: item[:2])
    reason = _reason("called on what the execution returned", named and "named like a validator")
    return _found(project, types, module, function, call, "high" if named else "medium", reason)


def _envelope(project, types, module, site: ExecutionSite) -> Found | None:
    """The call in an `except` handler of the try around the execution that is returned or
    given the exception; a broad handler's first."""
    guard = site.guard or _enclosing_try(module, site.node, site.function)
    if guard is None:
        return None
    scored = []
    for handler in guard.handlers:
        broad = is_broad_handler(handler)
        for node in _walk_block(handler.body):
            if not isinstance(node, ast.Call) or not called_name(node) or _ignored(node):
                continue
            returned = isinstance(module.parents.get(node), (ast.Return, ast.Assign))
            takes_exception = handler.name is not None and handler.name in _names_in(list(_arguments(node)))
            named = _has_word(node, ENVELOPE_WORDS)
            if takes_exception or returned:
                scored.append((2 * broad + takes_exception + returned + named, node, named, broad))
    if not scored:
        return None
    _, call, named, broad = max(scored, key=lambda item: item[0])
    where = "called in the broad `except` handler" if broad else \
        "called in an `except` handler (a narrow one: the runner should catch `Exception`)"
    return _found(project, types, module, site.function, call, "high" if named and broad else "medium",
                  _reason(where, named and "named like an envelope"))


def _metrics(project, types, module, site: ExecutionSite) -> Found | None:
    """The call in the `finally` of the try around the execution (a metrics-like name
    preferred), or the context manager around it (`async with catalog.track(name) as run:`);
    else a call named like a metrics update anywhere in the runner."""
    manager = _context_manager_around(module, site)
    if manager is not None:
        named = _has_word(manager, METRICS_WORDS)
        return _found(project, types, module, site.function, manager, "high" if named else "medium",
                      _reason("a context manager around the execution (it records every outcome on "
                              "exit, as a `finally` does)", named and "named like a metrics update"))
    guard = site.guard or _enclosing_try(module, site.node, site.function)
    if guard is not None and guard.finalbody:
        calls = [node for node in _walk_block(guard.finalbody)
                 if isinstance(node, ast.Call) and called_name(node) and not _ignored(node)]
        if calls:
            call = max(calls, key=lambda node: (_has_word(node, METRICS_WORDS), len(_arguments_list(node))))
            named = _has_word(call, METRICS_WORDS)
            return _found(project, types, module, site.function, call, "high" if named else "medium",
                          _reason("called in the `finally` of the try around the execution",
                                  named and "named like a metrics update"))
    named_calls = [node for node in _walk(site.function) if isinstance(node, ast.Call)
                   and called_name(node) and not _ignored(node) and _has_word(node, METRICS_WORDS)
                   and node is not site.node]
    if not named_calls:
        return None
    first = min(named_calls, key=_position)
    return _found(project, types, module, site.function, first, "medium",
                  "named like a metrics update, but not called in a `finally` (it should be)")


def _context_manager_around(module: SourceModule, site: ExecutionSite) -> ast.Call | None:
    """The call of a `with`/`async with` that holds the execution and binds what it yields."""
    current = module.parents.get(site.node)
    while current is not None and current is not site.function:
        if isinstance(current, (ast.With, ast.AsyncWith)):
            for item in current.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and called_name(call) and not _ignored(call) \
                        and item.optional_vars is not None and last_name(call.func) != "suppress":
                    return call
        current = module.parents.get(current)
    return None


def _builds_an_exception(types: Types, module: SourceModule, call: ast.Call) -> bool:
    """`Refused(payload)`: an exception object is raised, it validates nothing itself."""
    info = types.class_named(module, call.func)
    return info is not None and bool(types.model.derives_from(info.ref, EXCEPTION_BASES))


def _on_the_plugin(call: ast.Call, site: ExecutionSite) -> bool:
    """A method of the plugin object itself (`plugin.effective_settings(...)`): the plugin's."""
    return isinstance(call.func, ast.Attribute) and ast.dump(call.func.value) == ast.dump(site.receiver)


def _gives_the_plugin(module: SourceModule, call: ast.Call, site: ExecutionSite) -> bool:
    """The lookup (`stage = depot.pick(key)`): it gives the plugin, it validates nothing."""
    return isinstance(site.receiver, ast.Name) and site.receiver.id in _assigned(module, call)


def _assigned(module: SourceModule, call: ast.AST) -> set[str]:
    """Names bound to the call's result: `doc = vet(request)`, `doc = await vet(request)`."""
    node: ast.AST = call
    parent = module.parents.get(node)
    while isinstance(parent, ast.Await):
        node, parent = parent, module.parents.get(parent)
    if isinstance(parent, ast.Assign):
        return {target.id for target in parent.targets if isinstance(target, ast.Name)}
    if isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and isinstance(parent.target, ast.Name):
        return {parent.target.id}
    return set()


def _enclosing_try(module: SourceModule, node: ast.AST, stop: ast.AST) -> ast.Try | None:
    child, current = node, module.parents.get(node)
    while current is not None and current is not stop:
        if isinstance(current, ast.Try) and child in current.body:
            return current
        child, current = current, module.parents.get(current)
    return None


def _found(project: Project, types: Types, module: SourceModule, function: FunctionNode,
           call: ast.Call, confidence: str, reason: str) -> Found:
    name = called_name(call) or ""
    definition, location, owner = _definition(project, types, module, function, call)
    return Found(name, module.location(call), definition, location, confidence, reason, owner)


def _definition(project: Project, types: Types, module: SourceModule, function: FunctionNode,
                call: ast.Call) -> tuple[SourceModule | None, str, str]:
    """Where the called function is defined: through the imports, the receiver's class, or
    else the one project definition of that name."""
    symbol = project.resolve_expression(module, call.func)
    if symbol is not None and symbol.node is not None:
        return symbol.module, symbol.module.location(symbol.node), ""
    if isinstance(call.func, ast.Attribute):
        owner = None
        for info in types.classes:
            if info.module is module and function in info.methods.values():
                owner = info
        receiver = types.infer(call.func.value, module, function, owner)
        if receiver is not None and receiver.is_instance and receiver.cls is not None:
            method = receiver.cls.methods.get(call.func.attr)
            if method is not None:
                return receiver.cls.module, receiver.cls.module.location(method), receiver.cls.name
    definitions = list(_definitions_named(project, types, called_name(call) or ""))
    if len(definitions) == 1:
        return definitions[0][0], definitions[0][0].location(definitions[0][1]), definitions[0][2]
    return None, "", ""


def _by_name(project: Project, patterns: tuple[str, ...], role: str) -> Found | None:
    """The project function whose name matches `patterns`, when there is exactly one name."""
    matches: dict[str, tuple[SourceModule, ast.AST]] = {}
    for module in project.modules.values():
        for node in module.functions:
            if not node.name.startswith(PREDICATE_PREFIXES) \
                    and any(glob_match(pattern, node.name.lower()) for pattern in patterns):
                matches.setdefault(node.name, (module, node))
    if len(matches) != 1:
        return None
    name, (module, node) = next(iter(matches.items()))
    return Found(name, "", module, module.location(node), "low",
                 f"found by its name only: the runner does not call a {role}")


def _definitions_named(project: Project, types: Types, name: str):
    for info in types.classes:
        if name in info.methods:
            yield info.module, info.methods[name], info.name
    for module in project.modules.values():
        node = module.definitions.get(name)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield module, node, ""


def _result_names(module: SourceModule, site: ExecutionSite) -> set[str]:
    """Names bound to what the execution returned: `raw = plugin.run(x)`, `raw = await ...`."""
    return _assigned(module, site.node)


def _reason(*parts) -> str:
    return ", ".join(part for part in parts if part)


def _ignored(call: ast.Call) -> bool:
    name = dotted_name(call.func) or called_name(call) or ""
    return any(glob_match(pattern, name) for pattern in IGNORED_CALLS)


def _has_word(call: ast.Call, words: tuple[str, ...]) -> bool:
    name = (called_name(call) or "").lower()
    return any(word in name for word in words)


def _arguments_list(call: ast.AST) -> list[ast.AST]:
    if not isinstance(call, ast.Call):
        return []
    return [*call.args, *(keyword.value for keyword in call.keywords)]


def _arguments(call: ast.AST) -> Iterator[ast.AST]:
    yield from _arguments_list(call)


def _names_in(nodes) -> set[str]:
    return {node.id for root in nodes for node in ast.walk(root) if isinstance(node, ast.Name)}


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return outer is not inner and any(node is inner for node in ast.walk(outer))


def _walk(function: FunctionNode) -> Iterator[ast.AST]:
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _walk_block(statements: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a block (a handler's or a `finally`'s), nested definitions not entered."""
    stack: list[ast.AST] = list(reversed(statements))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
