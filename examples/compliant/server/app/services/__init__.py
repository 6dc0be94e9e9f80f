"""The service layer, top to bottom: analysis, job management, plugin management."""
