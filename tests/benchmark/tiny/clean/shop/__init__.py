"""A tiny plugin server."""
