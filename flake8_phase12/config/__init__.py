"""The one configuration model, shared by the flake8 and pylint plugins and the `phase12` command."""

from flake8_phase12.config.loader import (
    ConfigError,
    clear_caches,
    config_for_file,
    config_from_mapping,
    load_config,
)
from flake8_phase12.config.model import Config

__all__ = ["Config", "ConfigError", "clear_caches", "config_for_file", "config_from_mapping",
           "load_config"]
