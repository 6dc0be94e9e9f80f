"""`python -m flake8_phase12.audit.project_contracts`: the import contracts of a project whose
contract types the project defines itself, checked in a process of their own.

`contract_types = ["custom: project_contracts.Custom"]` names code of the analysed project, which
`lint-imports` imports from its working directory. The audit never imports the analysed project
into its own process (nor into `pytest --phase12`'s), so `audit.contracts.run_contracts` starts
this child in the project root: with the root and `src/` first on `sys.path`, as `lint-imports`
runs, it checks every contract exactly as `audit.contracts.check_contracts` does in process. It
reads its inputs pickled on stdin and writes the outcome as JSON on stdout; what the project's
code prints goes to stderr.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path

from flake8_phase12.audit.contracts import (
    ContractsConfigError,
    ContractsOutcome,
    check_contracts,
    read_contracts_config,
)


def main() -> int:
    root, config, known_broken = pickle.loads(sys.stdin.buffer.read())
    project_root = Path(root)
    sys.path[:0] = [root, str(project_root / "src")]
    outcome_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stdout is the outcome's alone
    try:
        contracts_config = read_contracts_config(project_root)
        outcome = (check_contracts(contracts_config, project_root, config,
                                   frozenset(Path(path) for path in known_broken))
                   if contracts_config is not None else ContractsOutcome())
    except ContractsConfigError as exc:
        outcome = ContractsOutcome(errors=(str(exc),))
    with outcome_stream:
        json.dump(outcome.to_json(), outcome_stream)
    return 0


if __name__ == "__main__":
    sys.exit(main())
