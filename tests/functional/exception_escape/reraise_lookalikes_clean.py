# phase12-path: server/app/services/tool_runner.py
"""Re-raising what `except Exception` never sees, best-effort cleanup, an augmented envelope."""
import asyncio
import contextlib
from typing import cast

from server.app.error_envelope import build_error_envelope
from server.app.validation import validate_input_payload, validate_plugin_output


class ToolRunner:
    def __init__(self, registry):
        self._registry = registry

    async def run(self, plugin_name, payload):
        try:
            validate_input_payload(payload)
            plugin = self._registry.get(plugin_name)
            return cast(dict, validate_plugin_output(await plugin.run(payload)))
        except (KeyboardInterrupt, SystemExit):
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return build_error_envelope(exc, plugin_name) | {"retryable": False}
        except BaseException:
            raise
        finally:
            self._registry.update_execution_metrics(plugin_name)
            with contextlib.suppress(Exception):
                await self._registry.flush()
                raise RuntimeError("ignored by suppress")
