"""Time from process start to the first drawn screen: vgtutor vs a minimal Textual app.

Each run starts a fresh Python process that builds the app, runs it headless at 80x24
and exits right after the first refresh, so the figure includes interpreter start-up,
imports, loading and validating the course, and the first layout. Goal: vgtutor at
most 1.3x the minimal app. Run: python bench/bench_startup.py [runs]
"""

from __future__ import annotations

import resource
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


def run_once(code: str, data_dir: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the child alone) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        stdout=subprocess.DEVNULL,
        env={"VGTUTOR_DATA_DIR": data_dir, "PATH": "/usr/bin:/bin"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    codes = {"minimal": MINIMAL, "vgtutor": VGTUTOR, "help": HELP, "bare": "pass"}
    walls: dict[str, list[float]] = {name: [] for name in codes}
    cpus: dict[str, list[float]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as data_dir:
        for _ in range(runs):  # interleaved, so a busy spell slows every program alike
            for name, code in codes.items():
                wall, cpu = run_once(code, data_dir)
                walls[name].append(wall)
                cpus[name].append(cpu)
    wall = {name: 1000 * statistics.median(values) for name, values in walls.items()}
    cpu = {name: 1000 * statistics.median(values) for name, values in cpus.items()}
    print(f"runs per figure: {runs} (medians; ms wall / ms CPU)")
    for name, label in (
        ("minimal", "minimal Textual app, 1st screen"),
        ("vgtutor", "vgtutor course map, 1st screen"),
        ("help", "vgtutor --help (goal < 100 ms)"),
        ("bare", "bare interpreter (baseline)"),
    ):
        print(f"{label:34s} {wall[name]:6.0f} / {cpu[name]:6.0f}")
    ratio_wall = wall["vgtutor"] / wall["minimal"]
    ratio_cpu = cpu["vgtutor"] / cpu["minimal"]
    print(f"ratio vgtutor / minimal (goal <= 1.3): {ratio_wall:.2f} wall, {ratio_cpu:.2f} CPU")


if __name__ == "__main__":
    main()
