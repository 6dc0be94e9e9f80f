"""Analysis plugins.

Implementations are registered by `server.app.plugin_registry.build_default_registry`; nothing
else imports them.
"""
