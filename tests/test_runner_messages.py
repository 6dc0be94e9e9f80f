"""Messages of the section 2 and 3 rules name the validator the way the code does: as the file
writes a call of it (`InputGate.check`), or, when both validators share their configured name
and the file shows no call of the one that is missing, with its kind."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from flake8_phase12.config import config_from_mapping
from flake8_phase12.lint_file import check_file

ROOT = Path("/phase12-unit-project")
TABLE = {
    "execution_methods": ["analyse"],
    "runner": {"module": "studio.executor", "class": "Executor", "method": "execute"},
    "validation": {"input_validator": "check", "output_validator": "check"},
    "envelope": {"function": "from_exception"},
    "metrics": {"function": "track"},
}


def messages(source: str) -> dict[str, str]:
    source = textwrap.dedent(source)
    config = config_from_mapping(TABLE, project_root=ROOT)
    found = check_file(ast.parse(source), str(ROOT / "studio/executor.py"), config, source)
    return {finding.code: finding.message for finding in found}


def test_a_shared_name_is_written_as_the_file_calls_it_or_with_its_kind():
    by_code = messages("""
        from studio.failure import Failure
        from studio.gates import InputGate


        class Executor:
            def execute(self, name, submission):
                try:
                    analyser = self._catalog.resolve(name)
                    InputGate.check(submission)
                    return analyser.analyse(submission)
                except Exception as exc:
                    return Failure.from_exception(exc, analyser=name)
                finally:
                    self._catalog.track(name)
    """)
    assert set(by_code) == {"GOV202", "GOV301"}
    assert "call InputGate.check(...) before any plugin lookup" in by_code["GOV202"]
    assert "never calls the output validator check(...) on its result" in by_code["GOV301"]


def test_distinct_names_stay_as_configured():
    table_validation = TABLE["validation"]
    TABLE["validation"] = {"input_validator": "check_in", "output_validator": "check_out"}
    try:
        by_code = messages("""
            from studio.failure import Failure


            class Executor:
                def execute(self, name, submission):
                    try:
                        check_in(submission)
                        return self._catalog.resolve(name).analyse(submission)
                    except Exception as exc:
                        return Failure.from_exception(exc, analyser=name)
                    finally:
                        self._catalog.track(name)
        """)
    finally:
        TABLE["validation"] = table_validation
    assert "never calls check_out(...) on its result" in by_code["GOV301"]
