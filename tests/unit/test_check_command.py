"""`vgtutor check`: exit codes, human lines, and the JSON contract."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.commands import check

FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"
MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vgtutor")
    check.add_parser(parser.add_subparsers())
    return parser.parse_args(["check", *argv])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = parse(*argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_valid_pack_prints_a_summary_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(MINIMAL))
    assert (code, err) == (0, "")
    assert out == (
        f"minimal-example ({MINIMAL}): 2 lessons, 3 questions, 0 exercises, 0 errors, 0 warnings\n"
    )


def test_errors_are_one_line_each_with_an_openable_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(FIXTURES / "bad-version")
    code, out, _ = run(capsys, folder)
    assert code == 1
    assert out.splitlines() == [
        f"{folder}/pack.toml:2: format_version: this vgtutor reads format_version 1; got 2",
        f"{folder}: not loaded, 1 error, 0 warnings",
    ]
    assert Path(out.split(":")[0]).is_file()


def test_a_pack_with_errors_still_summarises_what_loaded(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, str(FIXTURES / "bad-questions"))
    lines = out.splitlines()
    assert code == 1
    assert len(lines) == 14
    assert lines[0].endswith(
        "quizzes/one.toml:14: question[unknown-keys].hint: unknown key; "
        "expected one of: id, prompt, preset, choice"
    )
    assert lines[-1] == (
        f"bad-questions ({FIXTURES / 'bad-questions'}): 2 lessons, 4 questions, 0 exercises, "
        "13 errors, 0 warnings"
    )
    assert "\x1b" not in out


def test_a_path_that_is_not_a_folder_is_misuse(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope"
    code, out, err = run(capsys, str(MINIMAL), str(missing))
    assert (code, out) == (2, "")
    assert err == f"vgtutor check: {missing} is not a folder\n"


def test_json_is_one_object_with_the_agreed_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", str(MINIMAL))
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"version", "packs", "problems"} and data["problems"] == []
    assert data["version"] == 1
    (pack,) = data["packs"]
    assert (pack["id"], pack["folder"], pack["loaded"]) == ("minimal-example", str(MINIMAL), True)
    first = pack["lessons"][0]
    assert set(first) == {"id", "title", "pages", "presets", "questions"}
    assert (first["id"], first["pages"], first["presets"]) == ("why-it-shrinks", 2, ["sigmoid-6"])
    question = first["questions"][0]
    assert set(question) == {"id", "prompt", "choices"}
    assert set(question["choices"][0]) == {"text", "correct", "explanation"}
    assert question["choices"][2]["correct"] is False


def test_json_concatenates_several_packs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", str(MINIMAL), str(FIXTURES / "bad-presets"))
    data = json.loads(out)
    assert code == 1
    lessons = [lesson["id"] for pack in data["packs"] for lesson in pack["lessons"]]
    assert lessons == ["why-it-shrinks", "relu-he", "only"]
    assert len(data["problems"]) == 9
    first = data["problems"][0]
    assert set(first) == {"pack", "file", "line", "field", "message", "severity"}
    assert (first["pack"], first["file"], first["line"], first["severity"]) == (
        "bad-presets",
        f"{FIXTURES / 'bad-presets'}/presets.toml",
        12,
        "error",
    )


@pytest.mark.slow
def test_without_a_path_the_builtin_course_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json")
    data = json.loads(out)
    assert code == 0 and data["problems"] == []
    (pack,) = data["packs"]
    assert pack["id"] == "vanishing-gradients" and len(pack["exercises"]) == 10


def test_the_command_imports_neither_textual_nor_numpy() -> None:
    code = (
        "import sys, tui.commands.check; "
        "print(sorted(m for m in ('numpy', 'textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_m_tui_check_runs_through_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(MINIMAL)], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (
        0,
        f"minimal-example ({MINIMAL}): 2 lessons, 3 questions, 0 exercises, 0 errors, 0 warnings\n",
    )
