"""How a finding quotes the import that makes a layer depend on the wrong one: whole, with
only the name that matters (a 60-character cut once read `... import Jo...`)."""

from __future__ import annotations

import ast
import textwrap

from flake8_phase12.config import Config
from flake8_phase12.lint_file import check_file


def messages(path: str, source: str) -> list[str]:
    source = textwrap.dedent(source)
    return [finding.message for finding in check_file(ast.parse(source), path, Config(), source)]


def test_a_long_import_is_quoted_whole():
    found = messages("server/app/api/analyze.py", """
        from server.app.services.job_management_service import JobManagementService
        """)
    assert len(found) == 1 and found[0].startswith("GOV608"), found
    assert "`from server.app.services.job_management_service import JobManagementService`" \
        in found[0], found


def test_only_the_imported_name_of_the_wrong_layer_is_quoted():
    found = messages("server/app/services/analysis_service.py", """
        from server.app.services import formatting, plugin_management_service as plugins
        """)
    assert len(found) == 1 and found[0].startswith("GOV606"), found
    assert "`from server.app.services import plugin_management_service as plugins`" in found[0], \
        found


def test_relative_imports_keep_their_dots():
    found = messages("server/app/services/analysis_service.py", """
        from .tool_runner import ToolRunner
        """)
    assert len(found) == 1 and "`from .tool_runner import ToolRunner`" in found[0], found
