"""No execution method is mentioned here; the helper it calls executes the plugin."""
from helper_app.helpers import execute as execute_now


def submit(job, payload):
    return execute_now(job, payload)


def log_and_submit(job, payload):
    print(job)
    return len(str(payload))
