"""Without a terminal on stdin, stdout or stderr the app says what to run instead, exit 2.

Textual reads keys from stdin and draws on stderr; with any of them redirected it
would wait, unseen, for keys. These run the installed console script with a real
pseudo-terminal on the other streams and read what reached that terminal.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_term import VGTUTOR

STREAMS = ("stdin", "stdout", "stderr")


@pytest.fixture
def tty() -> Iterator[tuple[int, int]]:
    """A fresh pseudo-terminal: (master, child)."""
    master, child = pty.openpty()
    yield master, child
    os.close(child)
    os.close(master)


def drain(master: int) -> str:
    """Everything written to the terminal so far."""
    chunks = []
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("redirected", STREAMS)
def test_one_stream_not_a_terminal_exits_2_with_a_pointer(
    tty: tuple[int, int], tmp_path: Path, redirected: str
) -> None:
    if not VGTUTOR.exists():
        pytest.skip(f"the vgtutor console script is not installed at {VGTUTOR}")
    master, child = tty
    captured = tmp_path / "captured.txt"
    with captured.open("w+b") as file:
        streams = {name: child for name in STREAMS}
        streams[redirected] = subprocess.DEVNULL if redirected == "stdin" else file.fileno()
        result = subprocess.run(
            [str(VGTUTOR)],
            **streams,
            env={**os.environ, "VGTUTOR_DATA_DIR": str(tmp_path / "data")},
            timeout=30,  # a hang fails here instead of blocking the suite
        )
    assert result.returncode == 2
    shown = drain(master)  # the learner's terminal
    assert "vgtutor lab" in shown and "vgtutor check" in shown, shown
    assert "\x1b[" not in shown + captured.read_text()  # the app never started drawing
