"""`phase12 init --write`: add the proposal to `pyproject.toml` and the import-linter
configuration without losing what is already there.

TOML is edited with `tomlkit`, which keeps comments and formatting. An INI file (`setup.cfg`,
`.importlinter`) is edited line by line, because `configparser` would drop its comments:
entries are appended to existing keys, and contract sections are added after the last
`[importlinter...]` section.

Nothing is written unless every edit can be made: an existing `[tool.phase12]` (or a contract
with the same id but other content) is only replaced with `force`, and then only the keys
`phase12 init` owns (the roles); other keys, such as `tests` or `compat`, are kept. The files are
then written all or nothing, atomically, each keeping the bytes of the lines it does not change,
line endings included (`flake8_phase12.atomic`).
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from flake8_phase12.atomic import write_files
from flake8_phase12.config import ConfigError
from flake8_phase12.init.proposal import Contract, ImportLinterProposal, Proposal

PYPROJECT = "pyproject.toml"
INI_FILES = ("setup.cfg", ".importlinter")
# The keys of [tool.phase12] that `phase12 init` proposes, and so replaces with --force.
OWNED_KEYS = (
    "execution_methods", "plugin_receivers", "plugin_base_classes", "runner", "validation",
    "envelope.function", "envelope.module", "metrics.function", "metrics.registry_module",
    "metrics.success_field", "metrics.error_field", "metrics.fields", "metrics.states", "services",
    "api.route_modules", "api.service_names", "layers.chain",
)
SECTION_HEADER = re.compile(r"^\[(?P<name>[^\]]+)\]\s*(?:[#;].*)?$")
INDENT = "    "


class WriteRefused(Exception):
    """The edit would overwrite something without `--force`; `str()` is the one-line reason."""


@dataclass
class WriteResult:
    """What was (or, in a dry run, would be) written."""

    changed: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    # Proposed contracts the configuration already has (same type and modules).
    contracts_present: list[str] = field(default_factory=list)
    dry_run: bool = False


def read_pyproject(root: Path) -> tomlkit.TOMLDocument | None:
    """The parsed `pyproject.toml` of `root`, None when there is none; ConfigError if broken."""
    path = root / PYPROJECT
    if not path.is_file():
        return None
    text = _read_text(path)
    try:
        document = tomlkit.parse(text)
    except (TOMLKitError, ValueError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {str(exc).splitlines()[0]}") from None
    tool = document.get("tool")
    if tool is not None and not isinstance(tool, dict):
        raise ConfigError(f"{path}: 'tool' must be a table")
    for name in ("phase12", "importlinter"):
        if tool is not None and name in tool and not isinstance(tool[name], dict):
            raise ConfigError(f"{path}: [tool.{name}] must be a table")
    return document


def importlinter_target(root: Path) -> Path:
    """Where import-linter reads its configuration: an INI file that already has an
    `[importlinter]` section, else `pyproject.toml`."""
    for name in INI_FILES:
        path = root / name
        if path.is_file() and _ini_has_section(path, "importlinter"):
            return path
    return root / PYPROJECT


def write_proposal(root: Path, proposal: Proposal, *, force: bool, dry_run: bool = False) -> WriteResult:
    """Apply the proposal to the files under `root`, all or nothing; with `dry_run`, only say
    what would change."""
    result = WriteResult(dry_run=dry_run)
    document = read_pyproject(root) or tomlkit.document()
    pyproject = root / PYPROJECT
    original = tomlkit.dumps(document) if pyproject.is_file() else ""
    _merge_phase12(document, proposal.table, force, result)
    pending: dict[Path, str] = {}
    if proposal.importlinter is not None:
        target = importlinter_target(root)
        if target.name == PYPROJECT:
            _merge_importlinter_toml(document, proposal.importlinter, force, result)
        else:
            text = _read_text(target)
            updated = update_ini(text, proposal.importlinter, force, result, target.name)
            if updated != text:
                pending[target] = updated
    text = tomlkit.dumps(document)
    if text != original and text.strip():
        pending[pyproject] = text
    if not dry_run:
        write_files(pending, preserve_line_endings=True)
    result.changed.extend(path.name for path in pending)
    return result


# -- [tool.phase12] ------------------------------------------------------------------------

def _merge_phase12(document: tomlkit.TOMLDocument, table: dict[str, Any], force: bool,
                   result: WriteResult) -> None:
    tool = document.get("tool")
    existing = tool.get("phase12") if tool is not None else None
    if existing is None:
        if table:
            _tool_table(document)["phase12"] = as_toml_table(table)
            result.messages.append(f"added [tool.phase12] to {PYPROJECT}")
        return
    if _owned_values(existing.unwrap()) == _owned_values(table):
        result.messages.append(f"[tool.phase12] in {PYPROJECT} already matches the proposal")
        return
    if not force:
        if table:
            raise WriteRefused(f"{PYPROJECT} already has a [tool.phase12] table; re-run with --force "
                               "to replace its role keys (other keys such as tests and compat are kept)")
        result.messages.append(f"[tool.phase12] in {PYPROJECT} left as it is: the defaults fit")
        return
    removed = [key for key in OWNED_KEYS if _remove_key(existing, key)]
    _merge_into(existing, table)
    result.messages.append(f"updated [tool.phase12] in {PYPROJECT}: "
                           f"{_count(len(_flatten(table)), 'key')} set, "
                           f"{_count(len(removed), 'earlier role key')} removed")


def _owned_values(table: dict[str, Any]) -> dict[str, Any]:
    """The values of the keys `phase12 init` owns, by dotted key (`-` read as `_`)."""
    flat = {key.replace("-", "_"): value for key, value in _flatten(table).items()}
    return {key: value for key, value in flat.items()
            if any(key == owned or key.startswith(owned + ".") for owned in OWNED_KEYS)}


def _flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = list(value) if isinstance(value, (list, tuple)) else value
    return flat


def _tool_table(document: tomlkit.TOMLDocument):
    if "tool" not in document:
        document["tool"] = tomlkit.table(is_super_table=True)
    return document["tool"]


def as_toml_table(values: dict[str, Any], *, super_table: bool = False):
    """A tomlkit table: plain keys first, then sub-tables (`[tool.phase12.runner]`)."""
    table = tomlkit.table(is_super_table=super_table)
    for key, value in values.items():
        if not isinstance(value, dict):
            table[key] = _toml_value(value)
    for key, value in values.items():
        if isinstance(value, dict):
            only_tables = all(isinstance(item, dict) for item in value.values())
            table[key] = as_toml_table(value, super_table=only_tables)
    return table


def _toml_value(value: Any):
    if isinstance(value, (list, tuple)):
        array = tomlkit.array()
        array.extend(value)
        if len(value) > 1:
            array.multiline(True)
        return array
    return value


def _merge_into(container, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            if key in container and hasattr(container[key], "keys"):
                _merge_into(container[key], value)
            else:
                only_tables = all(isinstance(item, dict) for item in value.values())
                container[key] = as_toml_table(value, super_table=only_tables)
        else:
            container[key] = _toml_value(value)


def _remove_key(container, dotted: str) -> bool:
    *parents, key = dotted.split(".")
    for part in parents:
        if part not in container or not hasattr(container[part], "keys"):
            return False
        container = container[part]
    if key not in container:
        return False
    del container[key]
    return True


# -- import-linter in pyproject.toml -------------------------------------------------------

def _merge_importlinter_toml(document: tomlkit.TOMLDocument, proposal: ImportLinterProposal,
                             force: bool, result: WriteResult) -> None:
    tool = document.get("tool")
    current = tool.get("importlinter") if tool is not None else None
    plan = _contract_plan(_toml_contracts(current), proposal.contracts, force, PYPROJECT)
    result.contracts_present.extend(plan.kept)
    if not plan.to_add and not plan.to_replace:
        result.messages.append(f"import-linter contracts in {PYPROJECT} already cover the proposal")
        return
    if current is None:
        _tool_table(document)["importlinter"] = tomlkit.table()
        current = document["tool"]["importlinter"]
    _merge_list_key(current, "root_packages", proposal.root_packages, single="root_package")
    _merge_list_key(current, "contract_types", list(proposal.contract_types))
    if "contracts" not in current:
        current["contracts"] = tomlkit.aot()
    contracts = current["contracts"]
    for index, contract in plan.to_replace:
        contracts[index] = _contract_table(contract)
    for contract in plan.to_add:
        contracts.append(_contract_table(contract))
    result.messages.append(f"{PYPROJECT} [tool.importlinter]: " + plan.summary())


def _merge_list_key(table, key: str, values: list[str], single: str = "") -> None:
    """Add the missing `values` to the list `key`; a single-valued `single` key
    (`root_package`) becomes the list when something must be added to it."""
    if single and single in table and key not in table:
        value = str(table[single])
        missing = [item for item in values if item != value]
        if missing:
            del table[single]
            table[key] = _toml_value([value, *missing])
        return
    existing = table.get(key)
    if isinstance(existing, list):
        present = [str(item) for item in existing]
        existing.extend([item for item in values if item not in present])
    elif existing is not None:
        table[key] = _toml_value([str(existing), *(item for item in values if item != str(existing))])
    else:
        table[key] = _toml_value(values)


def _contract_table(contract: Contract):
    table = tomlkit.table()
    for key, value in contract.as_table().items():
        table[key] = _toml_value(value)
    return table


def _toml_contracts(table) -> list[dict[str, Any]]:
    contracts = table.get("contracts") if hasattr(table, "get") else None
    return [dict(item) for item in contracts] if isinstance(contracts, list) else []


# -- contracts: which to add, replace or keep ----------------------------------------------

@dataclass
class _Plan:
    to_add: list[Contract] = field(default_factory=list)
    to_replace: list[tuple[int, Contract]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.to_add:
            parts.append("added " + ", ".join(contract.id for contract in self.to_add))
        if self.to_replace:
            parts.append("replaced " + ", ".join(contract.id for _, contract in self.to_replace))
        if self.kept:
            parts.append("already present: " + ", ".join(self.kept))
        return "; ".join(parts)


def _contract_plan(existing: list[dict[str, Any]], proposed: list[Contract], force: bool,
                   filename: str) -> _Plan:
    plan = _Plan()
    for contract in proposed:
        same_id = next((index for index, item in enumerate(existing)
                        if str(item.get("id", "")) == contract.id), None)
        if any(_equivalent(item, contract) for item in existing):
            plan.kept.append(contract.id)
        elif same_id is None:
            plan.to_add.append(contract)
        elif force:
            plan.to_replace.append((same_id, contract))
        else:
            raise WriteRefused(f"{filename} already has an import-linter contract '{contract.id}' with "
                               "other content; re-run with --force to replace it")
    return plan


def _equivalent(existing: dict[str, Any], contract: Contract) -> bool:
    """Same type and the same modules in the fields that define the contract."""
    if str(existing.get("type", "")).strip() != contract.type:
        return False
    keys = ("layers",) if contract.type == "strict_layers" else ("protected_modules", "gateway_modules")
    for key in keys:
        ours = [str(item).strip() for item in contract.options.get(key, [])]
        theirs = _as_list(existing.get(key, []))
        if (ours if key == "layers" else sorted(ours)) != (theirs if key == "layers" else sorted(theirs)):
            return False
    return True


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value]
    return []


# -- import-linter in an INI file ----------------------------------------------------------

def update_ini(text: str, proposal: ImportLinterProposal, force: bool, result: WriteResult,
               filename: str) -> str:
    """`text` with the root packages, contract types and contracts added, line by line."""
    parsed = _parse_ini(text, filename)
    existing = [{"id": name.split(":", 2)[2], **dict(parsed[name])} for name in parsed.sections()
                if name.startswith("importlinter:contract:")]
    plan = _contract_plan(existing, proposal.contracts, force, filename)
    result.contracts_present.extend(plan.kept)
    if not plan.to_add and not plan.to_replace:
        result.messages.append(f"import-linter contracts in {filename} already cover the proposal")
        return text
    lines = text.splitlines()
    if not parsed.has_section("importlinter"):
        lines += ["", "[importlinter]", *_ini_option("root_packages", proposal.root_packages),
                  *_ini_option("contract_types", list(proposal.contract_types))]
    else:
        _ini_extend(lines, "importlinter", "root_packages", proposal.root_packages, single="root_package")
        _ini_extend(lines, "importlinter", "contract_types", list(proposal.contract_types))
    for _, contract in plan.to_replace:
        start, end = _section_span(lines, f"importlinter:contract:{contract.id}")
        lines[start:end] = _ini_contract(contract)
    for contract in plan.to_add:
        position = _after_last_section(lines, "importlinter")
        lines[position:position] = ["", *_ini_contract(contract)]
    result.messages.append(f"{filename} [importlinter]: " + plan.summary())
    return "\n".join(lines).lstrip("\n") + "\n"


def _parse_ini(text: str, filename: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=filename)
    except configparser.Error as exc:
        raise ConfigError(f"{filename}: invalid INI: {str(exc).splitlines()[0]}") from None
    return parser


def _ini_has_section(path: Path, section: str) -> bool:
    return _parse_ini(_read_text(path), path.name).has_section(section)


def _read_text(path: Path) -> str:
    """The file's text with its line endings as they are (the write keeps them)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc})") from None


def _ini_option(key: str, values: Iterable[str]) -> list[str]:
    return [f"{key} =", *(f"{INDENT}{value}" for value in values)]


def _ini_contract(contract: Contract) -> list[str]:
    lines = [f"[importlinter:contract:{contract.id}]", f"name = {contract.name}",
             f"type = {contract.type}"]
    for key, value in contract.options.items():
        if isinstance(value, list):
            lines.extend(_ini_option(key, value))
        else:
            lines.append(f"{key} = {value}")
    return lines


def _sections(lines: list[str]) -> list[tuple[str, int]]:
    found = []
    for index, line in enumerate(lines):
        match = SECTION_HEADER.match(line)
        if match:
            found.append((match["name"].strip(), index))
    return found


def _section_span(lines: list[str], name: str) -> tuple[int, int]:
    """[header, end) of a section, trailing blank and comment lines left outside it."""
    sections = _sections(lines)
    for position, (section, start) in enumerate(sections):
        if section == name:
            end = sections[position + 1][1] if position + 1 < len(sections) else len(lines)
            while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()[:1] in "#;"):
                end -= 1
            return start, end
    raise KeyError(name)


def _after_last_section(lines: list[str], prefix: str) -> int:
    last = None
    for section, _ in _sections(lines):
        if section == prefix or section.startswith(prefix + ":"):
            last = section
    return _section_span(lines, last)[1] if last is not None else len(lines)


def _ini_extend(lines: list[str], section: str, key: str, values: list[str], single: str = "") -> None:
    """Append the missing `values` to the multi-line option `key` of `section`."""
    start, end = _section_span(lines, section)
    option = re.compile(rf"^(?P<key>{re.escape(key)}|{re.escape(single or key)})\s*[=:]\s*(?P<value>.*)$")
    for index in range(start + 1, end):
        match = option.match(lines[index])
        if not match:
            continue
        last = index
        while last + 1 < end and lines[last + 1][:1] in (" ", "\t") and lines[last + 1].strip():
            last += 1
        current = [match["value"].strip()] + [line.strip() for line in lines[index + 1:last + 1]]
        current = [item for item in current if item]
        missing = [value for value in values if value not in current]
        if not missing:
            return
        lines[index:last + 1] = _ini_option(key, [*current, *missing])
        return
    lines[end:end] = _ini_option(key, values)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
