"""End to end: real ``lint-imports`` runs on small Phase 12 packages written under tmp_path."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
)

SERVICES = "server.app.services"
LAYERS = [
    "server.app.api",
    f"{SERVICES}.analysis_service",
    f"{SERVICES}.job_management_service",
    f"{SERVICES}.plugin_management_service",
    f"{SERVICES}.tool_runner",
]

LEGAL_FILES = {
    "server/app/api/routes.py": """\
        from server.app.services.analysis_service import AnalysisService
        from server.app.error_envelope import build_error_envelope
        """,
    "server/app/services/analysis_service.py": """\
        from server.app.services.job_management_service import JobManagementService
        """,
    "server/app/services/job_management_service.py": """\
        from server.app.services.plugin_management_service import PluginManagementService
        """,
    "server/app/services/plugin_management_service.py": """\
        from server.app.services.tool_runner import ToolRunner
        """,
    "server/app/services/tool_runner.py": """\
        from server.app.error_envelope import build_error_envelope
        from server.app.plugins import ocr
        """,
    "server/app/error_envelope.py": "def build_error_envelope(exc, plugin): ...\n",
    "server/app/utils.py": "import json\n",
    "server/app/plugins/ocr.py": "def run(payload): ...\n",
}

# api imports the runner directly (line 3) and through utils (line 4 -> utils line 2).
SKIPPING_FILES = {
    **LEGAL_FILES,
    "server/app/api/routes.py": """\
        from server.app.services.analysis_service import AnalysisService
        from server.app.error_envelope import build_error_envelope
        from server.app.services.tool_runner import ToolRunner
        from server.app import utils
        """,
    "server/app/utils.py": """\
        import json
        from server.app.services import tool_runner
        """,
}

PACKAGE_DIRS = ["server", "server/app", "server/app/api", "server/app/services", "server/app/plugins"]


def write_project(
    root: Path, files: dict[str, str], config_name: str, config: str, init_files: bool = True
) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    if init_files:
        for directory in PACKAGE_DIRS:
            (root / directory / "__init__.py").touch()
    (root / config_name).write_text(textwrap.dedent(config))


def lint_imports(cwd: Path, *args: str, extra_pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    # The repository root makes import_contracts importable even without an install.
    paths = [str(path) for path in (extra_pythonpath, REPO_ROOT) if path]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "COLUMNS": "300", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def indented(lines: list[str]) -> str:
    return "\n".join(f"    {line}" for line in lines)


INI_CONFIG = f"""\
[importlinter]
root_package = server
contract_types =
    strict_layers: import_contracts.StrictLayersContract
    sole_gateway: import_contracts.SoleGatewayContract

[importlinter:contract:builtin]
name = Built-in layers
type = layers
layers =
{indented(LAYERS)}

[importlinter:contract:strict]
name = Phase 12 strict layers
type = strict_layers
layers =
{indented(LAYERS)}
allowed_shared_modules =
    server.app.error_envelope

[importlinter:contract:gateway]
name = Only plugin management reaches the runner
type = sole_gateway
protected_modules = {SERVICES}.tool_runner
gateway_modules = {SERVICES}.plugin_management_service
"""


def test_ini_builtin_layers_keeps_what_strict_layers_breaks(tmp_path):
    write_project(tmp_path, SKIPPING_FILES, "setup.cfg", INI_CONFIG)

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "Built-in layers KEPT" in out
    assert "Phase 12 strict layers BROKEN" in out
    assert "Only plugin management reaches the runner BROKEN" in out
    assert (
        f"server.app.api is not allowed to import {SERVICES}.tool_runner (skips {SERVICES}.analysis_service, "
        f"{SERVICES}.job_management_service and {SERVICES}.plugin_management_service):"
    ) in out
    assert f"- server.app.api.routes -> {SERVICES}.tool_runner (l.3)\n" in out
    assert (
        "- server.app.api.routes -> server.app.utils (l.4)\n"
        f"  server.app.utils -> {SERVICES}.tool_runner (l.2)\n"
    ) in out
    assert f"server.app.utils is not allowed to import {SERVICES}.tool_runner:" in out
    assert f"server.app.api.routes is not allowed to import {SERVICES}.tool_runner:" in out


def test_ini_legal_project_is_kept(tmp_path):
    write_project(tmp_path, LEGAL_FILES, "setup.cfg", INI_CONFIG)

    result = lint_imports(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def toml_config(extra_strict: str = "") -> str:
    layers = ", ".join(f'"{layer}"' for layer in LAYERS)
    return f"""\
        [tool.importlinter]
        root_packages = ["server"]
        contract_types = [
            "strict_layers: import_contracts.StrictLayersContract",
            "sole_gateway: import_contracts.SoleGatewayContract",
        ]

        [[tool.importlinter.contracts]]
        id = "strict"
        name = "Phase 12 strict layers"
        type = "strict_layers"
        layers = [{layers}]
        allowed_shared_modules = ["server.app.error_envelope"]
        {extra_strict}

        [[tool.importlinter.contracts]]
        id = "plugins"
        name = "Only the runner imports plugins"
        type = "sole_gateway"
        protected_modules = ["server.app.plugins"]
        gateway_modules = ["{SERVICES}.tool_runner"]
        transitive = true
        """


@pytest.mark.parametrize("init_files", [True, False], ids=["regular-packages", "namespace-packages"])
def test_toml_strict_layers_broken(tmp_path, init_files):
    write_project(tmp_path, SKIPPING_FILES, "pyproject.toml", toml_config(), init_files=init_files)

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Phase 12 strict layers BROKEN" in result.stdout
    assert "Only the runner imports plugins KEPT" in result.stdout
    assert f"- server.app.api.routes -> {SERVICES}.tool_runner (l.3)" in result.stdout


def test_toml_ignored_imports_keep_the_contract(tmp_path):
    ignores = (
        f'ignore_imports = ["server.app.api.routes -> {SERVICES}.tool_runner", '
        f'"server.app.utils -> {SERVICES}.tool_runner"]'
    )
    write_project(tmp_path, SKIPPING_FILES, "pyproject.toml", toml_config(ignores))

    result = lint_imports(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Phase 12 strict layers KEPT (2 ignored imports)" in result.stdout


def test_src_layout_with_source_root_on_the_path(tmp_path):
    write_project(tmp_path / "src", SKIPPING_FILES, "unused.cfg", "")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(toml_config()))

    result = lint_imports(tmp_path, "--contract", "strict", extra_pythonpath=tmp_path / "src")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Phase 12 strict layers BROKEN" in result.stdout
    assert f"  server.app.utils -> {SERVICES}.tool_runner (l.2)" in result.stdout


def test_missing_layer_is_a_configuration_error(tmp_path):
    files = {name: text for name, text in LEGAL_FILES.items() if "job_management" not in name}
    write_project(tmp_path, files, "setup.cfg", INI_CONFIG)

    result = lint_imports(tmp_path, "--contract", "strict")

    assert result.returncode == 1
    assert 'Contract "Phase 12 strict layers" is not configured correctly:' in result.stdout
    assert (
        f"layers: Module '{SERVICES}.job_management_service' not found in the import graph." in result.stdout
    )


DOCS = REPO_ROOT / "docs" / "import-contracts.md"

# The project described in the docs' "Sample output" section.
DOCUMENTED_PROJECT = {
    **LEGAL_FILES,
    "server/app/api/analyze.py": """\
        from fastapi import APIRouter

        from server.app.error_envelope import build_error_envelope
        from server.app.services.analysis_service import AnalysisService
        from server.app.services.tool_runner import ToolRunner
        from server.app import utils
        """,
    "server/app/utils.py": """\
        import json

        from server.app.services.tool_runner import ToolRunner
        """,
    "server/app/services/tool_runner.py": """\
        from server.app.error_envelope import build_error_envelope
        from server.app.validation import validate_input_payload
        from server.app.plugin_registry import registry
        from server.app.plugins import ocr
        """,
    "server/app/plugin_registry.py": "from server.app.plugins import ocr\n",
    "server/app/validation.py": "from server.app.error_envelope import build_error_envelope\n",
}


def documented_block(language: str) -> str:
    """The docs' Phase 12 configuration block in ``language`` (the first that sets up the root)."""
    blocks = re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(), flags=re.DOTALL)
    return next(block for block in blocks if "root_package" in block and "phase12-layers" in block)


@pytest.mark.parametrize("language, config_name", [("ini", "setup.cfg"), ("toml", "pyproject.toml")])
def test_documented_configuration_and_sample_output(tmp_path, language, config_name):
    write_project(tmp_path, DOCUMENTED_PROJECT, config_name, documented_block(language))

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    sample = DOCS.read_text().split("## Sample output", 1)[1].split("```", 2)[1]
    for line in sample.splitlines():
        if line.startswith(("- ", "  ", "Hint:", "Only ", "Phase 12 service chain", "server.app")):
            assert line in result.stdout, line
