# phase12-path: src/imaging/filters/host.py
"""The twins validate first, whatever their local names; values from the standard library and
lookups that serve the error report are not plugin lookups."""
import asyncio
import contextvars

from imaging.checks import screen_image, screen_pixels
from imaging.failures import filter_failure


def _apply_on(chosen, image):
    return chosen.apply(image)


def apply_filter(shelf, filter_name, image):
    context = contextvars.copy_context()
    try:
        screen_image(image)
        chosen = shelf.pick(filter_name)
        return screen_pixels(context.run(_apply_on, chosen, image))
    except Exception as exc:
        return filter_failure(exc, shelf.describe(filter_name))
    finally:
        shelf.tally(filter_name)


async def apply_filter_async(shelf, filter_name, image):
    loop = asyncio.get_running_loop()
    try:
        screen_image(image)
        found = shelf.slots[filter_name]
        pixels = await loop.run_in_executor(None, _apply_on, found, image)
        return screen_pixels(pixels)
    except Exception as exc:
        return filter_failure(exc, filter_name)
    finally:
        shelf.tally(filter_name)


def describe_filter(shelf, filter_name):
    # Looks a filter up without running it: not a way in.
    return shelf.pick(filter_name).summary()
