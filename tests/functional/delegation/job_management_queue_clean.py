# phase12-path: server/app/services/job_management_service.py
"""A job queue: submit_job only records the job; the worker delegates later."""
import queue
import threading
import uuid


class JobManagementService:
    def __init__(self, plugin_mgmt):
        self._plugin_mgmt = plugin_mgmt
        self._queue = queue.Queue()
        self._results = {}
        threading.Thread(target=self._work, daemon=True).start()

    def submit_job(self, plugin_name, payload):
        job_id = uuid.uuid4().hex
        self._queue.put((job_id, plugin_name, payload))
        return job_id

    def _work(self):
        while True:
            job_id, plugin_name, payload = self._queue.get()
            self._results[job_id] = self._plugin_mgmt.execute_plugin(plugin_name, payload)
