"""The learner's progress: what they read, scored and tried, kept safely on disk.

`model` holds the frozen values (Progress and its entries), `merge` combines two views
without losing completed work, `codec` is the versioned JSON file format, and `store`
keeps the file (lock, atomic write, backups of unreadable files, one-time warnings).
"""

from lessons.progress.codec import SCHEMA_VERSION, ProgressFileError, parse, to_json
from lessons.progress.merge import merge
from lessons.progress.model import (
    ExerciseProgress,
    LessonProgress,
    Position,
    Progress,
    lesson_key,
)
from lessons.progress.store import (
    DATA_DIR_ENV,
    FILE_NAME,
    LOCK_NAME,
    MAX_FILE_BYTES,
    ProgressStore,
    default_folder,
)

__all__ = [
    "DATA_DIR_ENV",
    "FILE_NAME",
    "LOCK_NAME",
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "ExerciseProgress",
    "LessonProgress",
    "Position",
    "Progress",
    "ProgressFileError",
    "ProgressStore",
    "default_folder",
    "lesson_key",
    "merge",
    "parse",
    "to_json",
]
