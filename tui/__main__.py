"""`python -m tui` runs the same command as `vgtutor`."""

import sys

from tui.cli import main

sys.exit(main())
