# phase12-path: server/app/services/audit_service.py
"""The audit layer, added to the chain, reaching past plugin management to the runner."""
from server.app.services.tool_runner import ToolRunner  # expect: GOV609


class AuditService:
    def __init__(self, plugin_mgmt, registry):
        self._plugin_mgmt = plugin_mgmt
        self._registry = registry

    def audited(self, plugin_name, payload):
        return self._plugin_mgmt.execute_plugin(plugin_name, payload)

    def quick(self, plugin_name, payload):
        return ToolRunner(self._registry).run(plugin_name, payload)  # expect: GOV609
