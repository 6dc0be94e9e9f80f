"""Plugins handed to helpers that execute them, one or two calls away."""
import threading

from helper_app import helpers, sandbox, wrappers
from helper_app.plugins import OcrPlugin, make_plugin


class Service:
    def direct_helper(self, payload):
        return helpers.execute(OcrPlugin(), payload)  # [direct-plugin-execution]  # expect: GOV101

    def two_levels(self, payload):
        chosen = make_plugin()
        return helpers.execute_twice(chosen, payload)  # [direct-plugin-execution]  # expect: GOV101

    def by_keyword(self, payload):
        return helpers.execute(payload=payload, p=OcrPlugin())  # [direct-plugin-execution]  # expect: GOV101

    def named_plugin(self, plugin, payload):
        return helpers.execute(plugin, payload)  # [direct-plugin-execution]  # expect: GOV101

    def through_a_module_without_run(self, payload):
        return wrappers.submit(OcrPlugin(), payload)  # [direct-plugin-execution]  # expect: GOV101

    def governed(self, payload):
        return sandbox.isolated(OcrPlugin(), payload)

    def lookalikes(self, payload):
        helpers.start(threading.Thread(target=print))
        helpers.execute(threading.Thread(target=print), payload)
        wrappers.log_and_submit(OcrPlugin(), payload)
        return helpers.describe(OcrPlugin())
