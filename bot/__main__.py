"""`python -m bot` is the `relevo` command, for environments without the console script."""

import sys

from bot.cli import main

sys.exit(main())
