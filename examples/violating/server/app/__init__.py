"""The application: HTTP API, service layer, plugin registry and plugins.

Importing this package has no side effects; the ASGI application is built in `server.main`.
"""
