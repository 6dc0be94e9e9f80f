"""flake8-phase12: mechanical enforcement of the Phase 12 execution-governance checklist.

Kept free of imports on purpose: flake8 imports this package for every run, and the flake8
plugin's import time is part of every editor keystroke.
"""

__version__ = "0.1.0"
