# phase12-path: src/pipeline/stage_runner.py
"""Output validation that a path gets around, or that sees a changed value.

The stages are looked up in a registry of the runner's own naming and recognised by what is
done with them (their `transform` runs), not by their names.
"""
import asyncio

from pipeline.checks import accept_job, accept_result
from pipeline.failures import failure_record


class StageRunner:
    def __init__(self, stages):
        self._stages = stages

    def perform(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            checked = accept_result(produced) if produced else {"rows": []}  # expect: GOV305
            return checked
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_lenient(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            try:
                checked = accept_result(produced)  # expect: GOV305
            except TypeError:
                checked = {"rows": []}
            return checked
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    async def perform_async(self, stage_id, job):
        try:
            accept_job(job)
            worker = self._stages.find(stage_id)
            produced = await asyncio.to_thread(worker.transform, job)
            if not produced:
                return {"rows": []}  # expect: GOV305
            return accept_result(produced)
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_or_skip(self, stage_id, job):
        try:
            accept_job(job)
            produced = self._stages.find(stage_id).transform(job)
            checked = produced is None or accept_result(produced)  # expect: GOV305
            return checked
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_defaulted(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            return accept_result(produced or {"rows": []})  # expect: GOV304
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_converted(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            rows = list(produced)
            return accept_result(rows)  # expect: GOV304
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_wrapped(self, stage_id, job):
        try:
            accept_job(job)
            produced = self._run_stage(self._stages.find(stage_id), job)
            return accept_result({"rows": produced})  # expect: GOV304
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def _run_stage(self, stage, job):
        return stage.transform(job)
