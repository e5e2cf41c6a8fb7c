"""`python -m service`: the command line (see service/cli.py)."""
from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
