"""`python -m flake8_phase12` runs the `phase12` command."""

import sys

from flake8_phase12.cli import main

sys.exit(main())
