"""The manifest and its lessons: one pass over a pack folder, in the order parts depend.

Presets load first (lessons and questions name them), then lessons with their readings
and quizzes, then exercises (which name lessons).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lessons.catalog.exercises import load_exercises
from lessons.catalog.fields import Checker, Ref, describe, given, label
from lessons.catalog.files import MANIFEST, Doc
from lessons.catalog.pages import load_pages
from lessons.catalog.presets import PresetIndex, load_presets
from lessons.catalog.quizzes import load_questions
from lessons.pack import FORMAT_VERSION, Lesson, Pack, PackError, Question
from lessons.toml_lines import PathPart

_MANIFEST_KEYS = ("format_version", "id", "title", "preset_files", "exercise_files", "lesson")
_LESSON_KEYS = ("id", "title", "reading", "questions", "presets")


def builtin_pack_path() -> Path:
    """The folder of the built-in course."""
    return Path(__file__).resolve().parent.parent / "content"


def load_pack(path: Path) -> tuple[Pack | None, list[PackError]]:
    """Load and validate the pack in folder `path`: the pack (None if unusable) and all problems.

    Error files are relative to the pack folder, in POSIX form ("quizzes/01.toml").
    """
    path = Path(path)
    try:
        root = path.resolve()
    except (OSError, RuntimeError, ValueError):
        root = None
    if root is None or not root.is_dir():
        return None, [PackError(str(path), None, "pack", "not a folder")]
    check = Checker(root)
    return _load(check), check.errors


def _load(check: Checker) -> Pack | None:
    manifest = check.toml(MANIFEST, None)
    if manifest is None or not _format_version(check, manifest):
        return None
    data = manifest.data
    check.unknown_keys(manifest, data, (), "", _MANIFEST_KEYS)
    pack_id = check.ident(manifest, data, (), "id", set(), "pack") or check.root.name
    title = check.text(manifest, data, (), "title", "title") or pack_id
    presets = load_presets(check, manifest)
    lesson_ids: set[str] = set()
    lessons = _load_lessons(check, presets, lesson_ids, manifest, pack_id)
    exercises = load_exercises(check, manifest, pack_id, lesson_ids)
    return Pack(pack_id, title, check.root, tuple(lessons), dict(presets.found), exercises)


def _format_version(check: Checker, doc: Doc) -> bool:
    """Whether the manifest can be read as this format (a missing version is assumed 1)."""
    value = doc.data.get("format_version")
    if value is None:
        check.error(
            doc.rel,
            None,
            "format_version",
            f"missing; start pack.toml with `format_version = {FORMAT_VERSION}`",
        )
        return True
    if isinstance(value, bool) or value != FORMAT_VERSION:
        check.error_in(
            doc,
            ("format_version",),
            "format_version",
            f"this vgtutor reads format_version {FORMAT_VERSION}; got {describe(value)}",
        )
        return False
    return True


def _load_lessons(
    check: Checker, presets: PresetIndex, taken: set[str], manifest: Doc, pack_id: str
) -> list[Lesson]:
    """The sound lessons; `taken` collects every valid lesson id, kept or not."""
    if not manifest.data.get("lesson"):
        check.error(manifest.rel, None, "lesson", "no lessons: add [[lesson]] tables")
    question_ids: set[str] = set()
    lessons = []
    for index, table in check.tables(manifest, manifest.data, (), "lesson", "lesson"):
        lesson = _lesson(check, presets, taken, question_ids, manifest, index, table, pack_id)
        if lesson is not None:
            lessons.append(lesson)
    return lessons


def _lesson(
    check: Checker,
    presets: PresetIndex,
    taken: set[str],
    question_ids: set[str],
    doc: Doc,
    index: int,
    table: dict[str, Any],
    pack_id: str,
) -> Lesson | None:
    path: tuple[PathPart, ...] = ("lesson", index)
    name = label("lesson", table, index)
    check.unknown_keys(doc, table, path, name, _LESSON_KEYS)
    lesson_id = check.ident(doc, table, path, f"{name}.id", taken, "lesson")
    title = check.text(doc, table, path, "title", f"{name}.title")
    pages = load_pages(check, Ref(doc, (*path, "reading"), f"{name}.reading"), table.get("reading"))
    preset_ids = _preset_ids(check, presets, doc, path, name, table.get("presets"))
    questions: tuple[Question, ...] = ()
    if "questions" in table:
        ref = Ref(doc, (*path, "questions"), f"{name}.questions")
        questions = load_questions(check, presets, question_ids, ref, table["questions"])
    else:
        check.error_in(doc, path, f"{name}.questions", "missing: name the lesson's quiz file")
    if lesson_id is None or title is None or not pages or not preset_ids:
        return None
    return Lesson(lesson_id, title, pages, questions, preset_ids, pack_id)


def _preset_ids(
    check: Checker,
    presets: PresetIndex,
    doc: Doc,
    path: tuple[PathPart, ...],
    name: str,
    value: Any,
) -> tuple[str, ...]:
    where, field = (*path, "presets"), f"{name}.presets"
    if not isinstance(value, list) or not value:
        message = f"a lesson needs a list of at least one preset id; {given(value, [])}"
        check.error_in(doc, where, field, message)
        return ()
    named = (presets.named(check, doc, where, field, item) for item in value)
    return tuple(preset for preset in named if preset is not None)
