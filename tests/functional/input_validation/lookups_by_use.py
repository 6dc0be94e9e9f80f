# phase12-path: src/imaging/filters/host.py
"""Lookups recognised by what their result is used for: the filter whose `apply` then runs,
directly, handed to a thread, or through a private helper, in a sync and an async twin."""
import asyncio

from imaging.checks import screen_image, screen_pixels
from imaging.failures import filter_failure


def _apply_on(chosen, image):
    return chosen.apply(image)


def apply_filter(shelf, filter_name, image):
    try:
        chosen = shelf.pick(filter_name)  # expect: GOV202
        screen_image(image)
        return screen_pixels(chosen.apply(image))
    except Exception as exc:
        return filter_failure(exc, filter_name)
    finally:
        shelf.tally(filter_name)


async def apply_filter_async(shelf, filter_name, image):
    try:
        found = shelf.slots[filter_name]  # expect: GOV202
        screen_image(image)
        pixels = await asyncio.to_thread(found.apply, image)
        return screen_pixels(pixels)
    except Exception as exc:
        return filter_failure(exc, filter_name)
    finally:
        shelf.tally(filter_name)


def apply_filter_twice(shelf, filter_name, image):
    try:
        screen_image(image)  # expect: GOV202
    except ValueError:
        image = {"pixels": b""}  # a lenient fallback: the failure never reaches the handler
    try:
        chosen = shelf.pick(filter_name)
        return screen_pixels(_apply_on(chosen, image))
    except Exception as exc:
        return filter_failure(exc, filter_name)
    finally:
        shelf.tally(filter_name)
