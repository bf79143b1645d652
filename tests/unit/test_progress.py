"""The progress store keeps completed work through merges, crashes, bad files and full disks."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import re
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessons.progress import (
    DATA_DIR_ENV,
    ExerciseProgress,
    LessonProgress,
    Position,
    Progress,
    ProgressFileError,
    ProgressStore,
    lesson_key,
    merge,
    parse,
    to_json,
)

# -- strategies -------------------------------------------------------------------------

keys = st.sampled_from(["vg/a", "vg/b", "vg/c", "mine/a"])
counts = st.integers(0, 20)
maybe_counts = st.none() | counts
lessons_st = st.builds(
    LessonProgress,
    read=st.booleans(),
    pages_seen=counts,
    quiz_right=maybe_counts,
    quiz_total=maybe_counts,
    quiz_best=maybe_counts,
    lab_visited=st.booleans(),
)
times = st.datetimes(min_value=datetime(2000, 1, 1), timezones=st.just(timezone.utc)).map(
    lambda moment: moment.isoformat(timespec="seconds")
)
exercises_st = st.builds(ExerciseProgress, done=st.booleans(), at=times)
progresses = st.builds(
    Progress,
    lessons=st.dictionaries(keys, lessons_st, max_size=4),
    exercises=st.dictionaries(keys, exercises_st, max_size=4),
    last=st.none() | st.builds(Position, lesson=keys, page=counts),
)


def completed(progress: Progress) -> tuple[dict, frozenset]:
    """The part of progress that must never be lost."""
    lessons = {
        key: (p.read, p.lab_visited, p.pages_seen, p.quiz_best)
        for key, p in progress.lessons.items()
    }
    return lessons, frozenset(k for k, e in progress.exercises.items() if e.done)


def at_least(bigger: LessonProgress, smaller: LessonProgress) -> bool:
    return (
        bigger.read >= smaller.read
        and bigger.lab_visited >= smaller.lab_visited
        and bigger.pages_seen >= smaller.pages_seen
        and (bigger.quiz_best or -1) >= (smaller.quiz_best or -1)
    )


# -- the model --------------------------------------------------------------------------


def test_update_helpers_record_what_the_learner_did() -> None:
    key = lesson_key("vg", "intro")
    progress = (
        Progress()
        .mark_read(key)
        .record_page(key, 3)
        .record_page(key, 1)
        .record_quiz(key, 4, 5)
        .record_quiz(key, 2, 5)
        .mark_lab_visited(key)
        .set_last(key, 1)
    )
    assert progress.lesson(key) == LessonProgress(
        read=True, pages_seen=4, quiz_right=2, quiz_total=5, quiz_best=4, lab_visited=True
    )
    assert progress.last == Position("vg/intro", 1)
    assert Progress().lesson(key) == LessonProgress()


def test_an_exercise_keeps_its_first_completion_time() -> None:
    first = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    progress = Progress().mark_exercise_done("vg/ex1", at=first).mark_exercise_done("vg/ex1")
    assert progress.exercises["vg/ex1"] == ExerciseProgress(True, "2026-01-02T03:04:05+00:00")


@pytest.mark.parametrize(
    "bad",
    [
        lambda p: p.mark_read("no-slash"),
        lambda p: p.mark_read("a/b/c"),
        lambda p: p.record_page("vg/a", -1),
        lambda p: p.record_quiz("vg/a", 6, 5),
        lambda p: p.record_quiz("vg/a", 0, 0),
        lambda p: p.set_last("vg/a", -2),
    ],
)
def test_helpers_reject_nonsense(bad) -> None:
    with pytest.raises(ValueError):
        bad(Progress())


def test_progress_cannot_be_changed_in_place() -> None:
    progress = Progress().mark_read("vg/a")
    with pytest.raises(TypeError):
        progress.lessons["vg/b"] = LessonProgress()  # type: ignore[index]


@given(progresses, progresses)
def test_merge_is_commutative_on_completed_work(a: Progress, b: Progress) -> None:
    assert completed(merge(a, b)) == completed(merge(b, a))


@given(progresses, progresses)
def test_merge_never_loses_completed_work(a: Progress, b: Progress) -> None:
    merged = merge(a, b)
    for side in (a, b):
        for key, lesson in side.lessons.items():
            assert at_least(merged.lesson(key), lesson)
        assert completed(side)[1] <= completed(merged)[1]


@given(progresses, progresses)
def test_merge_takes_the_newer_position_and_quiz_attempt(a: Progress, b: Progress) -> None:
    merged = merge(a, b)
    assert merged.last == (b.last if b.last is not None else a.last)
    for key, lesson in b.lessons.items():
        if lesson.quiz_total is not None:
            assert (merged.lesson(key).quiz_right, merged.lesson(key).quiz_total) == (
                lesson.quiz_right,
                lesson.quiz_total,
            )


@given(progresses)
def test_merge_with_itself_changes_nothing(a: Progress) -> None:
    assert merge(a, a) == a


@given(progresses)
def test_json_round_trip(progress: Progress) -> None:
    assert parse(json.dumps(to_json(progress)).encode()) == (progress, [])


# -- the store --------------------------------------------------------------------------


def test_store_round_trip_between_instances(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    saved = store.update(
        lambda p: (
            p.mark_read("vg/a")
            .record_quiz("vg/a", 3, 4)
            .mark_exercise_done("vg/ex")
            .set_last("vg/b", 2)
        )
    )
    assert ProgressStore(tmp_path).load() == saved
    assert json.loads((tmp_path / "progress.json").read_text())["version"] == 1
    assert store.warnings == []


def test_default_folder_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    store = ProgressStore()
    store.update(lambda p: p.mark_read("vg/a"))
    assert store.path == tmp_path / "data" / "progress.json"
    assert store.path.exists()


def test_a_change_cannot_erase_completed_work(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a").record_quiz("vg/a", 5, 5))
    after = store.update(lambda p: Progress())
    assert after.lesson("vg/a").read and after.lesson("vg/a").quiz_best == 5


def test_two_stores_interleaving_keep_each_others_work(tmp_path: Path) -> None:
    one, two = ProgressStore(tmp_path), ProgressStore(tmp_path)
    one.load(), two.load()
    one.update(lambda p: p.mark_read("vg/a"))
    two.update(lambda p: p.mark_read("vg/b"))
    assert set(ProgressStore(tmp_path).load().lessons) == {"vg/a", "vg/b"}


def _mark_many(folder: str, prefix: str, count: int, start: threading.Event) -> None:
    start.wait(10)
    store = ProgressStore(Path(folder))
    for i in range(count):
        store.update(lambda p, i=i: p.mark_read(f"{prefix}/l{i}").set_last(f"{prefix}/l{i}", i))


@pytest.mark.slow
def test_concurrent_processes_lose_no_mark(tmp_path: Path) -> None:
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    start = context.Event()
    workers = [
        context.Process(target=_mark_many, args=(str(tmp_path), f"p{n}", 50, start))
        for n in range(2)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    progress = ProgressStore(tmp_path).load()
    assert {k for k, lesson in progress.lessons.items() if lesson.read} == {
        f"p{n}/l{i}" for n in range(2) for i in range(50)
    }


@pytest.mark.slow
def test_concurrent_threads_with_separate_stores_lose_no_mark(tmp_path: Path) -> None:
    start = threading.Event()
    threads = [
        threading.Thread(target=_mark_many, args=(str(tmp_path), f"t{n}", 50, start))
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(30)
    assert len(ProgressStore(tmp_path).load().lessons) == 100


BAD_FILES = {
    "corrupt json": b'{"version": 1, "lessons": {',
    "empty file": b"",
    "invalid utf-8": b'{"version": 1, "lessons": {"vg/a": {"read": true}}}\xff\xfe',
    "not an object": b"[1, 2, 3]",
    "no version": b'{"lessons": {}}',
    "future version": b'{"version": 2, "lessons": {"vg/a": {"read": true}}}',
    "lessons is a number": b'{"version": 1, "lessons": 3}',
    "read is a string": b'{"version": 1, "lessons": {"vg/a": {"read": "yes"}}}',
    "deeply nested": b"[" * 100_000,
}


UNREADABLE = {name: data for name, data in BAD_FILES.items() if name != "future version"}
"""A newer version's file is not unreadable, only not ours: it is left untouched."""


@pytest.mark.parametrize("data", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unreadable_file_is_kept_aside_and_warned_about_once(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "progress.json").write_bytes(data)
    store = ProgressStore(tmp_path)

    assert store.load() == Progress()
    [backup] = tmp_path.glob("progress.json.bad-*")
    assert re.fullmatch(r"progress\.json\.bad-\d{8}-\d{6}", backup.name)
    assert backup.read_bytes() == data
    assert not (tmp_path / "progress.json").exists()
    assert store.warnings == [
        f"Your progress file was unreadable ({_reason(data)}); it was kept "
        f"as {backup} and a fresh one was started."
    ]

    store.update(lambda p: p.mark_read("vg/b"))
    store.load()
    assert len(store.take_warnings()) == 1
    assert store.take_warnings() == []
    assert ProgressStore(tmp_path).load().lesson("vg/b").read
    assert backup.read_bytes() == data


def _reason(data: bytes) -> str:
    try:
        progress, problems = parse(data)
    except ProgressFileError as err:
        return str(err)
    assert progress == Progress()
    return problems[0]


def test_future_version_says_so(tmp_path: Path) -> None:
    (tmp_path / "progress.json").write_bytes(BAD_FILES["future version"])
    store = ProgressStore(tmp_path)
    store.load()
    assert "newer vgtutor, format version 2" in store.warnings[0]


def test_valid_entries_are_salvaged_and_the_original_kept(tmp_path: Path) -> None:
    data = json.dumps(
        {
            "version": 1,
            "lessons": {
                "vg/a": {"read": True, "quiz_best": 3, "quiz_total": 4},
                "vg/b": {"read": "yes"},
                "bad key": {"read": True},
            },
            "exercises": {
                "vg/ex": {"done": True, "at": "2026-01-01T00:00:00+00:00"},
                "vg/ex2": {"done": True, "at": "yesterday"},
            },
            "last": {"lesson": "vg/a", "page": -1},
        }
    ).encode()
    (tmp_path / "progress.json").write_bytes(data)
    store = ProgressStore(tmp_path)

    progress = store.load()
    assert set(progress.lessons) == {"vg/a"} and progress.lesson("vg/a").quiz_best == 3
    assert set(progress.exercises) == {"vg/ex"} and progress.last is None
    [backup] = tmp_path.glob("progress.json.bad-*")
    assert backup.read_bytes() == data
    [warning] = store.take_warnings()
    assert warning.startswith("Part of your progress file was unreadable (")
    assert "3 more" in warning and str(backup) in warning
    # The salvaged part is on disk straight away, so a restart does not lose it.
    assert ProgressStore(tmp_path).load() == progress


def test_backups_in_the_same_second_get_distinct_names(tmp_path: Path) -> None:
    for data in (b"one", b"two", b"three"):
        (tmp_path / "progress.json").write_bytes(data)
        ProgressStore(tmp_path).load()
    backups = list(tmp_path.glob("progress.json.bad-*"))
    assert sorted(b.read_bytes() for b in backups) == [b"one", b"three", b"two"]


def test_crash_mid_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    before = (tmp_path / "progress.json").read_bytes()

    def crash(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    progress = store.update(lambda p: p.mark_read("vg/b"))
    assert progress.lesson("vg/b").read
    assert (tmp_path / "progress.json").read_bytes() == before
    assert list(tmp_path.glob(".progress.json.*")) == []

    monkeypatch.undo()
    store.update(lambda p: p.mark_read("vg/c"))
    assert set(ProgressStore(tmp_path).load().lessons) == {"vg/a", "vg/b", "vg/c"}


def test_full_disk_keeps_progress_in_memory_and_warns_once(tmp_path: Path, monkeypatch) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    before = (tmp_path / "progress.json").read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    for i in range(10):
        store.update(lambda p, i=i: p.record_quiz("vg/a", i, 10))
    assert (tmp_path / "progress.json").read_bytes() == before
    assert store.load().lesson("vg/a").quiz_best == 9
    [warning] = store.take_warnings()
    assert "No space left on device" in warning and "kept in memory" in warning
    # Meanwhile another window saves its own work; nothing from either is lost.
    monkeypatch.undo()
    ProgressStore(tmp_path).update(lambda p: p.mark_lab_visited("vg/z"))
    store.update(lambda p: p.mark_read("vg/b"))
    on_disk = ProgressStore(tmp_path).load()
    assert on_disk.lesson("vg/a").quiz_best == 9
    assert on_disk.lesson("vg/b").read and on_disk.lesson("vg/z").lab_visited
    assert store.warnings == []


def test_unwritable_folder_keeps_running(tmp_path: Path, monkeypatch) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    before = (tmp_path / "progress.json").read_bytes()

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    store.update(lambda p: p.mark_read("vg/b"))
    store.update(lambda p: p.mark_read("vg/c"))
    assert (tmp_path / "progress.json").read_bytes() == before
    assert set(store.load().lessons) == {"vg/a", "vg/b", "vg/c"}
    assert len(store.warnings) == 1 and "Permission denied" in store.warnings[0]


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions that bind (not root)"
)
def test_read_only_folder_for_real(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        store = ProgressStore(folder)
        assert store.update(lambda p: p.mark_read("vg/a")).lesson("vg/a").read
        assert len(store.warnings) == 1
    finally:
        folder.chmod(0o700)


def test_a_bad_file_that_cannot_be_moved_aside_is_never_overwritten(
    tmp_path: Path, monkeypatch
) -> None:
    data = b"{broken"
    (tmp_path / "progress.json").write_bytes(data)

    def denied(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", denied)
    store = ProgressStore(tmp_path)
    for key in ("vg/a", "vg/b"):
        store.update(lambda p, key=key: p.mark_read(key))
    assert (tmp_path / "progress.json").read_bytes() == data
    assert set(store.load().lessons) == {"vg/a", "vg/b"}
    [warning] = store.warnings
    assert "could not be moved aside" in warning

    monkeypatch.undo()
    store.update(lambda p: p.mark_read("vg/c"))
    assert set(ProgressStore(tmp_path).load().lessons) == {"vg/a", "vg/b", "vg/c"}
    [backup] = tmp_path.glob("progress.json.bad-*")
    assert backup.read_bytes() == data


def test_reset_keeps_the_old_file(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path)
    store.update(lambda p: p.mark_read("vg/a"))
    before = (tmp_path / "progress.json").read_bytes()

    backup = store.reset()
    assert backup is not None and re.fullmatch(r"progress\.json\.reset-\d{8}-\d{6}", backup.name)
    assert backup.read_bytes() == before
    assert store.load() == Progress()
    assert store.reset() is None


def test_a_reset_elsewhere_is_not_undone(tmp_path: Path) -> None:
    app = ProgressStore(tmp_path)
    app.update(lambda p: p.mark_read("vg/a"))
    ProgressStore(tmp_path).reset()
    assert set(app.update(lambda p: p.mark_read("vg/b")).lessons) == {"vg/b"}
