"""Output that cannot be written is one line and exit 1; an ASCII-only stdout gets ASCII.

Issue 15, item 11: `check > /dev/full` and `progress --json > /dev/full` ended in an
OSError traceback, `PYTHONIOENCODING=ascii vgtutor lab` in a UnicodeEncodeError.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VGTUTOR = Path(sys.executable).parent / "vgtutor"
pytestmark = [
    pytest.mark.slow,  # every test starts the installed command
    pytest.mark.skipif(not VGTUTOR.exists(), reason="vgtutor script not installed"),
]


def run(
    args: list[str], env: dict[str, str], stdout: object = subprocess.PIPE
) -> tuple[int, bytes, str]:
    result = subprocess.run(
        [str(VGTUTOR), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        timeout=120,
    )
    return result.returncode, result.stdout or b"", result.stderr.decode()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args", [["check"], ["progress", "--json"], ["progress"], ["lab", "--json"]]
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        code, _, err = run(args, {"VGTUTOR_DATA_DIR": str(tmp_path)}, stdout=full)
    assert code == 1
    assert err == f"vgtutor {args[0]}: could not write the output: No space left on device\n"


@pytest.mark.parametrize(
    "args",
    [
        ["lab", "--size", "60x20"],
        ["lab", "--compare", "inits", "--size", "60x20"],
        ["rnn", "--cell", "gru", "--size", "60x20"],
        ["lab", "--train", "5", "--size", "60x20"],
    ],
)
def test_an_ascii_only_stdout_gets_the_ascii_chart(args: list[str]) -> None:
    code, out, err = run(args, {"PYTHONIOENCODING": "ascii"})
    assert (code, err) == (0, "")
    text = out.decode("ascii")  # raises on any byte above 127
    assert "+-----" in text
    code, plain, _ = run([*args, "--ascii"], {})
    assert out == plain  # the same as asking for --ascii
