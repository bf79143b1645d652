"""Issue 15 on the progress file: clean keys, one size cap, readers that never move it,
and the leftovers and links a killed or hostile setup leaves in the data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lessons.progress import MAX_FILE_BYTES, Progress, ProgressStore, parse
from lessons.progress.store import STALE_TEMP_SECONDS, WARN_FILE_BYTES

VGTUTOR = Path(sys.executable).parent / "vgtutor"
needs_script = pytest.mark.skipif(not VGTUTOR.exists(), reason="vgtutor script not installed")
FORBIDDEN = (b"\x1b", b"\x07", "\x9b".encode(), "\x9d".encode(), "\u202e".encode())
HOSTILE_KEYS = {
    "OSC 0 title": "vg/a\x1b]0;pwned\x07",
    "OSC 52 clipboard": "vg/\x1b]52;c;ZWNobyBoaQ==\x07b",
    "CSI clear": "vg/c\x1b[2J",
    "C1 CSI": "vg/d\x9b2J",
    "bidi override": "vg/e\u202egnp.exe",
    "tag characters": "vg/f\U000e0041",
}


def write(folder: Path, obj: object) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(obj).encode()
    (folder / "progress.json").write_bytes(data)
    return data


def vgtutor(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "VGTUTOR_DATA_DIR": str(folder)}
    return subprocess.run([str(VGTUTOR), *args], capture_output=True, env=env, timeout=60)


# -- item 3: keys ----------------------------------------------------------------------


@pytest.mark.parametrize("key", HOSTILE_KEYS.values(), ids=HOSTILE_KEYS.keys())
def test_a_key_with_control_characters_is_rejected_when_parsing(key: str) -> None:
    data = {"version": 1, "lessons": {key: {"read": True}, "vg/ok": {"read": True}}}
    progress, problems = parse(json.dumps(data).encode())
    assert set(progress.lessons) == {"vg/ok"}
    [problem] = problems
    assert "expected a 'pack/id' key" in problem
    assert not any(c in problem for c in "\x1b\x07\x9b\u202e")  # repr spells them out


@needs_script
@pytest.mark.parametrize("args", [(), ("--json",)], ids=["table", "json"])
def test_vgtutor_progress_writes_no_escape_from_keys_or_path(tmp_path: Path, args: tuple) -> None:
    folder = tmp_path / "data\x1b]0;pwned\x07"
    lessons = {key: {"read": True} for key in HOSTILE_KEYS.values()}
    lessons["vg/[@click=app.quit]x[b]"] = {"read": True}
    write(folder, {"version": 1, "lessons": lessons, "exercises": {}, "last": None})
    result = vgtutor(folder, "progress", *args)
    assert result.returncode == 0
    written = result.stdout + result.stderr
    assert not [b for b in FORBIDDEN if b in written], written
    assert b"vg/[@click=app.quit]x[b]" in result.stdout  # markup is plain text here


# -- item 7: one cap for reading and writing ---------------------------------------------


def big_progress(size: int) -> Progress:
    """About `size` bytes of progress: long (valid) keys, as a hostile file could hold."""
    from lessons.progress import LessonProgress

    key_bytes = 2000
    count = size // (key_bytes + 90) + 1
    return Progress({f"vg/{'k' * key_bytes}{n}": LessonProgress(read=True) for n in range(count)})


@pytest.mark.slow
def test_a_save_past_the_cap_is_refused_with_a_warning_and_the_file_kept(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/first"))
    before = (tmp_path / "progress.json").read_bytes()
    huge = big_progress(MAX_FILE_BYTES + 1000)
    result = store.update(lambda p: huge)
    assert result.lesson("vg/first").read  # kept in memory for the session
    assert (tmp_path / "progress.json").read_bytes() == before  # nothing written past the cap
    [warning] = store.take_warnings()
    assert "could not be saved" in warning and f"larger than {MAX_FILE_BYTES >> 20} MiB" in warning


@pytest.mark.slow
def test_what_is_written_is_compact_and_always_read_back(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    near = big_progress(WARN_FILE_BYTES + 1000)
    store.update(lambda p: near)
    data = (tmp_path / "progress.json").read_bytes()
    assert WARN_FILE_BYTES < len(data) <= MAX_FILE_BYTES
    assert b"\n " not in data and b'": ' not in data  # no indentation, no padding
    [warning] = store.take_warnings()
    assert "near the" in warning and "limit" in warning
    assert ProgressStore(tmp_path).load() == near


# -- item 8: readers never rename ------------------------------------------------------


NEWER = {"version": 2, "lessons": {"vg/a": {"read": True, "new_field": 1}}}


@needs_script
@pytest.mark.parametrize("args", [(), ("--json",)], ids=["table", "json"])
def test_vgtutor_progress_leaves_a_newer_versions_file_untouched(
    tmp_path: Path, args: tuple
) -> None:
    data = write(tmp_path, NEWER)
    result = vgtutor(tmp_path, "progress", *args)
    assert result.returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]
    assert (tmp_path / "progress.json").read_bytes() == data
    assert result.stderr.decode().count("warning: ") == 1
    assert b"newer vgtutor, format version 2" in result.stderr


def test_a_session_on_a_newer_versions_file_works_in_memory_and_says_so_once(
    tmp_path: Path,
) -> None:
    data = write(tmp_path, NEWER)
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    for page in (1, 2, 3):
        progress = store.update(lambda p, page=page: p.record_page("vg/b", page))
    assert progress.lesson("vg/b").pages_seen == 4  # pages 0 to 3
    assert (tmp_path / "progress.json").read_bytes() == data
    assert not list(tmp_path.glob("progress.json.*"))
    [warning] = store.take_warnings()
    assert "left untouched" in warning and "in memory" in warning


# -- item 11: leftovers and links ------------------------------------------------------


def test_stale_temp_files_of_killed_writers_are_removed_on_start(tmp_path: Path) -> None:
    old = time.time() - STALE_TEMP_SECONDS - 5
    stale = [tmp_path / f".progress.json.{n}abc.tmp" for n in range(3)]
    for temp in stale:
        temp.write_text('{"version": 1')
        os.utime(temp, (old, old))
    fresh = tmp_path / ".progress.json.fresh.tmp"  # maybe another window writing now
    fresh.write_text("{")
    ProgressStore(tmp_path).load()
    assert [p.exists() for p in stale] == [False, False, False]
    assert fresh.exists()
    ProgressStore(tmp_path, read_only=True).load()  # a reader deletes nothing either
    assert fresh.exists()


def test_a_progress_lock_symlink_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "created-by-vgtutor"
    target.parent.mkdir()
    (tmp_path / "progress.lock").symlink_to(target)
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    assert not target.exists()
    assert ProgressStore(tmp_path).load().lesson("vg/a").read
    assert any("symbolic link" in w for w in store.take_warnings())


def test_a_progress_json_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    (synced / "vgtutor-progress.json").write_text('{"version": 1, "lessons": {}}')
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.json").symlink_to(synced / "vgtutor-progress.json")
    store = ProgressStore(data)
    store.update(lambda p: p.mark_read("vg/a"))
    assert (data / "progress.json").is_symlink()
    assert json.loads((synced / "vgtutor-progress.json").read_text())["lessons"]["vg/a"]["read"]
    assert not list(data.glob(".progress.json.*")) and not list(synced.glob(".progress.json.*"))
    assert store.take_warnings() == []
