"""Long `vgtutor lab --train` runs: a cap, a progress bar on a terminal, Ctrl+C that stops."""

from __future__ import annotations

import io
import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from tui.cli import main
from tui.commands.long_run import MAX_TRAIN_STEPS, STOPPED_EXIT, LongRun, progress_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_run_above_the_cap_is_refused_before_it_starts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lab", "--train", str(MAX_TRAIN_STEPS + 1)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"vgtutor lab: error: --train: at most {MAX_TRAIN_STEPS} steps here (longer runs take "
        f"minutes); got {MAX_TRAIN_STEPS + 1}\n"
    )


def test_the_bar_shows_only_after_a_second_and_is_cleared_at_the_end() -> None:
    clock, stream = Clock(), Terminal()
    with LongRun("training", 300, stream, clock) as run:
        clock.now += 0.5
        run.on_step(1)
        assert stream.getvalue() == ""
        clock.now += 0.6
        run.on_step(150)
        assert stream.getvalue() == "\r" + progress_line("training", 150, 300, 1.1)
        clock.now += 0.01
        run.on_step(151)  # too soon to redraw
        assert stream.getvalue().count("\r") == 1
    assert stream.getvalue().endswith("\r\x1b[K")
    assert progress_line("training", 150, 300, 1.1) == (
        "training [###############...............] 150/300 steps, 1 s, Ctrl+C stops"
    )


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    clock, stream = Clock(), io.StringIO()
    with LongRun("training", 10, stream, clock) as run:
        clock.now += 5
        run.on_step(5)
    assert stream.getvalue() == ""


def test_ctrl_c_inside_the_block_asks_the_run_to_stop_and_is_restored_after() -> None:
    before = signal.getsignal(signal.SIGINT)
    with LongRun("training", 10, io.StringIO()) as run:
        assert not run.should_stop()
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)
        assert run.should_stop() and run.stopped
    assert signal.getsignal(signal.SIGINT) is before


def read_until(fd: int, words: bytes, timeout: float) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while words not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


@pytest.mark.slow
def test_a_long_run_shows_progress_on_a_terminal_and_ctrl_c_prints_the_partial_result() -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "lab", "--train", str(MAX_TRAIN_STEPS), "--size", "80x24"],
        stdout=subprocess.PIPE,
        stderr=secondary,
        stdin=subprocess.DEVNULL,
    )
    os.close(secondary)
    try:
        seen = read_until(primary, b"Ctrl+C stops", timeout=90)
        assert b"training [" in seen and f"/{MAX_TRAIN_STEPS} steps".encode() in seen
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        rest = read_until(primary, b"stopped by Ctrl+C after", timeout=10)
    finally:
        proc.kill()
        os.close(primary)
    assert proc.returncode == STOPPED_EXIT
    text = out.decode()
    assert "weight gradient ||dL/dW|| per layer after step" in text
    assert f"stopped by Ctrl+C, {MAX_TRAIN_STEPS} steps asked" in text
    assert b"vgtutor lab: stopped by Ctrl+C after " in seen + rest
    assert b"Traceback" not in seen + rest
