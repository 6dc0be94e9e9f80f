"""Shared analysis helpers over the standard `ast`: file context, names, control flow."""
