"""`phase12 init`: find the roles of an existing codebase statically and propose its configuration.

`discover(root)` parses the codebase (never imports it) and finds the plugin base class, the
execution method, the runner, its validators, envelope and metrics calls, the service chain
from the routes down to the runner, and the registry module. `build_proposal` turns that into
the `[tool.phase12]` keys that differ from the defaults and the import-linter contracts;
`write_proposal` adds them to `pyproject.toml` / `setup.cfg` without losing existing content.
"""

from flake8_phase12.init.discovery import Discovery, Role, discover
from flake8_phase12.init.proposal import Proposal, build_proposal
from flake8_phase12.init.writing import WriteRefused, WriteResult, write_proposal

__all__ = ["Discovery", "Proposal", "Role", "WriteRefused", "WriteResult", "build_proposal",
           "discover", "write_proposal"]
