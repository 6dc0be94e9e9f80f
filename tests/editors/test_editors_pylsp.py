"""python-lsp-server, spoken to over stdio exactly as an editor does.

The server is started with its flake8 plugin enabled (pycodestyle, pyflakes and mccabe off, so
only flake8 reports), the workspace is a small checklist-shaped project, and the test sends
`initialize`, `initialized`, `workspace/didChangeConfiguration`, `textDocument/didOpen` and
`textDocument/didChange`, then reads the `textDocument/publishDiagnostics` notifications the
server pushes for each document version. Every wait is bounded, and the server is always killed.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

SERVICE = "server/app/services/plugin_management_service.py"
COMPLIANT = textwrap.dedent("""\
    class PluginManagementService:
        def __init__(self, runner):
            self._runner = runner

        def execute_plugin(self, plugin_name, payload):
            # plugin.run(payload) is the runner's business, not ours.
            return self._runner.run(plugin_name, payload)
    """)
VIOLATING = textwrap.dedent("""\
    class PluginManagementService:
        def __init__(self, runner, plugins):
            self._runner = runner
            self._plugins = plugins

        def execute_plugin(self, plugin_name, payload):
            return self._plugins[plugin_name].run(payload)
    """)
VIOLATION_LINE = 7  # 1-based, as flake8 reports it
WAIT_SECONDS = 60  # generous: a loaded CI machine; each wait returns as soon as the answer is in


class LanguageServer:
    """A pylsp process and the messages it sends, read by a background thread."""

    def __init__(self, workspace: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pylsp"], cwd=workspace,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return  # the server exited
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if length is not None:
                self.inbox.put(json.loads(stream.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait_for(lambda message: message.get("id") == self.next_id
                             and "method" not in message)

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, wanted) -> dict:
        deadline = time.monotonic() + WAIT_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = self.inbox.get(timeout=remaining)
            except queue.Empty:
                break
            if message.get("method") in ("window/workDoneProgress/create",) and "id" in message:
                self.send({"id": message["id"], "result": None})  # accept progress tokens
            elif wanted(message):
                return message
        raise AssertionError(f"pylsp sent no expected message within {WAIT_SECONDS} s; "
                             f"stderr: {self.stderr_tail()}")

    def diagnostics(self, uri: str, version: int) -> list[dict]:
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and m["params"].get("version") == version)
        return message["params"]["diagnostics"]

    def stderr_tail(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stderr.read().decode(errors="replace")[-2000:]

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", {})
                self.notify("exit", {})
                self.process.wait(timeout=10)
        except (AssertionError, OSError, ValueError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                stream.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.phase12]\n", encoding="utf-8")
    target = tmp_path / SERVICE
    target.parent.mkdir(parents=True)
    target.write_text(COMPLIANT, encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(workspace: Path):
    language_server = LanguageServer(workspace)
    try:
        yield language_server
    finally:
        language_server.close()


def settings() -> dict:
    flake8 = Path(sys.executable).with_name("flake8")
    return {"pylsp": {"plugins": {
        "flake8": {"enabled": True, "executable": str(flake8)},
        "pycodestyle": {"enabled": False},
        "pyflakes": {"enabled": False},
        "mccabe": {"enabled": False},
        "pydocstyle": {"enabled": False},
        "pylint": {"enabled": False},
    }}}


def gov_diagnostics(diagnostics: list[dict]) -> list[tuple[int, str]]:
    """(1-based line, code) of every GOV diagnostic."""
    return [(item["range"]["start"]["line"] + 1, item["code"]) for item in diagnostics
            if str(item.get("code", "")).startswith("GOV")]


def test_pylsp_publishes_gov_diagnostics_as_the_document_changes(server, workspace):
    uri = (workspace / SERVICE).as_uri()
    reply = server.request("initialize", {
        "processId": None,
        "rootUri": workspace.as_uri(),
        "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
        "initializationOptions": settings(),
    })
    assert "capabilities" in reply["result"]
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": settings()})

    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": COMPLIANT}})
    assert server.diagnostics(uri, 1) == []

    # Typing a direct execution (unsaved): the diagnostic appears on that line.
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": VIOLATING}]})
    diagnostics = server.diagnostics(uri, 2)
    assert gov_diagnostics(diagnostics) == [(VIOLATION_LINE, "GOV101")]
    assert diagnostics[0]["source"] == "flake8"
    assert "ToolRunner.run(...)" in diagnostics[0]["message"]

    # Fixing it clears the diagnostic again.
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": COMPLIANT}]})
    assert server.diagnostics(uri, 3) == []
