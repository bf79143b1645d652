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

    from textual.screen import Screen
    from textual.widgets import Header

    from tui.app import make_app

    app = make_app(packs=args.pack, data_dir=args.data_dir)

    def show_served_icon(screen: Screen[object]) -> None:
        for header in screen.query(Header):
            header.icon = SERVED_ICON

    def watch_screens() -> None:
        app.screen_change_signal.subscribe(app, show_served_icon, immediate=True)
        app.call_after_refresh(show_served_icon, app.screen)

    app.call_later(watch_screens)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
