"""`phase12 init` on the project model: a codebase whose roles are only visible across modules
(a source root named by pytest's `pythonpath`, plugins deriving from a base elsewhere, a runner
reached through a private helper and an executor hand-off, a service injected through an
`Annotated[..., Depends(...)]` alias read from `app.state`, a delegate wired as a bound method,
metrics written through the record's helper methods, its own test names, a Phase 11 copy beside
it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from init_projects import run_phase12, write_project

from flake8_phase12.init import build_proposal, discover

RELAY = {
    "pyproject.toml": """
        [project]
        name = "relay"
        version = "12.0.0"

        [tool.pytest.ini_options]
        pythonpath = ["backend"]
        """,
    "backend/relay/__init__.py": "",
    "backend/relay/stages/__init__.py": "",
    "backend/relay/stages/base.py": """
        from abc import ABC, abstractmethod


        class Stage(ABC):
            @abstractmethod
            def apply(self, packet: dict) -> dict:
                ...
        """,
    "backend/relay/stages/trim.py": """
        from relay.stages.base import Stage


        class Trim(Stage):
            def apply(self, packet: dict) -> dict:
                return {key: value.strip() for key, value in packet.items()}


        class Upper(Stage):
            def apply(self, packet: dict) -> dict:
                return {key: value.upper() for key, value in packet.items()}
        """,
    "backend/relay/depot.py": """
        import time
        from dataclasses import dataclass
        from enum import Enum

        from relay.stages.base import Stage
        from relay.stages.trim import Trim, Upper


        class Health(Enum):
            IDLE = "idle"
            GREEN = "green"
            RED = "red"


        @dataclass
        class Slot:
            stage: Stage
            good: int = 0
            bad: int = 0
            took: float = 0.0
            mean: float = 0.0
            seen: float = 0.0
            health: Health = Health.IDLE

            def bump_good(self) -> None:
                self.good += 1
                self.health = Health.GREEN

            def bump_bad(self) -> None:
                self.bad += 1
                self.health = Health.RED


        class Depot:
            def __init__(self) -> None:
                self._slots: dict[str, Slot] = {"trim": Slot(Trim()), "upper": Slot(Upper())}
                self._now = time.time

            def pick(self, key: str) -> Stage:
                return self._slots[key].stage

            def settle(self, key: str, *, passed: bool, took_ms: float) -> None:
                slot = self._slots.get(key)
                if slot is None:
                    return
                if passed:
                    slot.bump_good()
                else:
                    slot.bump_bad()
                slot.took = took_ms
                slot.mean = slot.mean + (took_ms - slot.mean) / (slot.good + slot.bad)
                slot.seen = self._now()
        """,
    "backend/relay/checks.py": """
        def screen_packet(packet: object) -> dict:
            if not isinstance(packet, dict) or not packet:
                raise ValueError("empty packet")
            return dict(packet)


        def screen_result(result: object) -> dict:
            if not isinstance(result, dict):
                raise ValueError("a stage must return a dict")
            return result
        """,
    "backend/relay/faults.py": """
        import traceback
        from datetime import datetime, timezone


        def wrap_fault(exc: BaseException, key: str) -> dict:
            return {"error": {"type": type(exc).__name__, "message": str(exc), "details": {},
                              "plugin": key, "timestamp": datetime.now(timezone.utc).isoformat()},
                    "_internal": {"traceback": "".join(traceback.format_exception(exc))}}
        """,
    "backend/relay/engine.py": """
        import asyncio
        import time

        from relay.checks import screen_packet, screen_result
        from relay.depot import Depot
        from relay.faults import wrap_fault
        from relay.stages.base import Stage


        class Conveyor:
            def __init__(self, depot: Depot) -> None:
                self._depot = depot

            async def push(self, key: str, packet: dict) -> dict:
                started = time.perf_counter()
                passed = False
                try:
                    clean = screen_packet(packet)
                    stage = self._depot.pick(key)
                    raw = await self._drive(stage, clean)
                    out = screen_result(raw)
                    passed = True
                    return out
                except Exception as exc:
                    return wrap_fault(exc, key)
                finally:
                    took = (time.perf_counter() - started) * 1000
                    self._depot.settle(key, passed=passed, took_ms=took)

            async def _drive(self, stage: Stage, clean: dict) -> dict:
                return await asyncio.to_thread(stage.apply, clean)
        """,
    "backend/relay/services.py": """
        from collections.abc import Awaitable, Callable


        class Gate:
            def __init__(self, push: Callable[[str, dict], Awaitable[dict]]) -> None:
                self._push = push

            async def forward(self, key: str, packet: dict) -> dict:
                return await self._push(key, packet)


        class Queue:
            def __init__(self, gate: Gate) -> None:
                self._gate = gate

            async def enqueue(self, key: str, packet: dict) -> dict:
                return await self._gate.forward(key, packet)


        class Front:
            def __init__(self, queue: Queue) -> None:
                self._queue = queue

            async def handle(self, key: str, packet: dict) -> dict:
                return await self._queue.enqueue(key, packet)
        """,
    "backend/relay/wiring.py": """
        from relay.depot import Depot
        from relay.engine import Conveyor
        from relay.services import Front, Gate, Queue


        def build() -> Front:
            conveyor = Conveyor(Depot())
            return Front(Queue(Gate(push=conveyor.push)))
        """,
    "backend/relay/api.py": """
        from typing import Annotated

        from fastapi import APIRouter, Depends, HTTPException, Request

        from relay.services import Front


        def get_front(request: Request):
            return request.app.state.front


        FrontDep = Annotated[Front, Depends(get_front)]
        router = APIRouter()


        @router.post("/v1/relay/{key}")
        async def relay(key: str, body: dict, front: FrontDep) -> dict:
            result = await front.handle(key, body)
            if "error" in result:
                raise HTTPException(status_code=400, detail=result["error"])
            return {"result": result, "plugin": key}
        """,
    "backend/relay/app.py": """
        from fastapi import FastAPI

        from relay.api import router
        from relay.wiring import build


        def create_app() -> FastAPI:
            app = FastAPI()
            app.state.front = build()
            app.include_router(router)
            return app
        """,
    "tests/test_relay_inputs.py": "def test_nothing():\n    pass\n",
    "tests/test_relay_faults.py": "def test_nothing():\n    pass\n",
    "tests/phase11/test_old_api.py": "def test_nothing():\n    pass\n",
}


@pytest.fixture(scope="module")
def relay(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("relay-side")
    write_project(root / "phase11", {"backend/relay/__init__.py": "", "backend/relay/api.py": "X = 1\n"})
    return write_project(root / "relay", RELAY)


def test_every_role_is_found_across_modules(relay):
    found = {role.name: role.value for role in discover(relay).roles}
    assert found["execution method"] == "apply"
    assert found["plugin base class"] == "Stage"
    assert found["runner"] == "Conveyor.push in relay.engine"
    assert found["service chain"] == "API -> Front -> Queue -> Gate -> Conveyor.push"
    assert found["route modules"] == "relay.api"
    assert found["input validator"] == "screen_packet"
    assert found["output validator"] == "screen_result"
    assert found["error envelope builder"] == "wrap_fault"
    assert found["metrics update"] == "settle (Depot.settle)"


def test_the_registry_names_are_read_from_what_the_update_writes(relay):
    metrics = build_proposal(discover(relay)).table["metrics"]
    assert metrics["success_field"] == "good" and metrics["error_field"] == "bad"
    assert metrics["fields"] == ["took", "mean", "seen", "health"]
    assert metrics["states"] == ["GREEN", "RED"]


def test_its_own_tests_and_the_phase11_copy_beside_it_are_proposed(relay):
    table = build_proposal(discover(relay)).table
    assert table["tests"] == {"root": "tests", "required": ["test_relay_faults.py", "test_relay_inputs.py"]}
    assert table["compat"] == {"against": "../phase11"}


def test_an_exception_built_before_the_execution_is_never_the_input_validator(tmp_path):
    files = dict(RELAY)
    files["backend/relay/engine.py"] = RELAY["backend/relay/engine.py"].replace(
        "                    clean = screen_packet(packet)\n",
        "                    if not packet:\n"
        "                        raise InvalidPacket(packet)\n"
        "                    clean = dict(packet)\n").replace(
        "from relay.faults import wrap_fault\n",
        "from relay.faults import wrap_fault\n\n\n"
        "        class InvalidPacket(ValueError):\n"
        "            pass\n")
    found = {role.name: role.value for role in discover(write_project(tmp_path / "relay", files)).roles}
    assert found["runner"] == "Conveyor.push in relay.engine"
    # Named like a validator and built on the payload, but an exception: raised, not validating;
    # and the lookup gives the plugin, it validates nothing. So none is found.
    assert found["input validator"] == ""


TWINS = {
    **RELAY,
    "backend/relay/engine.py": RELAY["backend/relay/engine.py"] + """

            def push_now(self, key: str, packet: dict) -> dict:
                try:
                    out = screen_result(self._depot.pick(key).apply(screen_packet(packet)))
                    self._depot.settle(key, passed=True, took_ms=0.0)
                    return out
                except Exception as exc:
                    self._depot.settle(key, passed=False, took_ms=0.0)
                    return wrap_fault(exc, key)
        """,
    "backend/relay/services.py": """
        from collections.abc import Awaitable, Callable


        class Gate:
            def __init__(self, push: Callable[[str, dict], Awaitable[dict]],
                         push_now: Callable[[str, dict], dict]) -> None:
                self._push = push
                self._push_now = push_now

            async def forward(self, key: str, packet: dict) -> dict:
                return await self._push(key, packet)

            def forward_now(self, key: str, packet: dict) -> dict:
                return self._push_now(key, packet)


        class Queue:
            def __init__(self, gate: Gate) -> None:
                self._gate = gate
                self._seen = 0

            async def enqueue(self, key: str, packet: dict) -> dict:
                self._seen += 1
                return await self._gate.forward(key, packet)

            def enqueue_now(self, key: str, packet: dict) -> dict:
                return self._relay(key, packet)

            def _relay(self, key: str, packet: dict) -> dict:
                return self._gate.forward_now(key, packet)

            def seen(self) -> int:
                return self._seen


        class Front:
            def __init__(self, queue: Queue) -> None:
                self._queue = queue

            async def handle(self, key: str, packet: dict) -> dict:
                return await self._queue.enqueue(key, packet)

            def handle_now(self, key: str, packet: dict) -> dict:
                return self._queue.enqueue_now(key, packet)

            def load(self) -> int:
                return self._queue.seen()
        """,
    "backend/relay/wiring.py": """
        from relay.depot import Depot
        from relay.engine import Conveyor
        from relay.services import Front, Gate, Queue


        def build() -> Front:
            conveyor = Conveyor(Depot())
            return Front(Queue(Gate(push=conveyor.push, push_now=conveyor.push_now)))
        """,
}


def test_every_way_into_a_layer_is_an_entry_not_only_the_one_the_routes_take(tmp_path):
    """The routes reach the async path only; the sync twins (one through a private helper)
    call the layer below too, so they are entries; a method that reaches no execution (a
    counter) is none."""
    table = build_proposal(discover(write_project(tmp_path, TWINS))).table
    services = table["services"]
    assert services["analysis"]["entry_methods"] == ["handle", "handle_now"]
    assert services["job_management"]["entry_methods"] == ["enqueue", "enqueue_now"]
    assert services["job_management"]["delegate_methods"] == ["forward", "forward_now"]
    assert services["plugin_management"]["entry_methods"] == ["forward", "forward_now"]
    assert services["plugin_management"]["delegate_attributes"] == ["_push", "_push_now"]
    assert table["runner"]["attributes"] == ["_push", "_push_now"]
    # `push_now` beside `push` is a second way in, judged on its own: no runner role.
    assert "also" not in table["runner"]


def test_a_runner_package_that_re_exports_the_runner_gets_a_contract_that_can_be_checked(tmp_path):
    """`relay/run/__init__.py` re-exports the runner module below it: the proposed gateway
    contract must not list that package as a gateway with everything below it (the contract
    type rejects a gateway that contains the protected module), and the compliant project
    keeps it."""
    files = {name: text for name, text in RELAY.items() if name != "backend/relay/engine.py"}
    files["backend/relay/run/__init__.py"] = "from relay.run.engine import Conveyor\n"
    files["backend/relay/run/engine.py"] = RELAY["backend/relay/engine.py"]
    files["backend/relay/wiring.py"] = RELAY["backend/relay/wiring.py"].replace(
        "from relay.engine import Conveyor", "from relay.run import Conveyor")
    project = write_project(tmp_path, files)
    written = run_phase12("init", "--write", ".", cwd=project)
    assert written.returncode == 0, written.stderr
    audited = run_phase12("audit", "--no-test-command", "--format", "json", ".", cwd=project)
    report = json.loads(audited.stdout)
    assert report["errors"] == [], report["errors"]
    assert {contract["status"] for contract in report["contracts"]} == {"kept"}
    assert "as_packages = false" in (project / "pyproject.toml").read_text(encoding="utf-8")


FUNCTIONS = {
    **RELAY,
    "backend/relay/intake.py": """
        from relay.services import Queue


        async def accept(queue: Queue, key: str, packet: dict) -> dict:
            return await queue.enqueue(key, packet)


        def describe(queue: Queue) -> str:
            return repr(queue)
        """,
    "backend/relay/portal.py": """
        from collections.abc import Awaitable, Callable
        from dataclasses import dataclass


        @dataclass(frozen=True)
        class Portal:
            intake: Callable[[str, dict], Awaitable[dict]]
        """,
    "backend/relay/wiring.py": """
        from functools import partial

        from relay import intake
        from relay.depot import Depot
        from relay.engine import Conveyor
        from relay.portal import Portal
        from relay.services import Gate, Queue


        def build() -> Portal:
            conveyor = Conveyor(Depot())
            return Portal(intake=partial(intake.accept, Queue(Gate(push=conveyor.push))))
        """,
    "backend/relay/api.py": """
        from typing import Annotated

        from fastapi import APIRouter, Depends, HTTPException, Request

        from relay.portal import Portal


        def get_portal(request: Request) -> Portal:
            return request.app.state.portal


        router = APIRouter()


        @router.post("/v1/relay/{key}")
        async def relay(key: str, body: dict,
                        portal: Annotated[Portal, Depends(get_portal)]) -> dict:
            result = await portal.intake(key, body)
            if "error" in result:
                raise HTTPException(status_code=400, detail=result["error"])
            return {"result": result, "plugin": key}
        """,
}


def test_a_layer_of_module_functions_handed_over_as_partials_is_a_layer(tmp_path):
    """The analysis layer is `relay.intake`'s functions, reached from the route through a
    dataclass field the wiring fills with `functools.partial(intake.accept, queue)`: it is the
    first service (no class), not a helper the chain looks through; the routes know its entry
    by the field's name."""
    discovery = discover(write_project(tmp_path, FUNCTIONS))
    chain = next(role for role in discovery.roles if role.name == "service chain")
    assert chain.value == "API -> relay.intake -> Queue -> Gate -> Conveyor.push"
    services = build_proposal(discovery).table["services"]
    assert services["analysis"]["class"] == ""
    assert services["analysis"]["module"] == "intake"
    # The routes call the field (`portal.intake(...)`), the layer's function is `accept`.
    assert services["analysis"]["entry_methods"] == ["intake", "accept"]
    assert services["job_management"]["class"] == "Queue"


def test_no_contract_is_proposed_over_modules_import_linter_cannot_see(tmp_path):
    """The services live in `relay/layers/` without an `__init__.py` inside the regular package
    `relay`: grimp's graph has no such modules, so a contract naming them could not be checked
    (an error in every audit); init proposes none and says what to add."""
    files = {name: text for name, text in RELAY.items() if name != "backend/relay/services.py"}
    files["backend/relay/layers/services.py"] = RELAY["backend/relay/services.py"]
    for name in ("backend/relay/wiring.py", "backend/relay/api.py"):
        files[name] = RELAY[name].replace("relay.services", "relay.layers.services")
    proposal = build_proposal(discover(write_project(tmp_path, files)))
    assert proposal.importlinter is None
    assert any("relay.layers inside a regular package has no __init__.py" in note
               for note in proposal.notes)


def test_a_method_the_execution_method_hands_the_work_to_executes_the_plugin_too(tmp_path):
    """An older base below the plugin base implements the execution method by calling its own
    abstract method, which its subclasses implement: calling that one executes a plugin too."""
    files = dict(RELAY)
    files["backend/relay/stages/older.py"] = """
        from abc import abstractmethod

        from relay.stages.base import Stage


        class OlderStage(Stage):
            def apply(self, packet: dict) -> dict:
                return self.transform(dict(packet))

            @abstractmethod
            def transform(self, packet: dict) -> dict:
                ...


        class Reverse(OlderStage):
            def transform(self, packet: dict) -> dict:
                return {key: value[::-1] for key, value in packet.items()}
        """
    table = build_proposal(discover(write_project(tmp_path, files))).table
    assert table["execution_methods"] == ["apply", "transform"]


def test_a_way_in_through_a_module_helper_or_an_executor_hand_off_is_an_entry(tmp_path):
    """The sync twins reach the layer below through a module function given the delegate
    (`_blocking(self._queue, ...)`) and through a function handed to a thread pool
    (`pool.submit(_drain, self._gate, ...)`): still ways in."""
    services = TWINS["backend/relay/services.py"]
    services = services.replace(
        "from collections.abc import Awaitable, Callable\n",
        "from collections.abc import Awaitable, Callable\n"
        "        from concurrent.futures import ThreadPoolExecutor\n")
    services = services.replace(
        "            def enqueue_now(self, key: str, packet: dict) -> dict:\n"
        "                return self._relay(key, packet)\n",
        "            def enqueue_now(self, key: str, packet: dict) -> dict:\n"
        "                return self._pool.submit(_drain, self._gate, key, packet).result()\n")
    services = services.replace(
        "                self._gate = gate\n                self._seen = 0\n",
        "                self._gate = gate\n                self._seen = 0\n"
        "                self._pool = ThreadPoolExecutor(max_workers=2)\n")
    services = services.replace(
        "            def handle_now(self, key: str, packet: dict) -> dict:\n"
        "                return self._queue.enqueue_now(key, packet)\n",
        "            def handle_now(self, key: str, packet: dict) -> dict:\n"
        "                return _blocking(self._queue, key, packet)\n")
    services += """

        def _drain(gate: Gate, key: str, packet: dict) -> dict:
            return gate.forward_now(key, packet)


        def _blocking(queue: Queue, key: str, packet: dict) -> dict:
            return queue.enqueue_now(key, packet)
        """
    assert "_blocking(self._queue" in services and "submit(_drain" in services
    table = build_proposal(discover(write_project(tmp_path, {**TWINS,
                                                             "backend/relay/services.py": services})))
    assert table.table["services"]["analysis"]["entry_methods"] == ["handle", "handle_now"]
    assert table.table["services"]["job_management"]["entry_methods"] == ["enqueue", "enqueue_now"]


def test_the_runners_sync_or_async_twin_is_another_runner_role_but_another_runner_method_is_not(
        tmp_path):
    engine = TWINS["backend/relay/engine.py"].replace(
        "async def push(", "async def push_async(").replace("def push_now(", "def push(")
    wiring = TWINS["backend/relay/wiring.py"].replace(
        "push=conveyor.push, push_now=conveyor.push_now",
        "push=conveyor.push_async, push_now=conveyor.push")
    assert engine != TWINS["backend/relay/engine.py"] and wiring != TWINS["backend/relay/wiring.py"]
    files = {**TWINS, "backend/relay/engine.py": engine, "backend/relay/wiring.py": wiring}
    table = build_proposal(discover(write_project(tmp_path, files))).table
    # Calling either is delegation: the twin is a runner role, not a delegate method.
    assert table["runner"]["method"] == "push_async"
    assert table["runner"]["also"] == ["engine:Conveyor.push"]
    assert table["services"]["plugin_management"]["delegate_methods"] == ["push_async"]


def test_the_runners_own_helpers_are_not_counted_as_bypasses(relay, tmp_path):
    """`Conveyor._drive`, which only the runner calls, executes the stage for it: a helper, not
    a bypass. A function of another module that executes stages is one."""
    runner = next(role for role in discover(relay).roles if role.name == "runner")
    assert "with its own helper(s) Conveyor._drive, which only the runner calls" in runner.reason
    assert "bypasses" not in runner.reason
    files = dict(RELAY)
    files["backend/relay/shortcut.py"] = """
        from relay.depot import Depot


        def preview(depot: Depot, key: str, packet: dict) -> dict:
            return depot.pick(key).apply(packet)
        """
    bypassed = next(role for role in discover(write_project(tmp_path / "relay", files)).roles
                    if role.name == "runner")
    assert "1 other function(s) also execute plugins (bypasses to fix?)" in bypassed.reason
