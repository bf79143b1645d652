"""A pack folder's name is never its id or title, and every printed path is cleaned.

Issue 15, item 1: with no or an invalid `id` the folder name became the pack's id, so
`Week 1/` broke lesson keys and a folder named with OSC 0 / OSC 52 sequences retitled
the terminal and wrote the clipboard through `check`. The raw bytes are checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons.catalog import load_pack

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
VGTUTOR = Path(sys.executable).parent / "vgtutor"
OSC_NAME = "week\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x9b2J"
FORBIDDEN = (b"\x1b", b"\x07", "\x9b".encode())


def pack_in(folder: Path, id_line: str | None) -> Path:
    shutil.copytree(MINIMAL, folder)
    manifest = folder / "pack.toml"
    text = manifest.read_text().replace(
        'id = "minimal-example"\n', "" if id_line is None else f"{id_line}\n"
    )
    manifest.write_text(text)
    return folder


@pytest.mark.parametrize(
    "id_line", [None, 'id = "Week 1"', "id = 3"], ids=["none", "spaces", "number"]
)
def test_a_pack_without_a_valid_id_is_refused_with_a_located_error(
    tmp_path: Path, id_line: str | None
) -> None:
    pack, errors = load_pack(pack_in(tmp_path / "Week 1", id_line))
    assert pack is None
    assert [(e.file, e.field) for e in errors] == [("pack.toml", "id")]


def test_the_rest_of_a_pack_without_an_id_is_still_checked(tmp_path: Path) -> None:
    folder = pack_in(tmp_path / "p", None)
    reading = folder / "readings" / "01-why-it-shrinks.md"
    reading.write_text("")
    _, errors = load_pack(folder)
    assert {e.field for e in errors} >= {"id"}
    assert len(errors) >= 2, errors


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "VGTUTOR_DATA_DIR": str(cwd / "data")}
    return subprocess.run([str(VGTUTOR), *args], capture_output=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.slow
@pytest.mark.skipif(not VGTUTOR.exists(), reason="vgtutor script not installed")
@pytest.mark.parametrize("id_line", [None, 'id = "fine"'], ids=["no id", "with id"])
def test_check_prints_an_escape_laden_folder_name_cleaned(
    tmp_path: Path, id_line: str | None
) -> None:
    folder = pack_in(tmp_path / OSC_NAME, id_line)
    (folder / "readings" / "01-why-it-shrinks.md").write_text("")  # one problem, with its path
    for args in (
        ["check", OSC_NAME],
        ["check", OSC_NAME, "--json"],
        ["exercise", "--list", "--pack", OSC_NAME],
    ):
        result = run(*args, cwd=tmp_path)
        written = result.stdout + result.stderr
        assert not [b for b in FORBIDDEN if b in written], (args, written)
        assert b"pwned" not in written or b"week]0;pwned" in written
    shown = run("check", OSC_NAME, cwd=tmp_path).stdout.decode()
    assert "week/readings/01-why-it-shrinks.md: " in shown


@pytest.mark.skipif(not VGTUTOR.exists(), reason="vgtutor script not installed")
def test_a_missing_pack_folder_is_named_cleaned(tmp_path: Path) -> None:
    for args in (["check", OSC_NAME], ["exercise", "--list", "--pack", OSC_NAME]):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert not [b for b in FORBIDDEN if b in result.stderr], result.stderr
