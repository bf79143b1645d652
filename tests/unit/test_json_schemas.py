"""Every `--json` output conforms to its JSON Schema in tui/schemas and says version 1."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from json_schema import violations

from lessons.progress import ProgressStore
from tui.cli import main
from tui.schemas import JSON_VERSION, OUTPUTS, schema_path

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"


def output(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def schema(name: str) -> dict[str, Any]:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


RUNS = [
    ("lab", ("lab", "--depth", "4", "--json")),
    ("lab", ("lab", "--depth", "3", "--activation", "relu", "--init", "standard", "--json")),
    ("lab-compare", ("lab", "--depth", "3", "--compare", "inits", "--json")),
    ("lab-train", ("lab", "--depth", "2", "--train", "5", "--json")),
    ("rnn", ("rnn", "--cell", "lstm", "--steps", "4", "--json")),
    ("rnn", ("rnn", "--cell", "rnn", "--steps", "3", "--recurrent-init", "orthogonal", "--json")),
    ("exercise", ("exercise", "sigmoid-30-one-decade", "--batchnorm", "--json")),
    ("exercise", ("exercise", "sigmoid-30-one-decade", "--activation", "relu", "--json")),
    ("exercise", ("exercise", "rnn-fifty-steps", "--hint", "1", "--json")),
    ("exercise-list", ("exercise", "--list", "--json")),
    ("check", ("check", "--json", str(MINIMAL), str(FIXTURES / "bad-presets"))),
    ("check", ("check", "--json", str(FIXTURES / "bad-version"))),
]


@pytest.mark.parametrize(("name", "argv"), RUNS)
def test_the_output_conforms_to_its_schema(
    capsys: pytest.CaptureFixture[str], name: str, argv: tuple[str, ...]
) -> None:
    data = output(capsys, *argv)
    assert data["version"] == JSON_VERSION
    assert violations(data, schema(name)) == []


def test_progress_json_conforms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VGTUTOR_DATA_DIR", str(tmp_path))
    for_empty = output(capsys, "progress", "--json")
    assert violations(for_empty, schema("progress")) == []
    when = datetime(2026, 3, 1, tzinfo=timezone.utc)
    ProgressStore(tmp_path).update(
        lambda p: (
            p.mark_read("vg/a")
            .record_quiz("vg/a", 1, 2)
            .set_last("vg/a", 0)
            .mark_exercise_done("vg/x", when)
        )
    )
    data = output(capsys, "progress", "--json")
    assert violations(data, schema("progress")) == []
    assert data["last"]["page"] == 1


def test_class_report_json_conforms(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ProgressStore(tmp_path / "ana").update(lambda p: p.record_quiz("vg/a", 2, 3))
    (tmp_path / "ben").mkdir()
    data = output(capsys, "class-report", str(tmp_path), "--json")
    assert len(data["learners"]) == 2
    assert violations(data, schema("class-report")) == []


def test_every_schema_is_used_and_documented() -> None:
    used = {name for name, _ in RUNS} | {"progress", "class-report"}
    assert used == set(OUTPUTS)
    for name in OUTPUTS:
        loaded = schema(name)
        assert loaded["properties"]["version"] == schema("lab")["properties"]["version"]
        assert "version" in loaded["required"] and loaded["title"].startswith("vgtutor ")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d.pop("version"), "$: missing 'version'"),
        (lambda d: d.update(version=2), "$.version: expected 1, got 2"),
        (lambda d: d["problems"].append({"pack": None}), "$.problems[0]: missing 'file'"),
        (
            lambda d: d["packs"][0].update(errors="0"),
            "$.packs[0].errors: expected integer, got '0'",
        ),
    ],
)
def test_the_validator_catches_a_broken_output(
    capsys: pytest.CaptureFixture[str], change: Any, said: str
) -> None:
    data = output(capsys, "check", "--json", str(MINIMAL))
    change(data)
    assert said in violations(data, schema("check"))
