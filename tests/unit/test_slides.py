"""Charts for slides: --svg, --xrange, settings lines, fitted titles, wrapped readings,
--compare --table; and the CLI fixes (--forget-bias off LSTM, unknown exercise ids)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tui.cli import main

SVG = "{http://www.w3.org/2000/svg}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def svg_text(path: Path) -> str:
    """The text an SVG shows, line by line as Rich lays it out."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    lines: dict[str, str] = {}
    for node in root.iter(f"{SVG}text"):
        y = node.get("y", "")
        lines[y] = lines.get(y, "") + "".join(node.itertext())
    ordered = sorted((float(y), text) for y, text in lines.items() if y)
    return "\n".join(text.replace("\xa0", " ").rstrip() for _, text in ordered)


@pytest.mark.parametrize(
    "argv",
    [
        ("lab", "--depth", "4", "--size", "80x24"),
        ("rnn", "--cell", "lstm", "--steps", "6", "--size", "70x24"),
        ("lab", "--depth", "3", "--train", "3", "--size", "80x30"),
    ],
)
def test_svg_holds_the_text_the_terminal_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    _, plain, _ = run(capsys, *argv)
    target = tmp_path / "chart.svg"
    code, out, err = run(capsys, *argv, "--svg", str(target))
    assert (code, err) == (0, "")
    assert out == plain  # piped: the same text, no escape codes
    shown = svg_text(target)
    for line in plain.splitlines():
        if line.strip():
            assert line.rstrip() in shown
    assert "settings: " in shown
    assert [p.name for p in tmp_path.iterdir()] == ["chart.svg"]  # no temporary file left


def test_exercise_svg_draws_the_measured_run_and_the_verdict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "ex.svg"
    code, out, _ = run(
        capsys,
        "exercise",
        "relu-50-level-signal",
        "--init",
        "he",
        "--svg",
        str(target),
        "--size",
        "80x24",
    )
    assert code == 0
    assert out.splitlines()[0].strip().startswith("backward signal ||dL/dh||")
    assert "settings: relu, he init, depth 50" in out
    shown = svg_text(target)
    assert "relu-50-level-signal: met: " in shown and "L50" in shown


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ("lab", "--json", "--svg", "x.svg"),
            "--svg: writes the chart; it does not go with --json",
        ),
        (
            ("lab", "--svg", "/nonexistent-folder/x.svg"),
            "--svg: cannot write in /nonexistent-folder",
        ),
        (("rnn", "--cell", "rnn", "--svg", "."), "--svg: . is a folder; give a file name"),
        (("lab", "--xrange=5:1"), "--xrange: must be LO:HI in whole decades"),
        (("lab", "--xrange", "a:b"), "--xrange: must be LO:HI in whole decades"),
        (("lab", "--table"), "--table: only applies with --compare"),
        (
            ("rnn", "--cell", "gru", "--forget-bias", "5"),
            "--forget-bias: only applies to --cell lstm; a GRU has no forget gate",
        ),
        (
            ("exercise", "rnn-fifty-steps", "--forget-bias", "2"),
            "--forget-bias: only applies to an lstm cell",
        ),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert said in err and err.count("\n") == 1


def test_xrange_fixes_the_axis(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "lab", "--depth", "3", "--xrange=-20:4", "--size", "80x24")
    ticks = [line for line in out.splitlines() if line.strip().startswith("-20")]
    assert ticks and ticks[0].split()[-1] == "+4"
    _, out, _ = run(
        capsys, "rnn", "--cell", "rnn", "--steps", "3", "--xrange=-3:2", "--size", "80x24"
    )
    assert any(line.split()[:1] == ["-3"] and line.split()[-1] == "+2" for line in out.splitlines())


@pytest.mark.parametrize("width", [30, 40, 50, 55, 60, 66, 80])
def test_titles_are_shortened_never_dropped_and_readings_fit(
    capsys: pytest.CaptureFixture[str], width: int
) -> None:
    for argv in (("lab", "--depth", "20"), ("lab", "--metric", "signal"), ("rnn", "--cell", "gru")):
        _, out, _ = run(capsys, *argv, "--size", f"{width}x24")
        title = out.splitlines()[0].strip()
        assert title.startswith(("weight gradient", "backward signal", "hidden-state gradient"))
        assert all(len(line) <= width for line in out.splitlines()), argv


def test_every_chart_has_a_settings_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "lab",
        "--activation",
        "relu",
        "--init",
        "he",
        "--depth",
        "5",
        "--batchnorm",
        "--size",
        "100x24",
    )
    assert "settings: relu, he init, depth 5, width 64, batch norm, seed 0; metric weight" in out
    _, out, _ = run(capsys, "lab", "--compare", "fixes", "--depth", "5", "--size", "100x24")
    assert out.count("settings: ") == 4
    _, out, _ = run(capsys, "rnn", "--cell", "lstm", "--forget-bias", "1", "--size", "100x24")
    assert "settings: LSTM, 50 steps, hidden 32, forget bias 1, pytorch W_hh, seed 0" in out


@pytest.mark.slow
def test_compare_table_is_compact_and_agrees_with_the_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, charts, _ = run(
        capsys, "lab", "--compare", "activations", "--depth", "20", "--size", "80x24"
    )
    _, table, _ = run(
        capsys, "lab", "--compare", "activations", "--depth", "20", "--table", "--size", "80x24"
    )
    _, raw, _ = run(capsys, "lab", "--compare", "activations", "--depth", "20", "--json")
    assert len(charts.splitlines()) > 150 and len(table.splitlines()) <= 14
    rows = {line.split()[0]: line.split() for line in table.splitlines()}
    for entry in json.loads(raw)["runs"]:
        gap = float(rows[entry["label"]][-1].replace("0.0", "+0.0"))
        assert gap == pytest.approx(entry["summary"]["weight_log10_ratio"], abs=0.051)


def test_an_unknown_exercise_id_suggests_close_ids_and_the_pack_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "exercise", "sigmoid-adm")
    assert code == 2
    assert err == (
        "vgtutor exercise: error: no exercise 'sigmoid-adm'; did you mean sigmoid-adam? "
        "`vgtutor exercise --list` lists them; an exercise from a lesson pack needs --pack DIR\n"
    )
    code, _, err = run(capsys, "exercise", "relu-50")
    assert "did you mean relu-50-level-signal, relu-50-batchnorm-residual? " in err
    code, _, err = run(capsys, "exercise", "nothing-like-it")
    assert code == 2 and "did you mean" not in err and "needs --pack DIR" in err


def test_exercise_json_reports_refused_settings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "exercise",
        "sigmoid-30-one-decade",
        "--activation",
        "relu",
        "--depth",
        "4",
        "--json",
    )
    data = json.loads(out)
    assert code == 1
    assert (data["refused"], data["measured"], data["met"]) == (["activation", "depth"], {}, False)
