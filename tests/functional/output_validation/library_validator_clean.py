# phase12-path: src/studio/render/worker.py
"""A configuration that names a function of the standard library as both validators (as a
guess can): the file only calls it as `asyncio.to_thread`, so it validates nothing here and the
section 2 and 3 rules say nothing rather than report every function as unvalidated."""
import asyncio

from studio.failures import render_failure


def render_scene(board, scene_id, scene):
    try:
        engine = board.lookup(scene_id)
        frames = engine.prepare(scene)
        return board.check_frames(frames)
    except Exception as exc:
        return render_failure(exc, scene_id)
    finally:
        board.note(scene_id)


async def render_scene_async(board, scene_id, scene):
    try:
        engine = board.lookup(scene_id)
        frames = await asyncio.to_thread(engine.prepare, scene)
        return board.check_frames(frames)
    except Exception as exc:
        return render_failure(exc, scene_id)
    finally:
        board.note(scene_id)
