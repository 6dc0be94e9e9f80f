# phase12-path: server/app/services/analysis_service.py
"""An analysis service whose entry method never reaches job management."""
from server.app import legacy_pipeline


class AnalysisService:
    def __init__(self, job_mgmt):
        self._job_mgmt = job_mgmt

    def analyze(self, plugin_name, payload):  # expect: GOV605
        return legacy_pipeline.process(plugin_name, payload)
