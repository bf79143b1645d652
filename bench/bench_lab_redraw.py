"""Time a lab control change until the bars are redrawn (target: well under 100 ms).

Run: python bench/bench_lab_redraw.py [--repeats N]. Prints medians; not a test.
Two numbers per setting: "redraw" is the work a key press triggers (one gradient
profile, the control strip, the plotext bar chart rendered to text); "key to frame"
is a Pilot key press until the screen has been refreshed, which adds Textual's message
handling, layout and compositing; "idle key" is the same for a key the lab ignores,
the harness's own share of that time. Redraw is also given in CPU seconds of this
process, which a busy shared machine inflates less than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from lessons.lab.runtime import tune_process

tune_process()  # as the app does, before numpy loads

from tui.app import make_app  # noqa: E402
from tui.screens.lab import LabScreen  # noqa: E402
from tui.widgets.gradient_bars import GradientBars  # noqa: E402

SETTINGS = [("depth 10", 0), ("depth 20", 1), ("depth 50", 3)]
"""(label, presses of `d` from the lesson 1 preset's depth 10)."""


async def bench(repeats: int) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pack, lesson = app.course.lessons()[0]
        lab = LabScreen(pack, lesson)
        await app.push_screen(lab)
        await pilot.pause()
        chart = lab.query_one("#lab-bars", GradientBars)
        idle = []
        for _ in range(repeats):
            start = time.perf_counter()
            await pilot.press("f12")
            await pilot.pause()
            idle.append(time.perf_counter() - start)
        print(f"idle key to frame median {1000 * statistics.median(idle):6.1f} ms")
        for label, deeper in SETTINGS:
            for _ in range(deeper):
                await pilot.press("d")
            redraw, redraw_cpu, key_to_frame = [], [], []
            for _ in range(repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                lab.action_next_activation()  # what `a` does: profile + strip + bars
                chart.render()  # the plotext chart, as the next frame draws it
                redraw.append(time.perf_counter() - start)
                redraw_cpu.append(time.process_time() - start_cpu)
                start = time.perf_counter()
                await pilot.press("a")
                await pilot.pause()
                key_to_frame.append(time.perf_counter() - start)
            print(
                f"{label:>9}: redraw median {1000 * statistics.median(redraw):6.1f} ms "
                f"(CPU {1000 * statistics.median(redraw_cpu):5.1f} ms), "
                f"key to frame median {1000 * statistics.median(key_to_frame):6.1f} ms "
                f"({repeats} changes each)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=24)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    asyncio.run(bench(args.repeats))


if __name__ == "__main__":
    main()
