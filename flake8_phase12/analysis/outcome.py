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
