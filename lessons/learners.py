"""A class's learners on one server: a safe folder per name, and what each one did.

`vgtutor serve` keeps each learner's progress in `<learners folder>/<folder name>/`;
`vgtutor class-report` reads those folders back. Both sides agree here on how a typed
name becomes a folder, so a name can never climb out of the learners folder or clash
with another spelling of itself ("Ana", "ana ", "Ána" are one learner).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lessons.progress import FILE_NAME, Progress, ProgressFileError, parse
from lessons.progress.store import read_regular

MAX_NAME_CHARS = 40
"""Longest folder name a learner's name becomes (longer names are cut)."""
_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10))}) | frozenset(
    f"lpt{n}" for n in range(10)
)
"""Names Windows will not create as folders."""


def folder_name(name: str) -> str | None:
    """The folder a learner's typed name is kept in, or None if nothing usable is left.

    Letters are case-folded (ß is "ss") and lose their accents, other letters and
    digits are spelled as their code point (李 is "u674e"), and every run of anything
    else becomes one "-": only a-z, 0-9 and inner "-" remain, so the name is one path
    component that no file system treats specially.
    """
    spelled = []
    for char in unicodedata.normalize("NFKD", name.casefold()):
        if unicodedata.combining(char):
            continue
        if char.isascii():
            spelled.append(char)
        elif char.isalnum():
            spelled.append(f"-u{ord(char):x}-")
        else:
            spelled.append("-")
    safe = _NOT_SAFE.sub("-", "".join(spelled)).strip("-")[:MAX_NAME_CHARS].strip("-")
    if not safe:
        return None
    return f"learner-{safe}" if safe in _RESERVED else safe


@dataclass(frozen=True)
class LearnerReport:
    """One learner's totals, as class-report prints them."""

    learner: str
    lessons_read: tuple[str, ...]
    quiz_best: dict[str, tuple[int, int | None]]
    """Lesson key -> (best right answers, questions in the latest attempt)."""
    exercises_solved: tuple[str, ...]
    problem: str | None = None
    """Why the learner's file could not be read (then everything else is empty)."""


def read_learners(folder: Path) -> list[LearnerReport]:
    """Every learner folder under `folder` (sorted by name), read without changing anything.

    A folder without a progress file is a learner who has done nothing yet. Files are
    only read, never moved aside, even when they are damaged.
    """
    reports = []
    for child in sorted(folder.iterdir(), key=lambda path: path.name):
        if child.is_dir() and not child.is_symlink() and folder_name(child.name) == child.name:
            reports.append(read_learner(child))
    return reports


def read_learner(folder: Path) -> LearnerReport:
    try:
        progress, _dropped = parse(read_regular(folder / FILE_NAME, follow_links=False))
    except FileNotFoundError:
        progress = Progress()
    except (OSError, ProgressFileError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return LearnerReport(folder.name, (), {}, (), problem=reason)
    return LearnerReport(
        learner=folder.name,
        lessons_read=tuple(sorted(key for key, entry in progress.lessons.items() if entry.read)),
        quiz_best={
            key: (entry.quiz_best, entry.quiz_total)
            for key, entry in sorted(progress.lessons.items())
            if entry.quiz_best is not None
        },
        exercises_solved=tuple(
            sorted(key for key, entry in progress.exercises.items() if entry.done)
        ),
    )
