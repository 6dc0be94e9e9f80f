# phase12-path: server/app/services/job_management_service.py
"""With the audit layer in the chain, job management calling plugin management skips it."""
from server.app.services.audit_service import AuditService
from server.app.services.plugin_management_service import PluginManagementService  # expect: GOV609


class JobManagementService:
    def __init__(self, audit: AuditService):
        self._audit = audit

    def run_job(self, plugin_name, payload):
        return self._audit.audited(plugin_name, payload)

    def run_unaudited(self, registry, plugin_name, payload):
        return PluginManagementService(registry).execute_plugin(plugin_name, payload)  # expect: GOV609
