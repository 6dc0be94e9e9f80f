# phase12-path: server/app/services/plugin_management_service.py
"""A direct execution whose method name follows a line continuation: the text pre-filter must
still see `.run`, or flake8 would not even load GOV101's analysis for this file."""


class PluginManagementService:
    def execute_plugin(self, plugin, payload):
        return (plugin  # expect: GOV101
                .\
                run(payload))
