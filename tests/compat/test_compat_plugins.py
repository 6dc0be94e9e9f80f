"""The plugin interface (GOV806) and exception contracts (GOV809)."""

from __future__ import annotations

BASE = '''
from abc import ABC, abstractmethod


class BasePlugin(ABC):
    name: str = "base"

    @abstractmethod
    def run(self, payload: dict) -> dict:
        ...

    def describe(self) -> str:
        return self.name


class OcrPlugin(BasePlugin):
    def run(self, payload: dict) -> dict:
        return {}
'''


def plugins(source: str) -> dict[str, str]:
    return {"app/__init__.py": "", "app/plugins.py": source}


def test_additive_plugin_interface_changes(compat_summary):
    new = BASE.replace('''    def describe(self) -> str:''', '''    def validate(self, payload: dict) -> None:
        """A default implementation: Phase 11 plugins need not define it."""

    def describe(self, verbose: bool = False) -> str:''')
    assert compat_summary(plugins(BASE), plugins(new)) == []


def test_changed_plugin_method_signature(compat_changes):
    new = BASE.replace("def run(self, payload: dict) -> dict:\n        ...",
                       "def run(self, payload: dict, context: dict) -> dict:\n        ...")
    changes = compat_changes(plugins(BASE), plugins(new))
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV806", "parameter-added-required", "app.plugins.BasePlugin.run")]
    assert changes[0].message == (
        "plugin interface app.plugins.BasePlugin.run changed: new parameter 'context' is required; "
        "give the new parameter a default (only optional parameters may be added)")


def test_removed_and_renamed_plugin_methods(compat_summary):
    removed = BASE.replace("    def describe(self) -> str:\n        return self.name\n", "")
    renamed = BASE.replace("def describe(self)", "def summary(self)")
    assert compat_summary(plugins(BASE), plugins(removed)) == [
        ("GOV806", "method-removed", "app.plugins.BasePlugin.describe")]
    assert compat_summary(plugins(BASE), plugins(renamed)) == [
        ("GOV806", "method-renamed", "app.plugins.BasePlugin.describe")]


def test_new_abstract_method_breaks_phase11_plugins(compat_changes):
    new = BASE.replace('''    def describe(self) -> str:''', '''    @abstractmethod
    def validate(self, payload: dict) -> None:
        ...

    def describe(self) -> str:''')
    changes = compat_changes(plugins(BASE), plugins(new))
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV806", "plugin-method-added", "app.plugins.BasePlugin.validate")]
    assert "new abstract method validate that Phase 11 plugins do not implement" in changes[0].message


def test_removed_plugin_base_class(compat_summary):
    new = BASE.replace("class BasePlugin(ABC):", "class PluginBase(ABC):").replace(
        "class OcrPlugin(BasePlugin):", "class OcrPlugin(PluginBase):").replace('name: str = "base"', "")
    assert compat_summary(plugins(BASE), plugins(new)) == [
        ("GOV803", "base-removed", "app.plugins.OcrPlugin"),  # isinstance(plugin, BasePlugin) breaks
        ("GOV806", "class-removed", "app.plugins.BasePlugin"),
    ]


def test_protocol_gaining_a_member(compat_summary):
    old = ("from typing import Protocol\n\n"
           "class Plugin(Protocol):\n    def run(self, payload: dict) -> dict: ...\n")
    new = old + "    def close(self) -> None: ...\n"
    assert compat_summary({"p.py": old}, {"p.py": new}) == [
        ("GOV806", "plugin-method-added", "p.Plugin.close")]


def test_configured_plugin_base_classes(compat_summary):
    old = "class Tool:\n    def execute(self, data):\n        pass\n"
    new = "class Tool:\n    def execute(self, data, options):\n        pass\n"
    assert compat_summary({"t.py": old}, {"t.py": new}) == [
        ("GOV803", "parameter-added-required", "t.Tool.execute")]
    assert compat_summary({"t.py": old}, {"t.py": new}, plugin_base_classes=["Tool"]) == [
        ("GOV806", "parameter-added-required", "t.Tool.execute")]


ERRORS = '''
class PluginError(Exception):
    pass


class PluginNotFoundError(PluginError, KeyError):
    pass


class Registry:
    def get(self, name):
        if name not in self.plugins:
            raise PluginNotFoundError(name)
        return self.plugins[name]
'''


def test_exception_class_losing_a_base(compat_changes):
    new = ERRORS.replace("class PluginNotFoundError(PluginError, KeyError):",
                         "class PluginNotFoundError(PluginError):")
    changes = compat_changes({"errors.py": ERRORS}, {"errors.py": new})
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV809", "base-removed", "errors.PluginNotFoundError")]
    assert "`except KeyError` handlers stop catching it" in changes[0].message


def test_exception_base_replaced_by_a_subclass_is_fine(compat_summary):
    new = ERRORS.replace("class PluginNotFoundError(PluginError, KeyError):",
                         "class LookupFailed(PluginError):\n    pass\n\n\n"
                         "class PluginNotFoundError(LookupFailed, KeyError):")
    assert compat_summary({"errors.py": ERRORS}, {"errors.py": new}) == []
    builtin = {"e.py": "class BadInput(ValueError):\n    pass\n"}
    narrower = {"e.py": "class BadInput(UnicodeError):\n    pass\n"}  # UnicodeError derives from ValueError
    assert compat_summary(builtin, narrower) == []


def test_function_raising_a_different_exception(compat_changes):
    new = ERRORS.replace("raise PluginNotFoundError(name)", "raise LookupError(name)")
    changes = compat_changes({"errors.py": ERRORS}, {"errors.py": new})
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV809", "exception-changed", "errors.Registry.get")]
    assert "no longer raises PluginNotFoundError (it raises LookupError now)" in changes[0].message


def test_raising_a_subclass_or_nothing_visible_is_fine(compat_summary):
    subclass = ERRORS + "\n\nclass UnknownPlugin(PluginNotFoundError):\n    pass\n"
    subclass = subclass.replace("raise PluginNotFoundError(name)", "raise UnknownPlugin(name)")
    delegated = ERRORS.replace("raise PluginNotFoundError(name)", "self._missing(name)")
    assert compat_summary({"errors.py": ERRORS}, {"errors.py": subclass}) == []
    assert compat_summary({"errors.py": ERRORS}, {"errors.py": delegated}) == []


def test_removed_exception_class_is_a_removal(compat_summary):
    new = ERRORS.replace("class PluginError(Exception):\n    pass\n", "").replace(
        "(PluginError, KeyError)", "(KeyError)")
    assert compat_summary({"errors.py": ERRORS}, {"errors.py": new}) == [
        ("GOV801", "class-removed", "errors.PluginError"),
        ("GOV809", "base-removed", "errors.PluginNotFoundError"),
    ]


def test_a_method_made_abstract_breaks_phase11_plugins(compat_changes):
    new = BASE.replace("    def describe(self) -> str:",
                       "    @abstractmethod\n    def describe(self) -> str:")
    changes = compat_changes(plugins(BASE), plugins(new))
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV806", "plugin-method-abstract", "app.plugins.BasePlugin.describe")]
    assert "method describe became abstract" in changes[0].message


def test_a_base_re_exported_by_its_package_is_compared_as_itself(compat_summary):
    """`from app.plugins.base import BasePlugin` in `app/plugins/__init__.py`: the public path
    and the defining one are the same class, and its Phase 11 members are the class's."""
    tree = {"app/__init__.py": "", "app/plugins/base.py": BASE,
            "app/plugins/__init__.py": "from app.plugins.base import BasePlugin\n"}
    assert compat_summary(tree, dict(tree)) == []
    new = dict(tree, **{"app/plugins/base.py": BASE.replace(
        "    def describe(self) -> str:", "    @abstractmethod\n    def check(self) -> None: ...\n\n"
        "    def describe(self) -> str:")})
    assert compat_summary(tree, new) == [
        ("GOV806", "plugin-method-added", "app.plugins.base.BasePlugin.check")]
