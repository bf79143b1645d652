"""The process textual-serve starts for one browser session: the app for one learner.

Run as `python -m tui.commands.served_app --data-dir DIR [--pack P ...]`. It opens the
app directly, because `vgtutor` itself declines to start the app when its input and
output are not a terminal, and under textual-serve they are pipes. Progress goes to DIR,
the learner's own folder, so the app's "reset progress" can only reset that learner's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SERVED_ICON = "∂"
"""The header icon in a browser. Textual's own (U+2B58) is in no font the page serves,
so it would be a blank box; Roboto Mono has this one (and it is the lessons' symbol)."""


def main(argv: list[str]) -> int:
    from lessons.lab.runtime import tune_process

    tune_process()
    parser = argparse.ArgumentParser(prog="python -m tui.commands.served_app")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--pack", action="append", default=[], type=Path)
    args = parser.parse_args(argv)

    from tui.app import make_app

    use_served_icon()
    app = make_app(packs=args.pack, data_dir=args.data_dir)
    app.run()
    return app.return_code or 0


def use_served_icon() -> None:
    """Make SERVED_ICON the header icon of every screen this process draws.

    Textual has no app-wide setting for it and the screens build plain `Header()`s, so
    the default of the `Header.icon` reactive is changed (before any Header exists, so
    no screen ever shows the blank box, not even for one frame).
    """
    from textual.widgets import Header

    Header.__dict__["icon"]._default = SERVED_ICON


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
