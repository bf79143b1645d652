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
    assert out == "minimal-example: 2 lessons, 3 questions, 0 errors\n"


def test_errors_are_one_line_each_with_an_openable_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = str(FIXTURES / "bad-version")
    code, out, _ = run(capsys, folder)
    assert code == 1
    assert out.splitlines() == [
        f"{folder}/pack.toml:2: format_version: this vgtutor reads format_version 1; got 2",
        f"{folder}: not loaded, 1 error",
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
    assert lines[-1] == "bad-questions: 2 lessons, 4 questions, 13 errors"
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
    assert set(data) == {"lessons", "errors"} and data["errors"] == []
    first = data["lessons"][0]
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
    assert [lesson["id"] for lesson in data["lessons"]] == ["why-it-shrinks", "relu-he", "only"]
    assert len(data["errors"]) == 9
    assert data["errors"][0].startswith(f"{FIXTURES / 'bad-presets'}/presets.toml:12: ")


def test_without_a_path_the_builtin_course_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(paths=[], json=True)
    code = check.run(args)
    data = json.loads(capsys.readouterr().out)
    assert code == (1 if data["errors"] else 0)
    assert data["lessons"], "the built-in course should load at least partly"


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
        "minimal-example: 2 lessons, 3 questions, 0 errors\n",
    )
