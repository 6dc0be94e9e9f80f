"""The report of `phase12 init`: the roles found, the proposal, and what to do next."""

from __future__ import annotations

import textwrap
from typing import Any

import tomlkit

from flake8_phase12.init.discovery import Discovery
from flake8_phase12.init.proposal import ImportLinterProposal, Proposal
from flake8_phase12.init.writing import PYPROJECT, WriteResult, as_toml_table, update_ini

# How to configure each essential role by hand when it could not be found.
BY_HAND = {
    "execution method": "set `execution_methods = [\"<method>\"]` in [tool.phase12] (the plugin "
                        "method that executes a plugin, e.g. run_tool)",
    "runner": "set [tool.phase12.runner] `module`, `class` and `method` (or `function` for a "
              "plain-function runner): the one place that executes plugins",
}


def render_text(discovery: Discovery, proposal: Proposal | None, importlinter_file: str,
                written: WriteResult | None, refusal: str = "") -> str:
    out: list[str] = [f"phase12 init: {discovery.project.root}", "", "Roles found:"]
    width = max(len(role.name) for role in discovery.roles)
    indent = " " * (width + 13)
    for role in discovery.roles:
        out.append(f"  {role.name:<{width}}  {role.confidence:<7}  {role.value or '-'}")
        out.extend(textwrap.wrap(role.reason, 100, initial_indent=indent, subsequent_indent=indent))
        if role.evidence:
            shown = ", ".join(role.evidence[:4]) + (", ..." if len(role.evidence) > 4 else "")
            out.extend(textwrap.wrap("at " + shown, 100, initial_indent=indent,
                                     subsequent_indent=indent + "   "))
    notes = discovery.notes + (proposal.notes if proposal else [])
    if notes:
        out += ["", "Notes:"]
        for note in notes:
            out.extend(textwrap.wrap(note, 100, initial_indent="  - ", subsequent_indent="    "))
    if discovery.missing or proposal is None:
        out += ["", "Missing: " + ", ".join(discovery.missing) + ". Configure by hand:"]
        for name in discovery.missing:
            out.extend(textwrap.wrap(f"{name}: {BY_HAND[name]}", 100, initial_indent="  - ",
                                     subsequent_indent="    "))
        return "\n".join(out)
    present = written.contracts_present if written is not None else []
    out += ["", *_proposal_section(proposal)]
    out += ["", *_contracts_section(proposal.importlinter, importlinter_file, present)]
    out += ["", *_next_steps(written, refusal, discovery.project.source_directory)]
    return "\n".join(out)


def _proposal_section(proposal: Proposal) -> list[str]:
    if not proposal.table:
        return ["[tool.phase12]: the defaults fit this codebase; nothing to configure."]
    return ["Proposed [tool.phase12] (only what differs from the defaults):", "",
            *_indent(phase12_toml(proposal.table))]


def _contracts_section(importlinter: ImportLinterProposal | None, filename: str,
                       present: list[str]) -> list[str]:
    if importlinter is None:
        return ["No import-linter contracts proposed."]
    if present and len(present) == len(importlinter.contracts):
        return [f"Import-linter contracts: {filename} already has them ({', '.join(present)})."]
    snippet = importlinter_toml(importlinter) if filename == PYPROJECT \
        else update_ini("", importlinter, True, WriteResult(), filename)
    return [f"Proposed import-linter contracts ({filename}):", "", *_indent(snippet)]


def _next_steps(written: WriteResult | None, refusal: str, source_directory: str) -> list[str]:
    if refusal:
        return [f"Dry run: nothing written. `--write` would stop: {refusal}."]
    if written is None or not written.changed:
        return ["Nothing to write: the configuration already matches."]
    files = ", ".join(written.changed)
    if written.dry_run:
        return [f"Dry run: nothing written. `phase12 init --write` would update {files}."]
    lint_imports = "`lint-imports`"
    if source_directory:
        # lint-imports finds the root packages on sys.path, which holds the working directory.
        lint_imports = (f"`PYTHONPATH={source_directory} lint-imports` (the packages are under "
                        f"{source_directory}/; plain `lint-imports` once the project is installed)")
    return [*(f"- {message}" for message in written.messages),
            f"Written: {files}. Check with `flake8 --select GOV` and {lint_imports}."]


def phase12_toml(table: dict[str, Any]) -> str:
    document = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    tool["phase12"] = as_toml_table(table)
    document["tool"] = tool
    return tomlkit.dumps(document).strip()


def importlinter_toml(importlinter: ImportLinterProposal) -> str:
    document = tomlkit.document()
    tool = tomlkit.table(is_super_table=True)
    table = tomlkit.table()
    table["root_packages"] = importlinter.root_packages
    contract_types = tomlkit.array()
    contract_types.extend(importlinter.contract_types)
    contract_types.multiline(True)
    table["contract_types"] = contract_types
    contracts = tomlkit.aot()
    for contract in importlinter.contracts:
        item = tomlkit.table()
        for key, value in contract.as_table().items():
            if isinstance(value, list) and len(value) > 1:
                array = tomlkit.array()
                array.extend(value)
                array.multiline(True)
                value = array
            item[key] = value
        contracts.append(item)
    table["contracts"] = contracts
    tool["importlinter"] = table
    document["tool"] = tool
    return tomlkit.dumps(document).strip()


def as_json(discovery: Discovery, proposal: Proposal | None, importlinter_file: str,
            written: WriteResult | None, refusal: str = "") -> dict[str, Any]:
    return {
        "root": str(discovery.project.root),
        "roles": [{"role": role.name, "value": role.value, "confidence": role.confidence,
                   "reason": role.reason, "evidence": list(role.evidence)}
                  for role in discovery.roles],
        "missing": discovery.missing,
        "notes": discovery.notes + (proposal.notes if proposal else []),
        "proposal": None if proposal is None else {
            "tool": {"phase12": proposal.table},
            "importlinter": None if proposal.importlinter is None else {
                "file": importlinter_file,
                "root_packages": proposal.importlinter.root_packages,
                "contract_types": list(proposal.importlinter.contract_types),
                "contracts": [contract.as_table() for contract in proposal.importlinter.contracts],
            },
        },
        "write": None if written is None else {
            "dry_run": written.dry_run, "files": written.changed, "messages": written.messages,
            "contracts_present": written.contracts_present},
        "write_refused": refusal or None,
    }


def _indent(text: str) -> list[str]:
    return ["    " + line if line else "" for line in text.splitlines()]
