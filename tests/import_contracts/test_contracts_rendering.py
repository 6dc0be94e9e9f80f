"""render_broken_contract output, captured from import-linter's console."""

from __future__ import annotations

import textwrap

import pytest
from _import_contracts_graphs import check_contract, make_graph, sole_gateway, strict_layers
from importlinter.application.output import console

LAYERS = ["app.api", "app.analysis", "app.jobs", "app.runner"]

# Long lines of the expected reports (the console is made wide, so they are not wrapped).
UPWARD_HINT = (
    "Hint: invert the dependency: move what app.runner needs from app.api into a lower layer "
    "or an allowed shared module, or pass it in from above."
)
SKIP_HINT = "Hint: go through app.analysis, the layer directly below app.api, instead of reaching app.runner."
SIBLING_HINT = (
    "Hint: c.x.a and c.x.b are independent siblings: move the shared code into a lower layer or "
    "a shared module, or separate them with ':' if they may depend on each other."
)
EXHAUSTIVE_NOTE = (
    "(Since this contract is marked as 'exhaustive', every child of every container must be "
    "declared as a layer, an allowed shared module or an exhaustive ignore.)"
)
GATEWAY_HINT = (
    "Hint: reach app.runner only through app.plugins; the last import of each route above is "
    "the one that bypasses the gateway. A module that only builds the runner to hand it over "
    "(a composition root) belongs in gateway_modules."
)


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Rich wraps at the terminal width (COLUMNS, tty size): fix it so long lines stay whole."""
    monkeypatch.setattr(console, "_width", 1000)


def render(contract, check) -> str:
    with console.capture() as capture:
        contract.render_broken_contract(check)
    return capture.get()


def test_strict_layers_report():
    graph = make_graph(
        [
            "app.api.views -> app.analysis:1",
            "app.analysis -> app.jobs:2",
            "app.jobs -> app.runner:3",
            "app.api.views -> app.runner:3",
            "app.api.views -> app.utils:4",
            "app.utils -> app.runner:5",
            "app.utils -> app.runner:9",
            "app.runner -> app.api:8",
        ]
    )
    contract = strict_layers(
        {"layers": LAYERS, "broken_contract_guidance": "Ask the architecture channel."}, ["app"]
    )

    output = render(contract, check_contract(contract, graph))

    assert output == textwrap.dedent(f"""\
        app.runner is not allowed to import app.api (upward import):

        - app.runner -> app.api (l.8)

        {UPWARD_HINT}


        app.api is not allowed to import app.runner (skips app.analysis and app.jobs):

        - app.api.views -> app.runner (l.3)

        - app.api.views -> app.utils (l.4)
          app.utils -> app.runner (l.5, l.9)

        {SKIP_HINT}


        Ask the architecture channel.

        """)


def test_strict_layers_report_for_siblings_and_undeclared_modules():
    graph = make_graph(["c.x.a -> c.x.b:2"], modules=["c.x.top", "c.x.low", "c.x.misc"])
    contract = strict_layers(
        {"layers": ["top", "a | b", "low"], "containers": ["c.x"], "exhaustive": "true"}, ["c"]
    )

    output = render(contract, check_contract(contract, graph))

    assert output == textwrap.dedent(f"""\
        c.x.a is not allowed to import c.x.b (independent siblings):

        - c.x.a -> c.x.b (l.2)

        {SIBLING_HINT}


        The following modules are not listed as layers:

        - c.x.misc

        {EXHAUSTIVE_NOTE}

        """)


def test_sole_gateway_report():
    graph = make_graph(
        [
            "app.jobs -> app.plugins:1",
            "app.plugins -> app.runner:2",
            "app.api.views -> app.runner.core:3",
            "app.api.views -> app.runner:7",
            "app.main -> app.utils:4",
            "app.utils -> app.runner:5",
        ]
    )
    contract = sole_gateway(
        {"protected_modules": ["app.runner"], "gateway_modules": ["app.plugins"]}, ["app"]
    )

    output = render(contract, check_contract(contract, graph))

    assert output == textwrap.dedent(f"""\
        Only app.plugins may import app.runner.

        app.api.views is not allowed to import app.runner:

        - app.api.views -> app.runner (l.7)

        app.api.views is not allowed to import app.runner.core:

        - app.api.views -> app.runner.core (l.3)

        app.utils is not allowed to import app.runner:

        - app.utils -> app.runner (l.5)

        app.main is not allowed to reach app.runner except through a gateway:

        - app.main -> app.utils (l.4)
          app.utils -> app.runner (l.5)

        {GATEWAY_HINT}


        """)


def test_unknown_line_numbers_render_as_question_marks():
    graph = make_graph(["app.api -> app.runner"], modules=LAYERS)
    contract = strict_layers({"layers": LAYERS}, ["app"])

    assert "- app.api -> app.runner (l.?)" in render(contract, check_contract(contract, graph))
