"""Helpers that execute filters, reached through a star import and through a module-level
definition under `if`: names the file's imports and top-level statements do not spell out."""

import sys

from pipeline.helpers import *  # noqa: F403  # pylint: disable=wildcard-import,unused-wildcard-import
from pipeline.library import FilterLibrary

if sys.version_info >= (3, 8):
    def hand_over(chosen, frame: bytes) -> bytes:
        return chosen.transform(frame)
else:  # pragma: no cover
    hand_over = None


def through_the_star(library: FilterLibrary, key: str, frame: bytes) -> bytes:
    return apply_filter(library.lookup(key), frame)  # noqa: F405  # expect: GOV101


def through_a_guarded_definition(library: FilterLibrary, key: str, frame: bytes) -> bytes:
    return hand_over(library.lookup(key), frame)  # expect: GOV101


def a_local_callable_is_not_a_project_function(library: FilterLibrary, key: str, frame: bytes):
    apply_filter = print  # noqa: F811  # shadows the helper: prints, executes nothing
    return apply_filter(library.lookup(key), frame)
