"""The checklist's test_analyze_endpoint_phase12_contract (the benchmark only needs it to exist)."""
