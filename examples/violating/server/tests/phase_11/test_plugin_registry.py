"""The plugin registry's public behaviour."""

from __future__ import annotations

from datetime import datetime

import pytest

from server.app import plugin_registry
from server.app.plugin_registry import PluginNotFoundError, PluginRegistry, PluginState
from server.app.plugins.metadata import ImageMetadataPlugin
from server.app.plugins.motion import MotionPlugin


@pytest.fixture
def registry() -> PluginRegistry:
    registry = PluginRegistry()
    registry.register(ImageMetadataPlugin())
    registry.register(MotionPlugin())
    return registry


def test_default_registry_holds_the_builtin_plugins():
    registry = plugin_registry.build_default_registry()
    assert registry.names() == ["metadata", "motion", "ocr"]


def test_get_returns_the_registered_plugin(registry):
    plugin = registry.get("motion")
    assert isinstance(plugin, MotionPlugin)
    assert "motion" in registry and len(registry) == 2


def test_unknown_plugin_raises_plugin_not_found(registry):
    with pytest.raises(PluginNotFoundError) as caught:
        registry.get("nope")
    assert isinstance(caught.value, KeyError)
    assert caught.value.plugin_name == "nope"
    assert "nope" in str(caught.value)


def test_duplicate_names_are_rejected(registry):
    with pytest.raises(ValueError):
        registry.register(MotionPlugin())


def test_unregister_removes_the_plugin(registry):
    registry.unregister("motion")
    assert registry.names() == ["metadata"]
    with pytest.raises(PluginNotFoundError):
        registry.unregister("motion")


def test_record_fields(registry):
    record = registry.record("metadata")
    assert record.name == "metadata"
    assert record.version == ImageMetadataPlugin.version
    assert record.state == PluginState.REGISTERED
    assert isinstance(record.registered_at, datetime)
    assert isinstance(record.plugin, ImageMetadataPlugin)


def test_describe_all_lists_every_plugin(registry):
    described = registry.describe_all()
    assert [entry["name"] for entry in described] == ["metadata", "motion"]
    for entry in described:
        assert {"name", "version", "description", "state", "registered_at"} <= entry.keys()
