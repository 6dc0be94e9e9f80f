"""Plugin-based image analysis server."""
