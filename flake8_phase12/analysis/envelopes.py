"""Recognising the structured error envelope in the runner's code (checklist section 4).

An expression is the envelope when it is a call of the envelope function (`envelope.function`,
awaited or not, through any module or object), a local assigned from one, a same-file helper
whose every `return` is one, or a value that carries one as it is:

- a tuple holding it (`return None, envelope`), a dict that unpacks it (`{**envelope, ...}`),
  `envelope | {...}`, and a conditional expression whose both branches are envelopes;
- its serialised form: `failure.model_dump()`, `.dict()`, `.to_dict()`, `.as_dict()`,
  `._asdict()` of an envelope object (a pydantic or dataclass envelope);
- a result record built with it (`Outcome(value=None, failure=envelope)`): a call of a class,
  by its CamelCase name, one of whose arguments is the envelope.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_phase12.analysis.flow import LocalFunctions
from flake8_phase12.analysis.local import walk_local
from flake8_phase12.analysis.names import last_name
from flake8_phase12.analysis.runner import is_call_to

# Methods that turn an envelope object into the plain data the callers receive.
SERIALISING_METHODS = frozenset({"model_dump", "dict", "to_dict", "as_dict", "_asdict"})


class EnvelopeValues:
    """Decides whether an expression is the structured error envelope: a call of the envelope
    function, a local assigned from one, or a same-file helper that returns one."""

    MAX_DEPTH = 3

    def __init__(self, envelope: str, functions: LocalFunctions) -> None:
        self.envelope = envelope
        self.functions = functions
        self._helpers: dict[ast.AST, bool] = {}

    def is_envelope(self, expression: ast.AST | None, local_envelopes: frozenset[str],
                    depth: int = 0) -> bool:
        if isinstance(expression, ast.Await):
            expression = expression.value
        if isinstance(expression, ast.Call):
            return is_call_to(expression, self.envelope) \
                or self._is_envelope_helper(expression, depth) \
                or self._serialises(expression, local_envelopes, depth) \
                or self._carries(expression, local_envelopes, depth)
        if isinstance(expression, ast.Name):
            return expression.id in local_envelopes
        if isinstance(expression, ast.Tuple):
            return any(self.is_envelope(item, local_envelopes, depth) for item in expression.elts)
        if isinstance(expression, ast.Dict):
            return any(key is None and self.is_envelope(value, local_envelopes, depth)
                       for key, value in zip(expression.keys, expression.values))
        if isinstance(expression, ast.IfExp):
            return self.is_envelope(expression.body, local_envelopes, depth) \
                and self.is_envelope(expression.orelse, local_envelopes, depth)
        if isinstance(expression, ast.BinOp) and isinstance(expression.op, ast.BitOr):
            return self.is_envelope(expression.left, local_envelopes, depth)  # `envelope | {...}`
        return False

    def _serialises(self, call: ast.Call, local_envelopes: frozenset[str], depth: int) -> bool:
        """`failure.model_dump()`: the envelope object as plain data."""
        func = call.func
        return isinstance(func, ast.Attribute) and func.attr in SERIALISING_METHODS \
            and self.is_envelope(func.value, local_envelopes, depth)

    def _carries(self, call: ast.Call, local_envelopes: frozenset[str], depth: int) -> bool:
        """`Outcome(value=None, failure=envelope)`: a result record built with the envelope."""
        name = last_name(call.func)
        if not name or not name[:1].isupper() or name.isupper():
            return False
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        return any(self.is_envelope(argument, local_envelopes, depth) for argument in arguments)

    def locals_in(self, root: ast.AST, depth: int = 0) -> frozenset[str]:
        """Names assigned from an envelope value below `root` (aliases of aliases too)."""
        bindings = list(name_bindings(root))
        found: set[str] = set()
        for _ in range(2):
            found.update(name for name, value in bindings
                         if self.is_envelope(value, frozenset(found), depth))
        return frozenset(found)

    def _is_envelope_helper(self, call: ast.Call, depth: int) -> bool:
        helper = self.functions.resolve(call)
        if helper is None or depth >= self.MAX_DEPTH:
            return False
        if helper not in self._helpers:
            self._helpers[helper] = False  # a recursive helper does not prove itself
            returned = [node.value for node in walk_local(helper) if isinstance(node, ast.Return)]
            local_envelopes = self.locals_in(helper, depth + 1)
            self._helpers[helper] = bool(returned) and all(
                self.is_envelope(value, local_envelopes, depth + 1) for value in returned)
        return self._helpers[helper]

    def builds_in(self, root: ast.AST) -> bool:
        """Whether code below `root` builds the envelope (calls the function or a helper)."""
        return any(isinstance(node, ast.Call) and (is_call_to(node, self.envelope)
                                                   or self._is_envelope_helper(node, 0))
                   for node in walk_local(root))


def name_bindings(root: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """(name, value) for each `name = value`, `name: T = value`, `(name := value)` below `root`."""
    for node in walk_local(root):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id, node.value
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            yield node.target.id, node.value
