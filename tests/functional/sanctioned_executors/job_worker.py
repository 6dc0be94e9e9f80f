# phase12-path: src/shop/jobs/worker.py
"""A job worker that runs steps in the sandbox and the legacy runner itself."""
import asyncio
import functools

from shop.legacy import v11
from shop.sandbox import jail
from shop.sandbox.jail import confine
from shop.sandbox.jail import confine as boxed


def work(job):
    return confine(job.step, job.args, seconds=2.0)  # expect: GOV102


def work_through_module(job):
    return jail.confine(job.step, job.args)  # expect: GOV102


def work_later(job):
    return functools.partial(boxed, job.step)  # expect: GOV102


async def work_off_loop(job):
    return await asyncio.to_thread(confine, job.step, job.args)  # expect: GOV102


def work_the_old_way(job):
    return v11.run_classic(job.name, job.args)  # expect: GOV102
