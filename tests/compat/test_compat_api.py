"""Removed, renamed and moved public names and fields (GOV801, GOV802, GOV807, GOV808)."""

from __future__ import annotations

REGISTRY = """
class PluginRegistry:
    def __init__(self):
        self.plugins = {}
        self.last_used = None
        self._lock = None

    def get(self, name):
        return self.plugins[name]

    def names(self):
        return list(self.plugins)

    def _reindex(self):
        pass


def list_plugins(registry):
    return registry.names()


def _helper():
    pass


MAX_PLUGINS = 10
"""


def test_identical_trees_have_no_change(compat_report):
    report = compat_report({"app/__init__.py": "", "app/registry.py": REGISTRY},
                           {"app/__init__.py": "", "app/registry.py": REGISTRY})
    assert report.changes == []
    assert report.ok and report.exit_code == 0


def test_removed_function_method_class_constant_and_module(compat_summary):
    old = {"app/__init__.py": "", "app/registry.py": REGISTRY, "app/legacy.py": "def old(): pass\n",
           "app/models.py": "class Job:\n    pass\nclass Result:\n    pass\n"}
    new = {"app/__init__.py": "",
           "app/registry.py": REGISTRY.replace("def names(self):", "def _names(self, verbose):")
                                      .replace("def list_plugins(registry):",
                                               "def list_all(registry, extra):")
                                      .replace("MAX_PLUGINS = 10", ""),
           "app/models.py": "class Job:\n    pass\n"}
    assert compat_summary(old, new) == [
        ("GOV801", "class-removed", "app.models.Result"),
        ("GOV801", "function-removed", "app.registry.list_plugins"),
        ("GOV801", "method-removed", "app.registry.PluginRegistry.names"),
        ("GOV801", "module-attribute-removed", "app.registry.MAX_PLUGINS"),
        ("GOV801", "module-removed", "app.legacy"),
    ]


def test_a_removed_module_is_reported_once_not_per_member(compat_summary):
    old = {"app/__init__.py": "",
           "app/legacy.py": "def a(): pass\ndef b(): pass\nclass C:\n    def m(self): pass\n"}
    new = {"app/__init__.py": ""}
    assert compat_summary(old, new) == [("GOV801", "module-removed", "app.legacy")]


def test_private_names_may_change_freely(compat_summary):
    new_registry = REGISTRY.replace("def _reindex(self):", "def _rebuild(self, full):").replace(
        "def _helper():", "def _other_helper(x):").replace("self._lock = None", "")
    assert compat_summary({"app/__init__.py": "", "app/registry.py": REGISTRY},
                          {"app/__init__.py": "", "app/registry.py": new_registry}) == []


def test_additions_are_not_reported(compat_summary):
    new_registry = REGISTRY + "\n\ndef new_function(a, b):\n    pass\n\nclass NewClass:\n    x = 1\n"
    new_registry = new_registry.replace("        self._lock = None",
                                        "        self._lock = None\n        self.metrics = {}")
    new_registry = new_registry.replace(
        "    def _reindex(self):", "    def unregister(self, name):\n        pass\n\n    def _reindex(self):")
    old = {"app/__init__.py": "", "app/registry.py": REGISTRY}
    new = {"app/__init__.py": "", "app/registry.py": new_registry, "app/metrics.py": "def record(): pass\n",
           "app/extra/__init__.py": ""}
    assert compat_summary(old, new) == []


def test_rename_in_the_same_scope_is_reported_as_probable_rename(compat_changes):
    old = {"app/__init__.py": "",
           "app/jobs.py": "class JobService:\n    def submit(self, job):\n        pass\n"
                          "def make_job(name, payload=None):\n    pass\n"}
    new = {"app/__init__.py": "",
           "app/jobs.py": "class JobManager:\n    def submit(self, job):\n        pass\n"
                          "def create_job(name, payload=None):\n    pass\n"}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path, c.new) for c in changes] == [
        ("GOV802", "class-renamed", "app.jobs.JobService", "app.jobs.JobManager"),
        ("GOV802", "function-renamed", "app.jobs.make_job", "app.jobs.create_job"),
    ]
    assert "probably renamed to JobManager" in changes[0].message
    assert changes[0].file == "app/jobs.py" and changes[0].line == 1  # where the new name is


def test_rename_to_a_private_name_is_a_rename(compat_summary):
    old = {"app.py": "def helper(a, b):\n    pass\n"}
    new = {"app.py": "def _helper(a, b):\n    pass\n"}
    assert compat_summary(old, new) == [("GOV802", "function-renamed", "app.helper")]


def test_move_to_another_module_is_reported_as_moved(compat_changes):
    old = {"app/__init__.py": "", "app/errors.py": "class PluginError(Exception):\n    code = 1\n",
           "app/other.py": "X = 1\n"}
    new = {"app/__init__.py": "", "app/exceptions.py": "class PluginError(Exception):\n    code = 1\n",
           "app/other.py": "X = 1\n", "app/errors.py": ""}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV802", "class-moved", "app.errors.PluginError")]
    assert "app.exceptions.PluginError" in changes[0].message


def test_ambiguous_rename_candidates_stay_a_removal(compat_summary):
    old = {"app.py": "def a():\n    pass\n"}
    new = {"app.py": "def b():\n    pass\ndef c():\n    pass\n"}
    assert compat_summary(old, new) == [("GOV801", "function-removed", "app.a")]


def test_a_name_kept_as_an_alias_or_reexport_is_not_removed(compat_summary):
    old = {"app/__init__.py": "",
           "app/jobs.py": "class JobService:\n    def submit(self, job):\n        pass\n"}
    new = {"app/__init__.py": "",
           "app/manager.py": "class JobManager:\n    def submit(self, job):\n        pass\n",
           "app/jobs.py": "from app.manager import JobManager\n"
                          "from app.manager import JobManager as JobService\n"}
    assert compat_summary(old, new) == []


def test_modules_keep_their_import_names_under_a_source_root_the_project_names(compat_summary):
    """pytest's `pythonpath = ["server"]`: the package is `app`, not the namespace
    `server.app`, in the findings."""
    pyproject = '[tool.pytest.ini_options]\npythonpath = ["server"]\n'
    old = {"pyproject.toml": pyproject, "server/app/__init__.py": "",
           "server/app/jobs.py": "def submit(job):\n    pass\ndef cancel(job):\n    pass\n"}
    new = {**old, "server/app/jobs.py": "def submit(job):\n    pass\n"}
    assert compat_summary(old, new) == [("GOV801", "function-removed", "app.jobs.cancel")]


def test_a_module_logger_is_no_api(compat_summary):
    old = {"app.py": "import logging\nlog = logging.getLogger(__name__)\nLIMIT = 3\n"}
    new = {"app.py": "import logging\n"}
    assert compat_summary(old, new) == [("GOV801", "module-attribute-removed", "app.LIMIT")]


def test_package_reexport_without_all_is_public(compat_summary):
    old = {"app/__init__.py": "from app.core import Engine, run\n",
           "app/core.py": "class Engine:\n    pass\ndef run(x):\n    pass\n"}
    new = {"app/__init__.py": "from app.core import Engine\n",
           "app/core.py": "class Engine:\n    pass\ndef run(x):\n    pass\n"}
    assert compat_summary(old, new) == [("GOV801", "function-removed", "app.run")]


def test_dunder_all_decides_what_is_public(compat_summary):
    old = {"app.py": "__all__ = ['exported']\ndef exported():\n    pass\ndef unlisted():\n    pass\n"}
    new = {"app.py": "__all__ = ['exported']\ndef exported():\n    pass\n"}
    assert compat_summary(old, new) == []


def test_dropping_a_name_from_all_while_keeping_it_is_not_a_removal(compat_summary):
    old = {"app.py": "__all__ = ['a', 'b']\ndef a():\n    pass\ndef b():\n    pass\n"}
    new = {"app.py": "__all__ = ['a']\ndef a():\n    pass\ndef b():\n    pass\n"}
    assert compat_summary(old, new) == []


def test_exported_external_name_removed_from_all(compat_summary):
    old = {"app.py": "from json import dumps\n__all__ = ['dumps', 'f']\ndef f():\n    pass\n"}
    new = {"app.py": "__all__ = ['f']\ndef f():\n    pass\n"}
    assert compat_summary(old, new) == [("GOV801", "re-export-removed", "app.dumps")]


def test_public_reexport_of_a_private_module_compares_members_under_the_public_path(compat_summary):
    old = {"app/__init__.py": "from app._impl import Engine\n__all__ = ['Engine']\n",
           "app/_impl.py": "class Engine:\n    def run(self, payload):\n        pass\n"
                           "    def stop(self):\n        pass\n"}
    # The implementation moves between private modules: no change by itself...
    new = {"app/__init__.py": "from app._engine import Engine\n__all__ = ['Engine']\n",
           "app/_engine.py": "class Engine:\n    def run(self, payload, timeout):\n        pass\n"}
    # ...but what `app.Engine` offers did change.
    assert compat_summary(old, new) == [
        ("GOV801", "method-removed", "app.Engine.stop"),
        ("GOV803", "parameter-added-required", "app.Engine.run"),
    ]


def test_method_moved_to_a_base_class_is_still_there(compat_summary):
    old = {"app.py": "class Service:\n    def start(self, config):\n        pass\n"}
    new = {"app.py": "class BaseService:\n    def start(self, config):\n        pass\n"
                     "class Service(BaseService):\n    pass\n"}
    assert compat_summary(old, new) == []


def test_removed_instance_and_class_fields(compat_changes):
    new = REGISTRY.replace("        self.last_used = None\n", "")
    changes = compat_changes({"app/__init__.py": "", "app/registry.py": REGISTRY},
                             {"app/__init__.py": "", "app/registry.py": new})
    assert [(c.code, c.kind, c.object_path) for c in changes] == [
        ("GOV807", "field-removed", "app.registry.PluginRegistry.last_used")]
    assert changes[0].message.startswith("field last_used of app.registry.PluginRegistry was removed")
    assert changes[0].file == "app/registry.py" and changes[0].line == 4  # in the Phase 11 tree


def test_renamed_field_is_reported_as_probable_rename(compat_changes):
    old = {"app.py": "class Entry:\n    def __init__(self):\n        self.errors = 0\n"
                     "        self.name = ''\n"}
    new = {"app.py": "class Entry:\n    def __init__(self):\n        self.error_count = 0\n"
                     "        self.name = ''\n"}
    changes = compat_changes(old, new)
    assert [(c.code, c.kind, c.object_path, c.new) for c in changes] == [
        ("GOV808", "field-renamed", "app.Entry.errors", "error_count")]


def test_dataclass_field_removed_is_reported_once(compat_summary):
    old = {"app.py": "from dataclasses import dataclass\n@dataclass\nclass Entry:\n    name: str\n"
                     "    success_count: int = 0\n    last_used: float = 0.0\n"}
    new = {"app.py": "from dataclasses import dataclass\n@dataclass\nclass Entry:\n    name: str\n"
                     "    success_count: int = 0\n"}
    assert compat_summary(old, new) == [("GOV807", "field-removed", "app.Entry.last_used")]


def test_dataclass_new_field_with_default_is_additive_but_a_required_one_is_not(compat_summary):
    old = {"app.py": "from dataclasses import dataclass\n@dataclass\nclass Entry:\n    name: str\n"}
    optional = {"app.py": "from dataclasses import dataclass\n@dataclass\nclass Entry:\n    name: str\n"
                          "    state: str = 'idle'\n"}
    required = {"app.py": "from dataclasses import dataclass\n@dataclass\nclass Entry:\n    name: str\n"
                          "    state: str\n"}
    assert compat_summary(old, optional) == []
    assert compat_summary(old, required) == [("GOV803", "parameter-added-required", "app.Entry.__init__")]


def test_pydantic_field_names_on_the_wire(compat_changes, compat_summary):
    def order(field: str, config: str = "") -> dict[str, str]:
        return {"shop.py": "from pydantic import AliasChoices, BaseModel, ConfigDict, Field\n\n"
                           "class Order(BaseModel):\n" + (f"    model_config = {config}\n" if config else "")
                           + f"    item: str{field}\n    note: str = Field('', alias=NOTE)\n"}
    old = order("")
    renamed = order(" = Field(validation_alias='sku')")
    changes = compat_changes(old, renamed)
    assert [(c.code, c.kind, c.object_path, c.old, c.new) for c in changes] == [
        ("GOV803", "field-input-renamed", "shop.Order", "item", "'sku'")]
    assert "field item is read from 'sku' now, no longer from 'item'" in changes[0].message
    # Still accepted under the Phase 11 name: by AliasChoices, or because names populate too.
    assert compat_summary(old, order(" = Field(validation_alias=AliasChoices('item', 'sku'))")) == []
    assert compat_summary(old, order(" = Field(validation_alias='sku')",
                                     "ConfigDict(populate_by_name=True)")) == []
    assert compat_summary(old, order(" = Field(serialization_alias='sku')")) == [
        ("GOV803", "field-output-renamed", "shop.Order")]
    # `alias=NOTE`: a name the source does not spell, never judged.
    spelled = {"shop.py": old["shop.py"].replace("alias=NOTE", "alias='remark'")}
    assert compat_summary(old, spelled) == []


def test_pydantic_model_fields(compat_summary):
    old = {"app.py": "from pydantic import BaseModel\nclass Request(BaseModel):\n    image: str\n"
                     "    mime: str = 'image/png'\n    plugin: str = 'ocr'\n"}
    new = {"app.py": "from pydantic import BaseModel\nclass Request(BaseModel):\n    image: str\n"
                     "    mime: str\n    tenant: str\n    trace: bool = False\n"}
    assert compat_summary(old, new) == [
        ("GOV803", "field-added-required", "app.Request"),
        ("GOV803", "field-required", "app.Request"),
        ("GOV807", "field-removed", "app.Request.plugin"),
    ]


def test_enum_member_removed_is_a_removed_field(compat_summary):
    old = {"app.py": "import enum\nclass State(enum.Enum):\n    IDLE = 'idle'\n    SUCCESS = 'success'\n"
                     "    ERROR = 'error'\n"}
    new = {"app.py": "import enum\nclass State(enum.Enum):\n    IDLE = 'idle'\n    SUCCESS = 'success'\n"}
    assert compat_summary(old, new) == [("GOV807", "field-removed", "app.State.ERROR")]


def test_property_replaced_by_attribute_is_fine_but_by_method_is_not(compat_summary):
    old = {"app.py": "class Job:\n    @property\n    def status(self):\n        return 1\n"}
    attribute = {"app.py": "class Job:\n    def __init__(self):\n        self.status = 1\n"}
    method = {"app.py": "class Job:\n    def status(self):\n        return 1\n"}
    assert compat_summary(old, attribute) == []
    assert compat_summary(old, method) == [("GOV803", "kind-changed", "app.Job.status")]


def test_class_dropping_a_base_class(compat_summary):
    old = {"app.py": "class Base:\n    pass\nclass Service(Base):\n    pass\n"}
    new = {"app.py": "class Base:\n    pass\nclass Service:\n    pass\n"}
    assert compat_summary(old, new) == [("GOV803", "base-removed", "app.Service")]


def test_tests_and_tooling_directories_are_not_api(compat_summary):
    old = {"app/__init__.py": "", "app/tests/__init__.py": "", "app/tests/test_x.py": "def test_a(): pass\n",
           "tests/test_app.py": "def test_b(): pass\n", "setup.py": "def helper(): pass\n",
           ".venv/lib/mod.py": "def x(): pass\n", "build/lib/app/__init__.py": "def y(): pass\n",
           "docs/conf.py": "project = 'x'\n"}
    new = {"app/__init__.py": ""}
    assert compat_summary(old, new) == []
