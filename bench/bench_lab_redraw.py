"""Time a lab key press until the next frame, against a key the lab ignores, in one run.

Run: python bench/bench_lab_redraw.py [--repeats N]. Prints medians; not a test.
"idle key" is a Pilot key press the lab ignores until the screen is refreshed: the
harness's and Textual's own share. A setting change (`s`, a new seed: always a new
profile, never a cached one) at depth 50 and 200 is timed the same way, and given as a
multiple of the idle key (targets: 1.5x at depth 50, 3x at depth 200). "work" is the
part the lab itself does for that key (profile, models, plotext drawing), in wall and
CPU time; the compare view of 8 activations at depth 20 is timed as work (target
150 ms). CPU seconds (all threads) are given too: on a busy shared machine they move
less than wall time. Depths are set directly, so each row's label is what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from dataclasses import replace

from lessons.lab.runtime import tune_process

tune_process()  # as the app does, before numpy loads

from lessons.lab.lab_state import compare_key, compute  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.screens.lab import LabScreen  # noqa: E402
from tui.widgets.profile_view import ProfilePlot, ProfileView  # noqa: E402

DEPTHS = ((50, 1.5), (200, 3.0))
"""(depth, target multiple of the idle key)."""
COMPARE_TARGET_MS = 150


def ms(seconds: list[float]) -> float:
    return 1000 * statistics.median(seconds)


async def bench(repeats: int) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pack, lesson = app.course.lessons()[0]
        lab = LabScreen(pack, lesson)
        await app.push_screen(lab)
        await pilot.pause()
        plot = lab.query_one("#view-bars", ProfileView).query_one(ProfilePlot)
        idle, idle_cpu = [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press("f12")
            await pilot.pause()
            idle.append(time.perf_counter() - start)
            idle_cpu.append(time.process_time() - start_cpu)
        print(f"idle key to frame median {ms(idle):6.1f} ms (CPU {ms(idle_cpu):5.1f} ms)")
        for depth, target in DEPTHS:
            s = lab.settings
            lab.state.apply(replace(s, net=replace(s.net, depth=depth)))
            lab.redraw()
            await pilot.pause()
            work, work_cpu, key_to_frame, key_cpu = [], [], [], []
            for _ in range(repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                lab.action_setting("seed", 1)  # what `s` does: profile, models, strip
                plot.render()  # the plotext chart, as the next frame draws it
                work.append(time.perf_counter() - start)
                work_cpu.append(time.process_time() - start_cpu)
                start, start_cpu = time.perf_counter(), time.process_time()
                await pilot.press("s")
                await app.workers.wait_for_complete()  # a deep net's profile runs in a worker
                await pilot.pause()
                key_to_frame.append(time.perf_counter() - start)
                key_cpu.append(time.process_time() - start_cpu)
            print(
                f"depth {depth:3d}: setting key to frame median {ms(key_to_frame):6.1f} ms = "
                f"{ms(key_to_frame) / ms(idle):4.2f}x idle, CPU {ms(key_cpu):5.1f} ms = "
                f"{ms(key_cpu) / ms(idle_cpu):4.2f}x idle (target {target:g}x); "
                f"the lab's work {ms(work):6.1f} ms (CPU {ms(work_cpu):5.1f} ms), {plot.mode} plot"
            )
        s = replace(lab.settings, net=replace(lab.settings.net, depth=20), view="compare")
        compare, compare_cpu = [], []
        for seed in range(max(3, repeats // 4)):
            key = compare_key(replace(s, net=replace(s.net, seed=100 + seed)))
            start, start_cpu = time.perf_counter(), time.process_time()
            compute(key)
            compare.append(time.perf_counter() - start)
            compare_cpu.append(time.process_time() - start_cpu)
        print(
            f"compare 8 activations, depth 20: work median {ms(compare):6.1f} ms "
            f"(CPU {ms(compare_cpu):5.1f} ms; target {COMPARE_TARGET_MS} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=12)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    asyncio.run(bench(args.repeats))


if __name__ == "__main__":
    main()
