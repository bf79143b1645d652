"""A real terminal for end-to-end tests: vgtutor in tmux on a private socket.

Pilot tests run the app without a terminal; these start the console script next to
sys.executable inside a detached tmux session, type with `send-keys`, read the screen
with `capture-pane -p`, and record the bytes the app writes with `pipe-pane`. Every
wait is a bounded poll, so a test is as fast as the app and fails with the screen it
last saw instead of hanging.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

TMUX = shutil.which("tmux")
VGTUTOR = Path(sys.executable).parent / "vgtutor"
WAIT = 15.0
"""Seconds any single wait may take before the test fails."""
POLL = 0.05

# Runs the app, then records how it ended: exit status and the terminal modes (stty)
# it left behind. It waits for `go` so pipe-pane is attached before the first byte.
WRAPPER = """\
cd "$1" || exit 99
while [ ! -e go ]; do sleep 0.02; done
shift
"$@"
echo $? > rc.tmp && mv rc.tmp rc
stty -a > stty 2>&1
echo E2E-EXITED
"""
_TMUX_ENV = {name: value for name, value in os.environ.items() if name != "TMUX"}
"""Our server is private even when the tests themselves run inside tmux."""
TMUX_CONF = "set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n"


def _runs_vgtutor(pid: int) -> bool:
    """Whether `pid` is still our vgtutor (and not a process that reused the number)."""
    try:
        return str(VGTUTOR).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class Term:
    """One tmux server (private socket) with one window running vgtutor."""

    def __init__(self, folder: Path, width: int, height: int) -> None:
        self.folder = folder
        self.socket = f"vgtutor-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.size = (width, height)
        self.output = folder / "output.bin"
        self.data_dir = folder / "data"
        self.started = 0.0
        self.socket_path: Path | None = None

    # -- tmux --------------------------------------------------------------------------

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        result = subprocess.run(
            [TMUX, "-L", self.socket, "-f", str(self.folder / "tmux.conf"), *args],
            capture_output=True,
            text=True,
            timeout=10,
            env=_TMUX_ENV,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, args: tuple[str, ...], env: dict[str, str], unset: tuple[str, ...]) -> None:
        (self.folder / "wrapper.sh").write_text(WRAPPER)
        (self.folder / "tmux.conf").write_text(TMUX_CONF)
        command = [
            "env",
            *(f"-u{name}" for name in unset),
            f"VGTUTOR_DATA_DIR={self.data_dir}",
            *(f"{key}={value}" for key, value in env.items()),
            str(VGTUTOR),
            *args,
        ]
        width, height = self.size
        self.tmux(
            "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height),
            "--", "sh", str(self.folder / "wrapper.sh"), str(self.folder), *command,
        )  # fmt: skip
        self.socket_path = Path(self.tmux("display", "-p", "#{socket_path}").strip())
        self.tmux("pipe-pane", "-o", "-t", "app", f"cat >> {shlex.quote(str(self.output))}")
        self.started = time.monotonic()
        (self.folder / "go").touch()

    def close(self) -> None:
        pid = self.app_pid()
        try:
            self.tmux("kill-server")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        if self.socket_path is not None:  # tmux leaves its socket file behind
            self.socket_path.unlink(missing_ok=True)
        if pid is not None and _runs_vgtutor(pid):  # it should have died with its pane
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    # -- typing and reading ------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Send tmux key names ("Enter", "Escape", "C-c", "a"), each as its own write."""
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)

    def type_literal(self, text: str) -> None:
        """Send raw bytes as if typed (used for mouse reports)."""
        self.tmux("send-keys", "-t", "app", "-l", text)

    def click(self, column: int, row: int) -> None:
        """Click at a 0-based cell, as an SGR mouse report (the mode Textual turns on)."""
        self.type_literal(f"\x1b[<0;{column + 1};{row + 1}M\x1b[<0;{column + 1};{row + 1}m")

    def click_text(self, text: str, offset: int = 0) -> None:
        """Click the cell `offset` characters into the first on-screen `text`."""
        for row, line in enumerate(self.screen().splitlines()):
            if text in line:
                self.click(line.index(text) + offset, row)
                return
        raise AssertionError(f"{text!r} is not on the screen:\n{self.screen()}")

    def screen(self, history: bool = False) -> str:
        extra = ("-S", "-") if history else ()
        return self.tmux("capture-pane", "-p", "-t", "app", *extra)

    def wait_for(
        self, want: str | Callable[[str], bool], timeout: float = WAIT, history: bool = False
    ) -> str:
        """Poll the screen until it shows `want` (a text or a test); return that screen."""
        test = want if callable(want) else (lambda screen: want in screen)
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(history)
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"waited {timeout:g}s for {want!r}; the screen was:\n{self.screen(True)}"
                )
            time.sleep(POLL)

    def wait_still(
        self, want: str | Callable[[str], bool], quiet: float = 0.5, timeout: float = WAIT
    ) -> str:
        """Like wait_for, but the screen must also stay unchanged for `quiet` seconds:
        after a burst of resizes the app may pass through a wanted screen on its way to
        the last size, and a key pressed then lands on whatever comes next."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.wait_for(want, max(POLL, deadline - time.monotonic()))
            still_until = time.monotonic() + quiet
            while time.monotonic() < still_until and self.screen() == screen:
                time.sleep(POLL)
            if time.monotonic() >= still_until:
                return screen

    # -- the process -------------------------------------------------------------------

    def pane_pid(self) -> int | None:
        try:
            return int(self.tmux("display", "-p", "-t", "app", "#{pane_pid}").strip())
        except (RuntimeError, ValueError, subprocess.TimeoutExpired):
            return None

    def app_pid(self) -> int | None:
        """The vgtutor process: the wrapper shell's only child."""
        shell = self.pane_pid()
        if shell is None:
            return None
        children = Path(f"/proc/{shell}/task/{shell}/children")
        if children.exists():  # Linux
            pids = children.read_text().split()
        else:  # elsewhere, pgrep -P lists a process's children
            found = subprocess.run(
                ["pgrep", "-P", str(shell)], capture_output=True, text=True, check=False
            )
            pids = found.stdout.split()
        return int(pids[0]) if pids else None

    def exit_code(self) -> int | None:
        rc = self.folder / "rc"
        return int(rc.read_text()) if rc.exists() else None

    def wait_exit(self, timeout: float = WAIT) -> int:
        deadline = time.monotonic() + timeout
        while (code := self.exit_code()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"vgtutor still running after {timeout:g}s; the screen was:\n"
                    + self.screen(True)
                )
            time.sleep(POLL)
        self.wait_for("E2E-EXITED", history=True)
        return code

    def bytes_written(self) -> bytes:
        return self.output.read_bytes() if self.output.exists() else b""

    def stty(self) -> str:
        return (self.folder / "stty").read_text()

    def modes(self) -> dict[str, str]:
        names = ("alternate_on", "mouse_any_flag", "mouse_button_flag", "mouse_sgr_flag")
        values = self.tmux("display", "-p", "-t", "app", " ".join(f"#{{{n}}}" for n in names))
        return dict(zip(names, values.split(), strict=True))

    def assert_restored(self) -> None:
        """The terminal is as a shell expects it: main screen, no mouse, cooked, echoing."""
        assert self.modes() == {
            "alternate_on": "0",
            "mouse_any_flag": "0",
            "mouse_button_flag": "0",
            "mouse_sgr_flag": "0",
        }
        flags = self.stty().split()
        assert {"icanon", "echo", "isig", "icrnl"} <= set(flags), self.stty()
        written = self.bytes_written()
        for on, off in ((b"\x1b[?1049h", b"\x1b[?1049l"), (b"\x1b[?25l", b"\x1b[?25h")):
            assert written.rfind(off) > written.rfind(on), f"{off!r} not written last"
        assert "Traceback" not in self.screen(history=True)
        assert b"Traceback" not in written


Launch = Callable[..., Term]
