"""``python -m mlops_workbook``: the command line."""

import sys

from mlops_workbook.cli.main import main

sys.exit(main())
