"""What a value says about an execution's outcome: success, failure, or nothing we can tell.

The checklist's success flag travels under many names: `success=success`, `ok=succeeded`,
`outcome=RunOutcome.SUCCEEDED`, `run.succeeded()`, `entry.mark_failed()`. The rules of section 5
ask, of a constant, an enum member, a parameter or a method, which outcome it stands for.

Facts come first: `True`/`False` passed for a flag, a state written together with the success
counter. Where the code offers no fact, the words of a name decide (`ok`, `succeeded`,
`SUCCESS`, `mark_failed`): the author's own declaration of what the value means. A name with
no such word (`flag`, `HEALTHY`), or with both kinds or a negation (`not_ok`), is unknown, and
the rules stay silent about it, as they do about a name that counts or measures
(`success_count`, `error_rate`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.names import annotation_names
from flake8_phase12.records import Record

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

SUCCESS = "success"
FAILURE = "failure"

SUCCESS_WORDS = frozenset({"ok", "okay", "success", "successes", "succeeded", "successful",
                           "succeed", "succeeds", "passed"})
FAILURE_WORDS = frozenset({"fail", "failed", "fails", "failure", "failures", "error", "errors",
                           "errored", "crashed", "broken"})
NEGATIONS = frozenset({"not", "no", "non", "un"})
# A name with one of these counts or measures something (`success_count`, `error_rate`).
QUANTITIES = frozenset({"count", "counts", "total", "totals", "number", "num", "rate", "ratio",
                        "ms", "seconds", "time", "times", "duration"})


def words(name: str) -> list[str]:
    """`mark_failed` -> [mark, failed]; `wasSuccessful` -> [was, successful]; `SUCCEEDED` ->
    [succeeded]; `HTTPError` -> [http, error]. Written out rather than a regular expression:
    compiling one costs more at start-up than every call of this."""
    found: list[str] = []
    for part in name.split("_"):
        start = 0
        for index in range(1, len(part)):
            current, previous = part[index], part[index - 1]
            following = part[index + 1] if index + 1 < len(part) else ""
            if current.isupper() and (previous.islower() or previous.isdigit()
                                      or (previous.isupper() and following.islower())):
                found.append(part[start:index])
                start = index
        if part[start:]:
            found.append(part[start:])
    return [word.lower() for word in found if word]


def name_polarity(name: str | None) -> str | None:
    """SUCCESS or FAILURE for a name that says which outcome it stands for, else None."""
    if not name:
        return None
    found = set(words(name))
    if found & (NEGATIONS | QUANTITIES):
        return None
    success, failure = bool(found & SUCCESS_WORDS), bool(found & FAILURE_WORDS)
    if success == failure:
        return None
    return SUCCESS if success else FAILURE


def counter_polarity(name: str) -> str | None:
    """The outcome a counter's name says it counts: `ok_count`, `failed_runs`, `errors`."""
    return name_polarity("_".join(word for word in words(name) if word not in QUANTITIES))


def opposite(polarity: str) -> str:
    return FAILURE if polarity == SUCCESS else SUCCESS


def is_member_literal(node: ast.AST) -> bool:
    """`RunOutcome.SUCCEEDED`, `states.PluginState.ERROR`: an upper-case attribute of a
    capitalised name, the way enum members are written."""
    if not isinstance(node, ast.Attribute) or not _constant_like(node.attr):
        return False
    owner = node.value
    owner_name = owner.attr if isinstance(owner, ast.Attribute) else \
        owner.id if isinstance(owner, ast.Name) else ""
    return bool(owner_name) and owner_name[0].isupper()


def member_of(node: ast.AST) -> ast.Attribute | None:
    """The enum member an expression names: `X.NAME`, or `X.NAME.value` / `X.NAME.name`."""
    if isinstance(node, ast.Attribute) and node.attr in ("value", "name") \
            and is_member_literal(node.value):
        return node.value  # type: ignore[return-value]
    return node if is_member_literal(node) else None


def literal_polarity(node: ast.AST) -> str | None:
    """The outcome a literal stands for: `RunOutcome.FAILED` -> FAILURE. (A bare `True` says
    nothing by itself: its meaning is the name of what it is passed to.)"""
    member = member_of(node)
    return name_polarity(member.attr) if member is not None else None


def bool_constant(node: ast.AST) -> bool | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    return None


def _constant_like(text: str) -> bool:
    return bool(text) and text[0].isupper() and text.upper() == text


# -- which parameters carry the outcome --------------------------------------------------------

class OutcomeParameter(Record):
    """A parameter that carries the outcome."""
    name: str
    kind: str  # "flag" (a truth value) or "member" (an enum member)
    polarity: str  # for a flag: what True means


def parameters(function: FunctionNode) -> list[ast.arg]:
    arguments = function.args
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]


def outcome_parameters(function: FunctionNode, strict: bool = False
                       ) -> dict[str, OutcomeParameter]:
    """The parameters of `function` that carry the outcome (see the module docstring).
    `strict`: a parameter known by its name only must also be annotated `bool`, or be tested
    or passed on (`def fail(self, error)` holding an exception is not an outcome)."""
    names = {arg.arg: arg for arg in parameters(function)}
    names.pop("self", None)
    names.pop("cls", None)
    compared: set[str] = set()
    for node in _local_walk(function):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 \
                and isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq)):
            for side, other in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(side, ast.Name) and side.id in names and literal_polarity(other):
                    compared.add(side.id)
        elif isinstance(node, ast.Match) and isinstance(node.subject, ast.Name) \
                and node.subject.id in names \
                and any(isinstance(case.pattern, ast.MatchValue)
                        and literal_polarity(case.pattern.value) for case in node.cases):
            compared.add(node.subject.id)
    found: dict[str, OutcomeParameter] = {}
    for name, arg in names.items():
        if name in compared:
            found[name] = OutcomeParameter(name, "member", SUCCESS)
            continue
        polarity = name_polarity(name)
        annotated = arg.annotation is not None and annotation_names(arg.annotation) == {"bool"}
        if polarity is not None and (arg.annotation is None or annotated) \
                and (not strict or annotated or name in _consulted(function)):
            found[name] = OutcomeParameter(name, "flag", polarity)
    return found


def _consulted(function: FunctionNode) -> set[str]:
    """Names `function` uses as a truth value: `if ok`, `x if ok else y`, `not ok`,
    `ok and ...` (not `error is None`, not `log(error)`)."""
    found: set[str] = set()
    for node in _local_walk(function):
        tests: list[ast.AST] = []
        if isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)):
            tests.append(node.test)
        elif isinstance(node, ast.BoolOp):
            tests.extend(node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            tests.append(node.operand)
        found.update(test.id for test in tests if isinstance(test, ast.Name))
    return found


def _local_walk(function: FunctionNode) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
