"""Long command-line runs: a cap on their length, a progress bar, and Ctrl+C that stops.

`vgtutor lab --train N` can take minutes. Above MAX_TRAIN_STEPS it is refused (exit 2)
before anything runs; a run that lasts more than SHOW_AFTER seconds draws a one-line bar
on stderr when stderr is a terminal (pipes and files get nothing); Ctrl+C asks the run
to stop after its current step so the caller prints what was computed so far.
Standard library only.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, TextIO

MAX_TRAIN_STEPS = 5_000
"""About 30 s of CPU for the default 10-layer net (6 ms a step); longer runs took minutes
with no way to tell how far they had got."""
SHOW_AFTER = 1.0
REDRAW_EVERY = 0.1
BAR_WIDTH = 30
STOPPED_EXIT = 130
"""The shell's status for a run ended by Ctrl+C (128 + SIGINT)."""


class LongRun:
    """Progress and Ctrl+C for one run of `total` steps, as a context manager.

    Pass `on_step` and `should_stop` to the lab; after the block, `stopped` says whether
    Ctrl+C ended the run early.
    """

    def __init__(
        self,
        what: str,
        total: int,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total = what, total
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock
        self.stopped = False
        self._started = 0.0
        self._drawn_at: float | None = None
        self._previous: Any = None

    def __enter__(self) -> LongRun:
        self._started = self.clock()
        self._previous = signal.signal(signal.SIGINT, self._interrupt)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        signal.signal(signal.SIGINT, self._previous)
        if self._drawn_at is not None:
            self.stream.write("\r\x1b[K")  # leave the terminal line as it was
            self.stream.flush()

    def _interrupt(self, signum: int, frame: FrameType | None) -> None:
        self.stopped = True

    def should_stop(self) -> bool:
        return self.stopped

    def on_step(self, step: int, record: object = None) -> None:
        """Redraw the bar (at most every REDRAW_EVERY s, once SHOW_AFTER s have passed)."""
        now = self.clock()
        elapsed = now - self._started
        if elapsed < SHOW_AFTER or not self.stream.isatty():
            return
        if self._drawn_at is not None and now - self._drawn_at < REDRAW_EVERY:
            return
        self._drawn_at = now
        self.stream.write("\r" + progress_line(self.what, step, self.total, elapsed))
        self.stream.flush()


def progress_line(what: str, step: int, total: int, elapsed: float) -> str:
    """One line: "training [#####.....] 120/300 steps, 3 s, Ctrl+C stops" (7-bit ASCII)."""
    filled = BAR_WIDTH * step // total
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    return f"{what} [{bar}] {step}/{total} steps, {elapsed:.0f} s, Ctrl+C stops"
