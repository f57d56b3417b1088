"""``python -m mlops_workbook``: the command line."""

import sys

from .cli import main

sys.exit(main())
