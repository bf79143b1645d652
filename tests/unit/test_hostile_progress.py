"""A hostile progress file or folder: the store never raises, says so once, never loses
completed work, and keeps a byte-for-byte backup of anything it could not read.

Categories (bench/hostile_counts.py counts them by test name): corrupt JSON, wrong
types, an unwritable place, a full disk, two instances at once.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from lessons.progress import Progress, ProgressStore

GOOD = {
    "version": 1,
    "lessons": {
        "vg/good": {"read": True, "pages_seen": 4, "quiz_best": 3, "quiz_total": 4},
    },
    "exercises": {"vg/ex": {"done": True, "at": "2026-01-02T03:04:05+00:00"}},
    "last": {"lesson": "vg/good", "page": 2},
}
GOOD_BYTES = json.dumps(GOOD, indent=2).encode()


def kept_good_work(progress: Progress) -> bool:
    lesson = progress.lesson("vg/good")
    return lesson.read and lesson.quiz_best == 3 and progress.exercises["vg/ex"].done


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("progress.json.bad-*"))


def keep_working(store: ProgressStore, rounds: int = 5) -> Progress:
    """Do what a learner does after start-up; every change must stick in memory."""
    progress = store.load()
    for i in range(rounds):
        progress = store.update(lambda p, i=i: p.record_page("vg/next", i).set_last("vg/next", i))
    assert progress.lesson("vg/next").pages_seen == rounds
    return progress


def within(seconds: float, work: Callable[[], Progress]) -> Progress:
    """Run `work` in a thread: a store that blocks (say on a named pipe) fails, not hangs."""
    results: list[Progress] = []
    thread = threading.Thread(target=lambda: results.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert results, f"the store was still busy after {seconds} s"
    return results[0]


# -- corrupt JSON ----------------------------------------------------------------------

CORRUPT = {
    "empty": b"",
    "whitespace": b"  \n\t ",
    "truncated": GOOD_BYTES[: len(GOOD_BYTES) // 2],
    "nul-filled-after-power-loss": b"\0" * 4096,
    "binary": bytes(range(256)) * 4,
    "not-utf8": b'{"version": 1, "lessons": {"vg/a": {"read": tr\xffue}}}',
    "utf16": json.dumps(GOOD).encode("utf-16"),
    "trailing-garbage": GOOD_BYTES + b"\ngarbage",
    "two-objects": GOOD_BYTES + GOOD_BYTES,
    "comment": b"// my progress\n" + GOOD_BYTES,
    "single-quotes": GOOD_BYTES.replace(b'"', b"'"),
    "deep-arrays": b"[" * 100_000 + b"]" * 100_000,
    "deep-objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "huge-integer": b'{"version": 1, "last": {"lesson": "vg/a", "page": ' + b"9" * 5000 + b"}}",
    "nan-version": b'{"version": NaN}',
    "array": b"[]",
    "string": b'"progress"',
    "null": b"null",
}


@pytest.mark.parametrize("case", list(CORRUPT))
def test_corrupt_json_is_kept_aside_once_and_the_app_side_keeps_working(
    tmp_path: Path, case: str
) -> None:
    data = CORRUPT[case]
    (tmp_path / "progress.json").write_bytes(data)
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == data  # a byte-for-byte copy of what could not be read
    keep_working(store)
    [warning] = store.take_warnings()
    assert "unreadable" in warning and str(backup) in warning
    assert ProgressStore(tmp_path).load().lesson("vg/next").pages_seen == 5


@pytest.mark.parametrize(
    "case", ["byte-order-mark", "crlf-line-ends", "extra-whitespace", "keys-reordered"]
)
def test_corrupt_json_lookalikes_that_are_fine_are_read(tmp_path: Path, case: str) -> None:
    data = {
        "byte-order-mark": b"\xef\xbb\xbf" + GOOD_BYTES,  # an editor on Windows saved it
        "crlf-line-ends": GOOD_BYTES.replace(b"\n", b"\r\n"),
        "extra-whitespace": b"\n\n  " + GOOD_BYTES + b"\n\n",
        "keys-reordered": json.dumps(dict(reversed(list(GOOD.items())))).encode(),
    }[case]
    (tmp_path / "progress.json").write_bytes(data)
    store = ProgressStore(tmp_path)
    assert kept_good_work(store.load())
    assert store.take_warnings() == [] and backups(tmp_path) == []


# -- wrong types -----------------------------------------------------------------------

WRONG_ENTRIES: dict[str, tuple[str, object]] = {
    "lesson-is-a-list": ("lessons", {"vg/a": []}),
    "lesson-is-null": ("lessons", {"vg/a": None}),
    "read-is-a-string": ("lessons", {"vg/a": {"read": "yes"}}),
    "read-is-a-number": ("lessons", {"vg/a": {"read": 1}}),
    "pages-negative": ("lessons", {"vg/a": {"pages_seen": -1}}),
    "pages-fractional": ("lessons", {"vg/a": {"pages_seen": 1.5}}),
    "pages-a-string": ("lessons", {"vg/a": {"pages_seen": "2"}}),
    "pages-a-bool": ("lessons", {"vg/a": {"pages_seen": True}}),
    "pages-infinite": ("lessons", {"vg/a": {"pages_seen": float("inf")}}),
    "quiz-right-a-string": ("lessons", {"vg/a": {"quiz_right": "3"}}),
    "quiz-total-negative": ("lessons", {"vg/a": {"quiz_total": -4}}),
    "lab-visited-a-string": ("lessons", {"vg/a": {"lab_visited": "true"}}),
    "unknown-lesson-field": ("lessons", {"vg/a": {"read": True, "score": 9}}),
    "key-without-pack": ("lessons", {"nopack": {"read": True}}),
    "key-with-space": ("lessons", {"vg/a b": {"read": True}}),
    "key-with-two-slashes": ("lessons", {"vg/a/b": {"read": True}}),
    "empty-key": ("lessons", {"": {"read": True}}),
    "exercise-done-a-string": ("exercises", {"vg/x": {"done": "yes", "at": "2026-01-01"}}),
    "exercise-at-a-number": ("exercises", {"vg/x": {"done": True, "at": 5}}),
    "exercise-at-not-a-time": ("exercises", {"vg/x": {"done": True, "at": "yesterday"}}),
    "exercise-without-at": ("exercises", {"vg/x": {"done": True}}),
}


@pytest.mark.parametrize("case", list(WRONG_ENTRIES))
def test_wrong_types_drop_only_the_bad_entry(tmp_path: Path, case: str) -> None:
    section, bad = WRONG_ENTRIES[case]
    data = json.loads(GOOD_BYTES)
    data[section].update(bad)  # type: ignore[call-overload]
    raw = json.dumps(data).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()
    assert kept_good_work(progress) and progress.last is not None
    assert not set(bad) & (set(progress.lessons) | set(progress.exercises))  # type: ignore[arg-type]
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == raw
    keep_working(store)
    [warning] = store.take_warnings()
    assert warning.startswith("Part of your progress file was unreadable")
    assert kept_good_work(ProgressStore(tmp_path).load())  # salvaged to disk at once


WRONG_TOP_LEVEL: dict[str, dict[str, object]] = {
    "last-is-a-list": {"last": []},
    "last-lesson-a-number": {"last": {"lesson": 5, "page": 0}},
    "last-page-negative": {"last": {"lesson": "vg/good", "page": -1}},
    "lessons-is-a-list": {"lessons": []},
    "exercises-is-a-string": {"exercises": "all of them"},
    "unknown-top-level-field": {"theme": "dark"},
}


@pytest.mark.parametrize("case", list(WRONG_TOP_LEVEL))
def test_wrong_types_at_the_top_level_keep_the_rest(tmp_path: Path, case: str) -> None:
    data = {**json.loads(GOOD_BYTES), **WRONG_TOP_LEVEL[case]}
    raw = json.dumps(data).encode()
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    progress = store.load()
    untouched = set(GOOD) - set(WRONG_TOP_LEVEL[case])
    if "lessons" in untouched:
        assert progress.lesson("vg/good").quiz_best == 3
    if "exercises" in untouched:
        assert progress.exercises["vg/ex"].done
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == raw
    keep_working(store)
    assert len(store.take_warnings()) == 1


@pytest.mark.parametrize("version", ['"1"', "true", "1.0", "0", "-1", "null", "2", "[1]"])
def test_wrong_types_in_the_version_keep_the_whole_file_aside(tmp_path: Path, version: str) -> None:
    raw = GOOD_BYTES.replace(b'"version": 1', f'"version": {version}'.encode())
    (tmp_path / "progress.json").write_bytes(raw)
    store = ProgressStore(tmp_path)
    assert store.load() == Progress()
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == raw
    keep_working(store)
    assert len(store.take_warnings()) == 1


# -- an unwritable place -----------------------------------------------------------------


def deny_mkstemp(monkeypatch, folder: Path) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)


def read_only_file_system(monkeypatch, folder: Path) -> None:
    def read_only(*args: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", read_only)


def folder_is_a_file(monkeypatch, folder: Path) -> None:
    (folder / "progress.json").unlink()
    folder.rmdir()
    folder.write_text("not a folder")


def progress_file_is_a_folder(monkeypatch, folder: Path) -> None:
    (folder / "progress.json").unlink()
    (folder / "progress.json").mkdir()


def lock_file_is_a_folder(monkeypatch, folder: Path) -> None:
    (folder / "progress.lock").mkdir()


def progress_file_is_a_named_pipe(monkeypatch, folder: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (folder / "progress.json").unlink()
    os.mkfifo(folder / "progress.json")  # reading it would wait forever for a writer


UNWRITABLE: dict[str, Callable[..., None]] = {
    "permission-denied": deny_mkstemp,
    "read-only-file-system": read_only_file_system,
    "data-folder-is-a-file": folder_is_a_file,
    "progress-file-is-a-folder": progress_file_is_a_folder,
    "lock-file-is-a-folder": lock_file_is_a_folder,
    "progress-file-is-a-named-pipe": progress_file_is_a_named_pipe,
}


@pytest.mark.parametrize("case", list(UNWRITABLE))
def test_an_unwritable_place_keeps_the_session_going(
    tmp_path: Path, monkeypatch, case: str
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "progress.json").write_bytes(GOOD_BYTES)
    UNWRITABLE[case](monkeypatch, folder)
    before = folder.read_bytes() if folder.is_file() else None
    store = ProgressStore(folder)
    progress = within(10, lambda: keep_working(store))
    if case in ("permission-denied", "read-only-file-system", "lock-file-is-a-folder"):
        assert kept_good_work(progress)  # the file was read; only writing fails
    warnings = store.take_warnings()
    assert len(warnings) <= 1
    if case != "lock-file-is-a-folder":  # no lock is fine: writing still works
        assert len(warnings) == 1 and "kept in memory" in warnings[0]
    else:
        assert warnings == [] and ProgressStore(folder).load().lesson("vg/next").pages_seen
    if before is not None:
        assert folder.read_bytes() == before
    if case in ("permission-denied", "read-only-file-system"):
        assert (folder / "progress.json").read_bytes() == GOOD_BYTES
        monkeypatch.undo()  # the place becomes writable again: everything is saved
        store.update(lambda p: p.mark_read("vg/after"))
        saved = ProgressStore(folder).load()
        assert kept_good_work(saved) and saved.lesson("vg/next").pages_seen == 5


def test_an_unwritable_place_too_long_a_path(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / ("x" * 300))  # ENAMETOOLONG on every file system
    keep_working(store)
    [warning] = store.take_warnings()
    assert "File name too long" in warning


# -- a full disk ---------------------------------------------------------------------------


def full_on_write(monkeypatch, folder: Path) -> None:
    """Writes go to /dev/full, where every write fails with ENOSPC for real."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    real = tempfile.mkstemp

    def to_dev_full(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # type: ignore[call-overload]
        os.dup2(os.open("/dev/full", os.O_WRONLY), fd)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", to_dev_full)


def full_on_fsync(monkeypatch, folder: Path) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


def over_quota(monkeypatch, folder: Path) -> None:
    def quota(fd: int) -> None:
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    monkeypatch.setattr(os, "fsync", quota)


def full_when_moving_a_bad_file_aside(monkeypatch, folder: Path) -> None:
    (folder / "progress.json").write_bytes(b"{broken")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "rename", full)


FULL_DISK: dict[str, Callable[..., None]] = {
    "enospc-on-write": full_on_write,
    "enospc-on-fsync": full_on_fsync,
    "quota-exceeded": over_quota,
    "enospc-moving-a-bad-file-aside": full_when_moving_a_bad_file_aside,
}


@pytest.mark.parametrize("case", list(FULL_DISK))
def test_a_full_disk_keeps_work_in_memory_then_saves_it(
    tmp_path: Path, monkeypatch, case: str
) -> None:
    (tmp_path / "progress.json").write_bytes(GOOD_BYTES)
    FULL_DISK[case](monkeypatch, tmp_path)
    before = (tmp_path / "progress.json").read_bytes()
    store = ProgressStore(tmp_path)
    progress = keep_working(store, rounds=10)
    assert (tmp_path / "progress.json").read_bytes() == before  # never half-written
    assert [p.name for p in tmp_path.glob(".progress.json.*")] == []  # no temp files left
    [warning] = store.take_warnings()
    assert "kept in memory" in warning
    if case != "enospc-moving-a-bad-file-aside":
        assert kept_good_work(progress)
    monkeypatch.undo()  # space is freed
    store.update(lambda p: p.mark_read("vg/after"))
    saved = ProgressStore(tmp_path).load()
    assert saved.lesson("vg/next").pages_seen == 10 and saved.lesson("vg/after").read
    if case != "enospc-moving-a-bad-file-aside":
        assert kept_good_work(saved)
    else:  # the file it could not read was never overwritten: it is the backup now
        [backup] = backups(tmp_path)
        assert backup.read_bytes() == b"{broken"


# -- two instances at once ---------------------------------------------------------------


def test_two_instances_file_corrupted_by_another_program_mid_session(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    store.update(lambda p: p.record_quiz("vg/b", 3, 4))
    (tmp_path / "progress.json").write_bytes(b"\0" * 512)  # e.g. another tool wrote it
    progress = store.update(lambda p: p.mark_lab_visited("vg/c"))
    assert {"vg/a", "vg/b", "vg/c"} <= set(progress.lessons)
    saved = ProgressStore(tmp_path).load()
    assert saved.lesson("vg/a").read and saved.lesson("vg/b").quiz_best == 3
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == b"\0" * 512
    assert len(store.take_warnings()) == 1


def test_two_instances_interleaved_with_stale_views(tmp_path: Path) -> None:
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    first.load(), second.load()
    for i in range(10):
        first.update(lambda p, i=i: p.record_quiz("vg/q", i, 10))
        second.update(lambda p, i=i: p.record_page("vg/r", i))
    saved = ProgressStore(tmp_path).load()
    assert saved.lesson("vg/q").quiz_best == 9 and saved.lesson("vg/r").pages_seen == 10
    assert first.take_warnings() == second.take_warnings() == []


def _hammer(folder: str, name: str, start) -> None:
    start.wait(10)
    store = ProgressStore(Path(folder))
    for i in range(40):
        store.update(
            lambda p, i=i: p.record_page(f"{name}/lesson", i).mark_lab_visited(f"{name}/l{i}")
        )
        store.load()


@pytest.mark.slow
def test_two_instances_processes_writing_at_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    start = context.Event()
    workers = [context.Process(target=_hammer, args=(str(tmp_path), name, start)) for name in "ab"]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    saved = ProgressStore(tmp_path).load()
    for name in "ab":
        assert saved.lesson(f"{name}/lesson").pages_seen == 40
        assert all(saved.lesson(f"{name}/l{i}").lab_visited for i in range(40))
    assert backups(tmp_path) == []  # nobody ever saw a half-written file
