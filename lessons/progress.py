"""The learner's progress: what they read, scored and tried, kept safely on disk.

Progress is the one thing in vgtutor a learner cannot regenerate, so this module is
careful with it: writes are atomic, concurrent writers merge instead of overwriting
each other, and a file it cannot understand is kept aside (never deleted) before a
fresh one is started. Anything the learner should hear about goes to
`ProgressStore.warnings`, once.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import platformdirs

try:
    import fcntl
except ImportError:  # Windows: no flock; the store's own mutex still serialises threads.
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 1
FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"
DATA_DIR_ENV = "VGTUTOR_DATA_DIR"


def default_folder() -> Path:
    """The per-user data folder; `VGTUTOR_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("vgtutor"))


def lesson_key(pack_id: str, item_id: str) -> str:
    """The "<pack_id>/<id>" key a lesson or exercise is stored under."""
    return _check_key(f"{pack_id}/{item_id}")


# -- the model ---------------------------------------------------------------------------


def _check_key(key: object) -> str:
    if isinstance(key, str):
        pack, sep, item = key.partition("/")
        if sep and pack and item and "/" not in item and not any(c.isspace() for c in key):
            return key
    raise ValueError(f"expected a 'pack/id' key, got {key!r}")


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


@dataclass(frozen=True)
class LessonProgress:
    """How far the learner got in one lesson."""

    read: bool = False
    pages_seen: int = 0
    """How many pages were seen: the highest 0-based page index seen, plus one."""
    quiz_right: int | None = None
    quiz_total: int | None = None
    """The latest quiz attempt: `quiz_right` right answers out of `quiz_total`."""
    quiz_best: int | None = None
    """The most right answers in any attempt."""
    lab_visited: bool = False
    quiz_mastered: tuple[str, ...] = ()
    """Ids of questions answered right in a review of missed ones (lessons/quiz.py)."""

    def __post_init__(self) -> None:
        mastered = self.quiz_mastered  # a JSON list when read from a file
        _require(
            isinstance(mastered, (list, tuple)) and all(isinstance(q, str) for q in mastered),
            "quiz_mastered: expected a list of question ids",
        )
        object.__setattr__(self, "quiz_mastered", tuple(sorted(set(mastered))))
        _require(isinstance(self.read, bool), "read: expected true or false")
        _require(_is_count(self.pages_seen), "pages_seen: expected a whole number >= 0")
        for name in ("quiz_right", "quiz_total", "quiz_best"):
            value = getattr(self, name)
            _require(
                value is None or _is_count(value), f"{name}: expected null or a whole number >= 0"
            )
        _require(isinstance(self.lab_visited, bool), "lab_visited: expected true or false")


@dataclass(frozen=True)
class ExerciseProgress:
    """Whether an exercise was done, and when."""

    done: bool
    at: str
    """ISO 8601 time of the (first) completion."""

    def __post_init__(self) -> None:
        _require(isinstance(self.done, bool), "done: expected true or false")
        _require(isinstance(self.at, str), "at: expected an ISO 8601 time")
        try:
            datetime.fromisoformat(self.at)
        except ValueError:
            raise ValueError("at: expected an ISO 8601 time") from None


@dataclass(frozen=True)
class Position:
    """Where the learner was last: a lesson key and a 0-based page index."""

    lesson: str
    page: int

    def __post_init__(self) -> None:
        _require(isinstance(self.lesson, str), "lesson: expected a 'pack/lesson' key")
        _check_key(self.lesson)
        _require(_is_count(self.page), "page: expected a whole number >= 0")


@dataclass(frozen=True)
class Progress:
    """Everything recorded for one learner; the update methods return a new Progress."""

    lessons: Mapping[str, LessonProgress] = field(default_factory=dict)
    exercises: Mapping[str, ExerciseProgress] = field(default_factory=dict)
    last: Position | None = None

    def __post_init__(self) -> None:
        # Read-only copies, so a frozen Progress really cannot change under its holders.
        for name, kind in (("lessons", LessonProgress), ("exercises", ExerciseProgress)):
            entries = dict(getattr(self, name))
            for key, value in entries.items():
                _check_key(key)
                _require(isinstance(value, kind), f"{name}[{key!r}]: expected {kind.__name__}")
            object.__setattr__(self, name, MappingProxyType(entries))
        _require(self.last is None or isinstance(self.last, Position), "last: expected Position")

    def lesson(self, key: str) -> LessonProgress:
        """The lesson's progress, or an untouched one if nothing was recorded."""
        return self.lessons.get(key, LessonProgress())

    def mark_read(self, key: str) -> Progress:
        return self._with_lesson(key, read=True)

    def record_page(self, key: str, page: int) -> Progress:
        """Note that the 0-based `page` of the lesson was seen."""
        _require(_is_count(page), f"page must be a whole number >= 0, got {page!r}")
        return self._with_lesson(key, pages_seen=max(self.lesson(key).pages_seen, page + 1))

    def record_quiz(self, key: str, right: int, total: int) -> Progress:
        """Record a quiz attempt as the latest one, keeping the best score."""
        _require(
            _is_count(right) and _is_count(total) and 0 < total and right <= total,
            f"expected 0 <= right <= total and total > 0, got {right}/{total}",
        )
        best = self.lesson(key).quiz_best
        return self._with_lesson(
            key,
            quiz_right=right,
            quiz_total=total,
            quiz_best=right if best is None else max(best, right),
        )

    def mark_lab_visited(self, key: str) -> Progress:
        return self._with_lesson(key, lab_visited=True)

    def mark_exercise_done(self, key: str, at: datetime | None = None) -> Progress:
        """Mark an exercise done; an exercise already done keeps its first completion time."""
        current = self.exercises.get(_check_key(key))
        if current is not None and current.done:
            return self
        when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return replace(self, exercises={**self.exercises, key: ExerciseProgress(True, when)})

    def set_last(self, key: str, page: int) -> Progress:
        return replace(self, last=Position(key, page))

    def _with_lesson(self, key: str, **changes: Any) -> Progress:
        lessons = {**self.lessons, _check_key(key): replace(self.lesson(key), **changes)}
        return replace(self, lessons=lessons)


def merge(a: Progress, b: Progress) -> Progress:
    """Combine two views of one learner's progress without losing completed work.

    Completed work (read, lab visited, pages seen, best quiz score, exercises done) is
    the union or maximum of both, so it never shrinks and does not depend on the
    order. The latest quiz attempt and `last` come from `b`, the newer view, when it
    has them.
    """
    lessons = {
        key: _merge_optional(a.lessons.get(key), b.lessons.get(key), _merge_lesson)
        for key in sorted(a.lessons.keys() | b.lessons.keys())
    }
    exercises = {
        key: _merge_optional(a.exercises.get(key), b.exercises.get(key), _merge_exercise)
        for key in sorted(a.exercises.keys() | b.exercises.keys())
    }
    return Progress(lessons, exercises, b.last if b.last is not None else a.last)


_T = TypeVar("_T")


def _merge_optional(x: _T | None, y: _T | None, both: Callable[[_T, _T], _T]) -> _T:
    if x is None or y is None:
        result = y if x is None else x
        assert result is not None  # the key came from one of the two mappings
        return result
    return both(x, y)


def _merge_lesson(x: LessonProgress, y: LessonProgress) -> LessonProgress:
    latest = y if y.quiz_total is not None else x
    bests = [s for s in (x.quiz_best, y.quiz_best) if s is not None]
    return LessonProgress(
        read=x.read or y.read,
        pages_seen=max(x.pages_seen, y.pages_seen),
        quiz_right=latest.quiz_right,
        quiz_total=latest.quiz_total,
        quiz_best=max(bests) if bests else None,
        lab_visited=x.lab_visited or y.lab_visited,
        quiz_mastered=(*x.quiz_mastered, *y.quiz_mastered),
    )


def _merge_exercise(x: ExerciseProgress, y: ExerciseProgress) -> ExerciseProgress:
    if x.done and y.done:
        return x if _instant(x.at) <= _instant(y.at) else y
    return x if x.done else y


def _instant(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# -- the file format ---------------------------------------------------------------------


class ProgressFileError(ValueError):
    """A progress file with nothing salvageable in it."""


def to_json(progress: Progress) -> dict[str, Any]:
    """The versioned JSON object stored on disk."""
    return {
        "version": SCHEMA_VERSION,
        "lessons": {
            key: {**asdict(entry), "quiz_mastered": list(entry.quiz_mastered)}
            for key, entry in sorted(progress.lessons.items())
        },
        "exercises": {key: asdict(progress.exercises[key]) for key in sorted(progress.exercises)},
        "last": asdict(progress.last) if progress.last is not None else None,
    }


def parse(data: bytes) -> tuple[Progress, list[str]]:
    """Decode a progress file, keeping every valid entry.

    Returns the progress and one line per dropped part (empty if the file was clean).
    Raises ProgressFileError when nothing can be salvaged: not UTF-8, not JSON, not an
    object, or a missing or unknown format version.
    """
    try:
        # utf-8-sig: an editor that saved the file with a byte order mark broke nothing.
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ProgressFileError("not UTF-8 text") from None
    except (ValueError, RecursionError) as err:
        where = f" at line {err.lineno}" if isinstance(err, json.JSONDecodeError) else ""
        raise ProgressFileError(f"not valid JSON{where}") from None
    if not isinstance(obj, dict):
        raise ProgressFileError("not a JSON object")
    version = obj.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressFileError("no valid format version")
    if version > SCHEMA_VERSION:
        raise ProgressFileError(f"written by a newer vgtutor, format version {version}")
    problems = [f"unknown field {name!r}" for name in sorted(obj.keys() - _TOP_LEVEL)]
    lessons = _decode_section(obj, "lessons", LessonProgress, problems)
    exercises = _decode_section(obj, "exercises", ExerciseProgress, problems)
    last = None
    if obj.get("last") is not None:
        try:
            last = _decode_entry(Position, obj["last"])
        except ValueError as err:
            problems.append(f"last: {err}")
    return Progress(lessons, exercises, last), problems


_TOP_LEVEL = {"version", "lessons", "exercises", "last"}


def _decode_section(
    obj: dict[str, Any], name: str, kind: type[_T], problems: list[str]
) -> dict[str, _T]:
    raw = obj.get(name, {})
    if not isinstance(raw, dict):
        problems.append(f"{name!r} is not an object")
        return {}
    entries = {}
    for key, entry in raw.items():
        try:
            entries[_check_key(key)] = _decode_entry(kind, entry)
        except ValueError as err:
            problems.append(f"{name}[{key!r}]: {err}")
    return entries


def _decode_entry(kind: type[_T], entry: object) -> _T:
    if not isinstance(entry, dict):
        raise ValueError("expected an object")
    names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    unknown = sorted(entry.keys() - set(names))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    missing = [
        f.name
        for f in fields(kind)  # type: ignore[arg-type]
        if f.default is MISSING and f.name not in entry
    ]
    if missing:
        raise ValueError(f"missing field {missing[0]!r}")
    return kind(**entry)


# -- the store ---------------------------------------------------------------------------


class ProgressStore:
    """The learner's progress file, safe to share between processes.

    Every update re-reads the file under an exclusive lock and merges into it, so two
    vgtutor windows never overwrite each other's work. load() and update() never raise
    over file trouble: it becomes a one-line warning, and progress is kept in memory
    until a write succeeds.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.path = self.folder / FILE_NAME
        self.warnings: list[str] = []
        """One-line messages for the learner, each added once; see take_warnings()."""
        self._issued: set[str] = set()
        self._memory = Progress()
        self._unsaved = False
        self._save_warned = False
        self._mutex = threading.RLock()

    def take_warnings(self) -> list[str]:
        """Return the pending warnings and forget them, so each is shown once."""
        with self._mutex:
            taken = list(self.warnings)
            self.warnings.clear()
            return taken

    def load(self) -> Progress:
        """The learner's progress: the file's, plus anything not yet saved."""
        with self._locked(create=False):
            disk = self._read_disk()
            if disk is not None:
                self._memory = merge(disk, self._memory) if self._unsaved else disk
            return self._memory

    def update(self, change: Callable[[Progress], Progress]) -> Progress:
        """Apply `change` to the latest progress, merge it in and save; return the result.

        `change` sees the file as it is now (other processes' work included); merging its
        result means a change can add progress but never erase completed work.
        """
        with self._locked(create=True):
            disk = self._read_disk()
            if disk is None:
                base = self._memory
            else:
                # Unsaved work lives only in memory; otherwise the file is the truth
                # (so a reset from another process is not undone here).
                base = merge(disk, self._memory) if self._unsaved else disk
            self._memory = merge(base, change(base))
            self._unsaved = disk is None or not self._try_write(self._memory)
            return self._memory

    def reset(self) -> Path | None:
        """Start fresh, keeping the old file as `progress.json.reset-…`.

        Returns the backup's path, or None if there was no file. Raises OSError if the
        file cannot be moved aside (then nothing changed).
        """
        with self._locked(create=False):
            try:
                backup = self._move_aside("reset")
            except FileNotFoundError:
                backup = None
            self._memory = Progress()
            self._unsaved = False
            return backup

    @contextmanager
    def _locked(self, create: bool) -> Iterator[None]:
        """Hold the store's mutex and, where possible, an exclusive flock on progress.lock."""
        with self._mutex:
            fd = self._open_lock(create)
            try:
                if fd is not None:
                    with suppress(OSError):  # e.g. ENOLCK on some network file systems
                        fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                if fd is not None:
                    os.close(fd)  # releases the flock

    def _open_lock(self, create: bool) -> int | None:
        if fcntl is None:
            return None
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            return os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None  # no folder or not writable: any write will fail and warn

    def _read_disk(self) -> Progress | None:
        """The file's progress, or None when it cannot be read safely (a warning says why)."""
        try:
            data = _read_regular(self.path)
        except FileNotFoundError:
            return Progress()
        except OSError as err:
            self._warn(
                f"Your progress file {self.path} could not be read ({_why(err)}); "
                "progress is kept in memory for this session."
            )
            return None
        try:
            progress, problems = parse(data)
        except ProgressFileError as err:
            progress, problems = Progress(), [str(err)]
        if not problems:
            return progress
        summary = problems[0] + (f"; {len(problems) - 1} more" if len(problems) > 1 else "")
        try:
            backup = self._move_aside("bad")
        except OSError as err:
            self._warn(
                f"Your progress file {self.path} is unreadable ({summary}) and could not "
                f"be moved aside ({_why(err)}); it is left as it is and progress is kept "
                "in memory for this session."
            )
            return None
        if progress == Progress():
            self._warn(
                f"Your progress file was unreadable ({summary}); it was kept as "
                f"{backup} and a fresh one was started."
            )
        else:
            self._warn(
                f"Part of your progress file was unreadable ({summary}); the rest was "
                f"kept, and the original was saved as {backup}."
            )
        # If the file went bad under a running session (another program wrote it), what
        # this session had saved there is now only in memory: put it back in the file.
        recovered = merge(progress, self._memory)
        self._unsaved = recovered != Progress() and not self._try_write(recovered)
        return recovered

    def _try_write(self, progress: Progress) -> bool:
        """Write, or warn (once until a write succeeds again) and report failure."""
        try:
            self._write(progress)
        except OSError as err:
            if not self._save_warned:
                self._save_warned = True
                self._warn(
                    f"Your progress could not be saved to {self.path} ({_why(err)}); "
                    "it is kept in memory and saving will be retried."
                )
            return False
        self._save_warned = False
        return True

    def _write(self, progress: Progress) -> None:
        """Replace the file atomically: readers see the old or the new file, never a part."""
        data = (json.dumps(to_json(progress), indent=2) + "\n").encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{FILE_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_folder(self.folder)

    def _move_aside(self, tag: str) -> Path:
        """Rename the file to a timestamped `progress.json.<tag>-YYYYmmdd-HHMMSS[-n]`."""
        name = f"{FILE_NAME}.{tag}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
        backup, n = self.folder / name, 1
        while backup.exists():
            backup, n = self.folder / f"{name}-{n}", n + 1
        os.rename(self.path, backup)
        return backup

    def _warn(self, message: str) -> None:
        if message not in self._issued:
            self._issued.add(message)
            self.warnings.append(message)


MAX_FILE_BYTES = 64 << 20
"""A progress file is a few kB; anything past this is not one (and is not read whole)."""


def _read_regular(path: Path) -> bytes:
    """The file's bytes; OSError unless it is a regular file of at most MAX_FILE_BYTES.

    Opened without blocking, so a named pipe or device in its place cannot hang the app.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_FILE_BYTES >> 20} MiB")
    return data


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(err: OSError) -> str:
    return err.strerror or str(err)
