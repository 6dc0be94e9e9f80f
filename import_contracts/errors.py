"""Configuration errors raised by our contracts."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from importlinter import Contract, fields

from ._importlinter_compat import InvalidContractOptions

# Options every contract has; import-linter reads them itself.
_COMMON_OPTIONS = frozenset({"id", "name", "type"})


class ContractOptionsError(InvalidContractOptions):
    """An ``InvalidContractOptions`` that also reads well when printed.

    import-linter renders ``InvalidContractOptions`` raised while a contract is *constructed*
    field by field. Problems that can only be seen once the graph exists (a layer module that is
    not in the graph, say) are raised from ``check()``, and there import-linter prints just
    ``str(exception)``; upstream's class would print a raw dict, so ``__str__`` renders the same
    ``Contract "...": field: message`` text instead.
    """

    def __init__(self, errors: Mapping[str, str], contract_name: str | None = None) -> None:
        super().__init__(dict(errors))
        self.contract_name = contract_name

    def __str__(self) -> str:
        heading = (
            f'Contract "{self.contract_name}" is not configured correctly:'
            if self.contract_name
            else "Contract is not configured correctly:"
        )
        lines = [heading]
        lines.extend(f"    {field}: {message}" for field, message in self.errors.items())
        return "\n".join(lines)


def unrecognised_option_errors(contract: Contract) -> dict[str, str]:
    """An error per option that is not a field of the contract, with a "Did you mean" hint.

    import-linter 2.16 does this itself before ``validate()``; 2.15 (the last release for
    Python 3.10) silently ignores a misspelt optional field, so our contracts check too.
    """
    known = _COMMON_OPTIONS | {
        name for name in dir(type(contract)) if isinstance(getattr(type(contract), name), fields.Field)
    }
    errors = {}
    for option in sorted(set(contract.contract_options) - known):
        message = "Unrecognized option."
        close = difflib.get_close_matches(option, sorted(known), n=1)
        if close:
            message += f" Did you mean '{close[0]}'?"
        errors[option] = message
    return errors
