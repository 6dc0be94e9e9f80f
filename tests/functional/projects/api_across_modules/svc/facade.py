"""The analysis service: a (result, error) pair per analysis, from the job layer below it."""


class Facade:
    def __init__(self, jobs) -> None:
        self._jobs = jobs

    def analyze(self, name: str, payload: dict) -> tuple[dict | None, dict | None]:
        return self._jobs.run_job(name, payload)
