# phase12-path: server/tests/phase_12/test_plugins.py
"""Tests call plugins directly on purpose, and are excluded by default."""


def test_plugin_runs(plugin):
    assert plugin.run({"image": b"x"}) is not None
