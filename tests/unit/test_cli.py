"""The command line: fast help, one-line misuse errors with exit 2, no TTY → no hang."""

import subprocess
import sys

import pytest

from tui import __version__
from tui.cli import main


def run_cli(*args: str, stdin: str | None = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_neither_textual_nor_numpy_nor_asyncio(flag):
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('textual', 'numpy', 'plotext', 'rich', 'asyncio')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"vgtutor {__version__}"


def test_unknown_flag_is_one_line_and_exit_2():
    result = run_cli("--no-such-flag")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--no-such-flag" in lines[0]


def test_without_a_terminal_the_app_points_to_the_batch_commands():
    result = run_cli(stdin="")
    assert result.returncode == 2
    assert "vgtutor lab" in result.stderr and "vgtutor check" in result.stderr


def test_python_dash_m_and_console_script_agree():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"vgtutor {__version__}"


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly():
    reader = subprocess.Popen(
        ["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    writer = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--json"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    reader.stdin.close()
    reader.wait(timeout=10)
    assert "Traceback" not in writer.stderr
