"""Time from process start to the first drawn screen: vgtutor vs a minimal Textual app.

Each run starts a fresh Python process that builds the app, runs it headless at 80x24
and exits right after the first refresh, so the figure includes interpreter start-up,
imports, loading and validating the course, and the first layout. Goal: vgtutor at
most 1.3x the minimal app. Run: python bench/bench_startup.py [runs]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, OptionList

class Minimal(App):
    def compose(self):
        yield Header()
        yield OptionList(*[f"lesson {i}" for i in range(12)])
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True, size=(80, 24))
"""

VGTUTOR = """
import os
from lessons.lab.runtime import tune_process
tune_process()
from tui.app import make_app

app = make_app()

def first_screen_then_exit():
    app.call_after_refresh(app.exit)

app.call_later(first_screen_then_exit)
app.run(headless=True, size=(80, 24))
"""

HELP = "from tui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"


def median_seconds(code: str, runs: int, data_dir: str) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            stdout=subprocess.DEVNULL,
            env={"VGTUTOR_DATA_DIR": data_dir, "PATH": "/usr/bin:/bin"},
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as data_dir:
        minimal = median_seconds(MINIMAL, runs, data_dir)
        vgtutor = median_seconds(VGTUTOR, runs, data_dir)
        help_time = median_seconds(HELP, runs, data_dir)
    print(f"runs per figure:                 {runs}")
    print(f"minimal Textual app, 1st screen: {minimal * 1000:7.0f} ms (median)")
    print(f"vgtutor course map, 1st screen:  {vgtutor * 1000:7.0f} ms (median)")
    print(f"ratio (goal <= 1.3):             {vgtutor / minimal:7.2f}")
    print(f"vgtutor --help (goal < 100 ms):  {help_time * 1000:7.0f} ms (median)")


if __name__ == "__main__":
    main()
