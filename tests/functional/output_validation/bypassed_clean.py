# phase12-path: src/pipeline/stage_runner.py
"""Output validation on every path from the execution to the success return, on the value the
stage returned: the shapes a runner may legitimately take."""
import asyncio

from pipeline.checks import accept_job, accept_result
from pipeline.failures import failure_record


def _drive(stage, job):
    return stage.transform(job)


class StageRunner:
    def __init__(self, stages, executor):
        self._stages = stages
        self._executor = executor

    def perform(self, stage_id, job):
        if stage_id is None:
            return {"rows": []}  # before any execution: nothing to validate
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            checked = accept_result(produced)
            notes = produced.get("notes") if isinstance(produced, dict) else None
            return {"result": checked, "notes": notes or []}
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_with_fallback(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            try:
                produced = stage.transform(job)
            except NotImplementedError:
                return accept_result(stage.transform(dict(job, legacy=True)))
            return accept_result(produced["payload"])
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_strict(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = stage.transform(job)
            try:
                checked = accept_result(produced)
            except TypeError as exc:
                raise ValueError(f"stage {stage_id} returned {type(produced).__name__}") from exc
            return checked
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_many(self, stage_ids, job):
        results = []
        for stage_id in stage_ids:
            try:
                accept_job(job)
                stage = self._stages.find(stage_id)
                results.append(accept_result(stage.transform(job)))
            except Exception as exc:
                results.append(failure_record(exc, stage_id))
            finally:
                self._stages.note_run(stage_id)
        return results

    async def perform_async(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            loop = asyncio.get_running_loop()
            pending = loop.run_in_executor(None, _drive, stage, job)
            produced = await asyncio.wait_for(pending, timeout=job.get("timeout") or 5.0)
            return accept_result(produced)
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    def perform_elsewhere(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = self._executor(stage, job)
            return accept_result(produced, stage=stage_id or "unknown")
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)

    async def perform_off_the_loop(self, stage_id, job):
        try:
            accept_job(job)
            stage = self._stages.find(stage_id)
            produced = await asyncio.to_thread(stage.transform, job)
            return await asyncio.to_thread(accept_result, produced)
        except Exception as exc:
            return failure_record(exc, stage_id)
        finally:
            self._stages.note_run(stage_id)
