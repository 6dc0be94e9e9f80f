# phase12-path: src/studio/render/worker.py
"""The configured validators share a name with a function of the standard library, but the
project has its own (`studio.gates.to_thread`) and calls it: the name is a validator here, so a
function that skips it is reported."""
import asyncio

from studio.failures import render_failure
from studio.gates import to_thread


def render_scene(board, scene_id, scene):
    try:
        engine = board.lookup(scene_id)  # expect: GOV201
        frames = engine.prepare(scene)  # expect: GOV301
        return frames
    except Exception as exc:
        return render_failure(exc, scene_id)
    finally:
        board.note(scene_id)


async def render_scene_async(board, scene_id, scene):
    try:
        to_thread(scene)
        engine = board.lookup(scene_id)
        frames = await asyncio.to_thread(engine.prepare, scene)
        return to_thread(frames)
    except Exception as exc:
        return render_failure(exc, scene_id)
    finally:
        board.note(scene_id)
