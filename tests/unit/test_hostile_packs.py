"""Hostile lesson packs: every one is refused as `file:line: field: what is wrong`, fast,
and the sound rest of the pack and of the course still loads.

The pack is a copy of the minimal example (two lessons) with an exercise added; each
case breaks one thing. Categories (bench/hostile_counts.py counts them by test name):
path traversal, huge files, deep nesting, invalid UTF-8, duplicate ids.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lessons.catalog import MAX_FILE_BYTES, builtin_pack_path, load_pack
from lessons.pack import Pack, PackError
from lessons.sanitize import find_unsafe
from tui.app import load_course

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
SECRET = "TOP-SECRET-OUTSIDE-THE-PACK"
QUICK = 5.0
"""Seconds a hostile pack may take to be refused (the limits make it far less)."""
EXERCISE = """\
[[exercise]]
id = "close-the-gap"
title = "Close the gap"
lesson = "relu-he"
kind = "profile"
task = "Bring layer 1 within a decade of layer 6."
hints = ["Try ReLU with He initialization."]

[exercise.start]
activation = "sigmoid"
depth = 6

[exercise.goal]
weight_log10_ratio = { min = -1.0, max = 1.0 }
"""
FIRST_READING = "readings/01-why-it-shrinks.md"
FIRST_QUIZ = "quizzes/01-why-it-shrinks.toml"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A writable two-lesson pack with one exercise, and a secret file next to it."""
    folder = Path(shutil.copytree(MINIMAL, tmp_path / "pack"))
    (folder / "exercises.toml").write_text(EXERCISE)
    manifest = folder / "pack.toml"
    manifest.write_text(
        manifest.read_text().replace(
            'preset_files = ["presets.toml"]',
            'preset_files = ["presets.toml"]\nexercise_files = ["exercises.toml"]',
        )
    )
    (tmp_path / "outside.md").write_text(f"## {SECRET}\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.md").write_text(f"## {SECRET}\n")
    assert load_pack(folder)[1] == []
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def symlink(link: Path, target: Path | str) -> None:
    link.unlink(missing_ok=True)
    try:
        link.symlink_to(target)
    except OSError:
        pytest.skip("symlinks are not available here")


def builtin_lesson_count() -> int:
    """How many lessons the built-in course has when loaded alone (the figure to keep)."""
    builtin, errors = load_pack(builtin_pack_path())
    assert builtin is not None and not errors
    return len(builtin.lessons)


def load_refused(folder: Path) -> tuple[Pack | None, list[PackError]]:
    """Load within QUICK seconds; every error names a file and is terminal-safe."""
    started = time.monotonic()
    pack, errors = load_pack(folder)
    assert time.monotonic() - started < QUICK
    assert errors, "the hostile pack was accepted"
    for error in errors:
        assert error.file and error.message and not find_unsafe(str(error)), str(error)
    return pack, errors


def the_rest_loads(folder: Path, lesson_left: str | None) -> None:
    """The untouched lesson of the pack loads, and so does the whole built-in course."""
    pack, _ = load_pack(folder)
    assert pack is not None
    ids = [lesson.id for lesson in pack.lessons]
    if lesson_left is not None:
        assert lesson_left in ids
    assert not any(SECRET in page for lesson in pack.lessons for page in lesson.pages)
    course = load_course([folder])
    assert (
        len(course.packs[0].lessons) == builtin_lesson_count()
        and course.packs[0].id == "vanishing-gradients"
    )


def one_error(errors: list[PackError], file: str, field: str, *words: str) -> PackError:
    found = [e for e in errors if e.file == file and e.field == field]
    assert found, [str(e) for e in errors]
    assert all(word in found[0].message for word in words), str(found[0])
    return found[0]


# -- path traversal --------------------------------------------------------------------

TRAVERSAL_VALUES = {
    "dot-dot": ("../outside.md", "leaves the pack folder"),
    "dot-dot-inside-a-path": ("lessons/../../outside.md", "leaves the pack folder"),
    "dot-slash-dot-dot": ("./../outside.md", "leaves the pack folder"),
    "deep-dot-dot": ("lessons/" + "../" * 40 + "etc/passwd", "leaves the pack folder"),
    "absolute": ("/etc/passwd", "is absolute"),
    "proc": ("/proc/self/environ", "is absolute"),
    "windows-drive": ("C:/Windows/win.ini", "is absolute"),
    "unc": ("//server/share/x.md", "is absolute"),
    "backslashes": ("..\\\\outside.md", "use plain characters and /"),
    "nul-byte": ("readings/01\\u0000.md", "use plain characters and /"),
    "escape-in-path": ("lessons/\\u001b[2J.md", "use plain characters and /"),
    "home-tilde": ("~/outside.md", "no such file"),
    "very-long": ("a/" * 3000 + "x.md", "cannot be read: file name too long"),
    "folder": ("readings", "not a regular file"),
    "pack-folder-itself": (".", "not a regular file"),
    "empty": ("", "must be a file path"),
}


@pytest.mark.parametrize("case", list(TRAVERSAL_VALUES))
def test_traversal_in_a_reading_path(pack: Path, case: str) -> None:
    value, words = TRAVERSAL_VALUES[case]
    edit(pack / "pack.toml", f'"{FIRST_READING}"', f'"{value}"')
    _, errors = load_refused(pack)
    assert one_error(errors, "pack.toml", "lesson[why-it-shrinks].reading", words).line == 12
    the_rest_loads(pack, "relu-he")


TRAVERSAL_FIELDS = {
    "questions": (f'"{FIRST_QUIZ}"', "lesson[why-it-shrinks].questions"),
    "preset-files": ('["presets.toml"]', "preset_files[1]"),
    "exercise-files": ('["exercises.toml"]', "exercise_files[1]"),
}


@pytest.mark.parametrize("field", list(TRAVERSAL_FIELDS))
@pytest.mark.parametrize("value", ["../outside.md", "/etc/passwd"])
def test_traversal_in_other_file_fields(pack: Path, field: str, value: str) -> None:
    old, label = TRAVERSAL_FIELDS[field]
    new = f'["{value}"]' if old.startswith("[") else f'"{value}"'
    edit(pack / "pack.toml", old, new)
    _, errors = load_refused(pack)
    one_error(errors, "pack.toml", label)
    the_rest_loads(pack, "relu-he" if field == "questions" else None)


SYMLINKS: dict[str, Callable[[Path], tuple[str, Path | str]]] = {
    "file-out": lambda pack: (FIRST_READING, pack.parent / "outside.md"),
    "relative-file-out": lambda pack: (FIRST_READING, "../../outside.md"),
    "folder-out": lambda pack: ("outlink", pack.parent / "outside"),
    "device": lambda pack: (FIRST_READING, "/dev/zero"),
    "loop": lambda pack: (FIRST_READING, FIRST_READING.rsplit("/", 1)[1]),
    "dangling": lambda pack: (FIRST_READING, "missing.md"),
}
SYMLINK_WORDS = {
    "file-out": "leaves the pack folder",
    "relative-file-out": "leaves the pack folder",
    "folder-out": "leaves the pack folder",
    "device": "leaves the pack folder",
    "loop": "symbolic link loop",
    "dangling": "no such file",
}


@pytest.mark.parametrize("case", list(SYMLINKS))
def test_traversal_by_symlink(pack: Path, case: str) -> None:
    link, target = SYMLINKS[case](pack)
    symlink(pack / link, target)
    if case == "folder-out":
        edit(pack / "pack.toml", f'"{FIRST_READING}"', '"outlink/x.md"')
    _, errors = load_refused(pack)
    one_error(errors, "pack.toml", "lesson[why-it-shrinks].reading", SYMLINK_WORDS[case])
    the_rest_loads(pack, "relu-he")


def test_traversal_by_a_manifest_symlinked_out_gives_no_pack(pack: Path) -> None:
    outside = pack.parent / "pack-outside.toml"
    shutil.copy(pack / "pack.toml", outside)
    symlink(pack / "pack.toml", outside)
    loaded, errors = load_refused(pack)
    assert loaded is None
    one_error(errors, "pack.toml", "pack", "leaves the pack folder")
    assert len(load_course([pack]).packs) == 1  # the built-in course alone


def test_traversal_by_a_named_pipe_never_blocks(pack: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (pack / FIRST_READING).unlink()
    os.mkfifo(pack / FIRST_READING)  # opening it to read would wait for a writer
    _, errors = load_refused(pack)
    one_error(errors, "pack.toml", "lesson[why-it-shrinks].reading", "not a regular file")
    the_rest_loads(pack, "relu-he")


# -- huge files ------------------------------------------------------------------------

HUGE_FILES = {
    "reading": (FIRST_READING, "pack.toml", "lesson[why-it-shrinks].reading"),
    "quiz": (FIRST_QUIZ, "pack.toml", "lesson[why-it-shrinks].questions"),
    "presets": ("presets.toml", "pack.toml", "preset_files[1]"),
    "exercises": ("exercises.toml", "pack.toml", "exercise_files[1]"),
    "manifest": ("pack.toml", "pack.toml", "pack"),
}


@pytest.mark.parametrize("how", ["text", "sparse-3-gib"])
@pytest.mark.parametrize("which", list(HUGE_FILES))
def test_huge_file(pack: Path, which: str, how: str) -> None:
    name, file, field = HUGE_FILES[which]
    target = pack / name
    if how == "text":
        padding = "\n# " + "x" * 70
        target.write_text(target.read_text() + padding * (MAX_FILE_BYTES // len(padding) + 1))
    else:  # all of it claimed, none of it stored: only the first MiB may be read
        with target.open("r+b") as handle:
            handle.truncate(3 << 30)
    loaded, errors = load_refused(pack)
    one_error(errors, file, field, "larger than 1 MiB")
    if which == "manifest":
        assert loaded is None
    else:
        the_rest_loads(pack, "relu-he" if which in ("reading", "quiz") else None)


def test_huge_file_boundary_exactly_1_mib_is_fine(pack: Path) -> None:
    target = pack / FIRST_READING
    text = target.read_text() + "\n"
    target.write_text(text + "x" * (MAX_FILE_BYTES - len(text.encode())))
    assert (target.stat().st_size, load_pack(pack)[1]) == (MAX_FILE_BYTES, [])


# -- deeply nested TOML ----------------------------------------------------------------

M = MAX_FILE_BYTES - 100
NESTED = {
    "arrays": "x = " + "[" * 5000 + "]" * 5000,
    "inline-tables": "x = " + "{a = " * 3000 + "1" + "}" * 3000,
    "arrays-of-inline-tables": "x = " + "[{a = " * 2000 + "1" + "}]" * 2000,
    "unclosed-arrays": "x = " + "[" * (M // 2),
    "dotted-key-1-mib": "x" + ".a" * (M // 2) + " = 1",
    "quoted-dotted-key": "x" + '."a"' * (M // 4) + " = 1",
    "spaced-dotted-key": "x" + " . a" * (M // 4) + " = 1",
    "table-header-1-mib": "[" + ".".join(["a"] * (M // 2)) + "]",
    "array-table-header": "[[" + ".".join(["a"] * (M // 2)) + "]]",
    "inline-dotted-key": "x = {" + "a." * (M // 2) + "a = 1}",
    "just-over-the-key-limit": "x" + ".a" * 32 + " = 1",
}


@pytest.mark.parametrize("case", list(NESTED))
@pytest.mark.parametrize("name", ["presets.toml", FIRST_QUIZ, "exercises.toml", "pack.toml"])
def test_deeply_nested_toml(pack: Path, name: str, case: str) -> None:
    (pack / name).write_text(NESTED[case] + "\n")
    loaded, errors = load_refused(pack)
    error = one_error(errors, name, "syntax")
    assert any(w in error.message for w in ("nested too deeply", "dotted parts", "invalid TOML"))
    if name == "pack.toml":
        assert loaded is None
    else:  # without its presets file no lesson has a lab, so none is kept
        the_rest_loads(pack, None if name == "presets.toml" else "relu-he")


def test_deeply_nested_toml_limit_leaves_ordinary_keys_and_prose_alone(pack: Path) -> None:
    quiz = pack / FIRST_QUIZ
    prose = ". ".join(f"Layer {n}" for n in range(200))  # many dots, none in a key
    edit(quiz, 'explanation = "Its gradient', f'explanation = "{prose}. Its gradient')
    (pack / "presets.toml").write_text(
        (pack / "presets.toml").read_text() + "\n[extra]\n" + "a." * 30 + "a = 1\n"
    )
    _, errors = load_pack(pack)
    assert [e.field for e in errors] == ["extra"]  # an unknown key, not a syntax error


# -- invalid UTF-8 -------------------------------------------------------------------

BAD_BYTES = {
    "lone-ff": b"\xff",
    "bad-continuation": b"\xc3\x28",
    "overlong-slash": b"\xc0\xaf",
    "encoded-surrogate": b"\xed\xa0\x80",
    "truncated": b"\xe2\x82",
    "latin-1": "café".encode("latin-1"),
}
UTF8_FILES = {
    "reading": FIRST_READING,
    "quiz": FIRST_QUIZ,
    "presets": "presets.toml",
    "exercises": "exercises.toml",
    "manifest": "pack.toml",
}


@pytest.mark.parametrize("bad", list(BAD_BYTES))
@pytest.mark.parametrize("which", list(UTF8_FILES))
def test_invalid_utf8(pack: Path, which: str, bad: str) -> None:
    target = pack / UTF8_FILES[which]
    data = target.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1  # a line boundary in the middle
    target.write_bytes(data[:cut] + b"# " + BAD_BYTES[bad] + b"\n" + data[cut:])
    loaded, errors = load_refused(pack)
    error = one_error(errors, UTF8_FILES[which], "encoding", "not valid UTF-8 (byte 0x")
    assert error.line == data[:cut].count(b"\n") + 1
    if which == "manifest":
        assert loaded is None
    else:
        the_rest_loads(pack, "relu-he" if which in ("reading", "quiz") else None)


def test_invalid_utf8_utf16_file(pack: Path) -> None:
    target = pack / FIRST_READING
    target.write_bytes(target.read_text().encode("utf-16"))
    _, errors = load_refused(pack)
    one_error(errors, FIRST_READING, "encoding", "not valid UTF-8")
    the_rest_loads(pack, "relu-he")


# -- duplicate ids ---------------------------------------------------------------------


def duplicate_lesson(pack: Path) -> tuple[str, str]:
    edit(pack / "pack.toml", 'id = "relu-he"', 'id = "why-it-shrinks"')
    return "pack.toml", "lesson[why-it-shrinks].id"


def duplicate_preset(pack: Path) -> tuple[str, str]:
    edit(pack / "presets.toml", 'id = "relu-he-6"', 'id = "sigmoid-6"')
    return "presets.toml", "preset[sigmoid-6].id"


def duplicate_preset_across_files(pack: Path) -> tuple[str, str]:
    presets = (pack / "presets.toml").read_text()
    (pack / "more.toml").write_text(presets.split("\n\n")[0] + "\n")
    edit(pack / "pack.toml", '["presets.toml"]', '["presets.toml", "more.toml"]')
    return "more.toml", "preset[sigmoid-6].id"


def duplicate_question(pack: Path) -> tuple[str, str]:
    edit(pack / FIRST_QUIZ, 'id = "why-shrinks-predict"', 'id = "why-shrinks-causes"')
    return FIRST_QUIZ, "question[why-shrinks-causes].id"


def duplicate_question_across_lessons(pack: Path) -> tuple[str, str]:
    edit(pack / "quizzes/02-relu-he.toml", 'id = "relu-he-why"', 'id = "why-shrinks-causes"')
    return "quizzes/02-relu-he.toml", "question[why-shrinks-causes].id"


def duplicate_exercise(pack: Path) -> tuple[str, str]:
    (pack / "exercises.toml").write_text(EXERCISE + "\n" + EXERCISE)
    return "exercises.toml", "exercise[close-the-gap].id"


def duplicate_toml_key(pack: Path) -> tuple[str, str]:
    edit(pack / "presets.toml", 'kind = "profile"', 'kind = "profile"\nkind = "train"')
    return "presets.toml", "syntax"


DUPLICATES = {
    "lesson": duplicate_lesson,
    "preset": duplicate_preset,
    "preset-across-files": duplicate_preset_across_files,
    "question": duplicate_question,
    "question-across-lessons": duplicate_question_across_lessons,
    "exercise": duplicate_exercise,
    "toml-key": duplicate_toml_key,
}


@pytest.mark.parametrize("case", list(DUPLICATES))
def test_duplicate_ids(pack: Path, case: str) -> None:
    file, field = DUPLICATES[case](pack)
    _, errors = load_refused(pack)
    error = one_error(errors, file, field)
    assert "duplicate" in error.message or "Cannot overwrite" in error.message, str(error)
    assert error.line is not None
    the_rest_loads(pack, None)


@pytest.mark.parametrize("twice", ["same-folder", "copy-with-the-same-id"])
def test_duplicate_ids_of_whole_packs(pack: Path, twice: str) -> None:
    other = pack if twice == "same-folder" else Path(shutil.copytree(pack, pack.parent / "copy"))
    course = load_course([pack, other])
    assert [p.id for p in course.packs] == ["vanishing-gradients", "minimal-example"]
    (error,) = course.errors
    assert error.file == str(other / "pack.toml") and error.field == "id"
    assert "duplicate pack id" in error.message and "left out" in error.message


def test_duplicate_ids_of_the_built_in_pack(pack: Path) -> None:
    edit(pack / "pack.toml", 'id = "minimal-example"', 'id = "vanishing-gradients"')
    course = load_course([pack])
    assert len(course.packs) == 1 and len(course.packs[0].lessons) == builtin_lesson_count()
    assert "duplicate pack id" in course.errors[0].message


# -- terminal escapes in pack text -----------------------------------------------------

ESCAPES = {
    "csi-clear-screen": "\x1b[2J",
    "csi-with-params": "\x1b[38;2;255;0;0m",
    "csi-private": "\x1b[?1049l",
    "osc-title-bel": "\x1b]0;pwned\x07",
    "osc-52-clipboard-st": "\x1b]52;c;cHduZWQ=\x1b\\",
    "osc-unterminated": "\x1b]8;;https://evil.example",
    "dcs": "\x1bP+q544e\x1b\\",
    "apc": "\x1b_pwned\x1b\\",
    "pm-sos": "\x1b^x\x1b\\\x1bXy\x1b\\",
    "full-reset": "\x1bc",
    "save-restore-cursor": "\x1b7\x1b8",
    "lone-esc": "\x1b",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x9c",
    "c1-dcs-st": "\x90x\x9c",
    "nul-bel-bs-del": "\x00\x07\x08\x7f",
    "bare-cr": "overwritten\rshown",
    "vt-ff": "\x0b\x0c",
}
ESCAPE_FIELDS = {
    "pack-title": ("pack.toml", 'title = "Minimal example pack"', "title"),
    "lesson-title": ("pack.toml", 'title = "Why the gradient shrinks"', "title"),
    "preset-title": ("presets.toml", 'title = "6-layer sigmoid net"', "title"),
    "look-for": ("presets.toml", 'look_for = "The bars', "look_for"),
    "prompt": (FIRST_QUIZ, 'prompt = "A deep net', "prompt"),
    "choice": (FIRST_QUIZ, 'text = "Each sigmoid', "text"),
    "explanation": (FIRST_QUIZ, 'explanation = "The derivative', "explanation"),
    "exercise-title": ("exercises.toml", 'title = "Close the gap"', "title"),
    "task": ("exercises.toml", 'task = "Bring', "task"),
    "hint": ("exercises.toml", 'hints = ["Try', "hints"),
}


def toml_escaped(text: str) -> str:
    """`text` for the inside of a TOML basic string, controls as \\u escapes."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)


def all_text(pack: Pack) -> list[str]:
    """Every learner-visible text of a loaded pack."""
    texts = [pack.title]
    for lesson in pack.lessons:
        texts += [lesson.title, *lesson.pages]
        for question in lesson.questions:
            texts.append(question.prompt)
            texts += [t for choice in question.choices for t in (choice.text, choice.explanation)]
    for preset in pack.presets.values():
        texts += [preset.title, preset.look_for]
    for exercise in pack.exercises.values():
        texts += [exercise.title, exercise.task, *exercise.hints]
    return texts


@pytest.mark.parametrize("escape", list(ESCAPES))
@pytest.mark.parametrize("field", [*ESCAPE_FIELDS, "reading"])
def test_terminal_escapes_are_removed_and_reported(pack: Path, field: str, escape: str) -> None:
    payload = f"before {ESCAPES[escape]} after"
    if field == "reading":
        reading = pack / FIRST_READING
        reading.write_text(reading.read_text() + f"\n{payload}\n", encoding="utf-8")
        file = "pack.toml"
    else:
        file, anchor, _ = ESCAPE_FIELDS[field]
        key, _, start = anchor.partition(" = ")
        quote_at = start.index('"') + 1
        edit(
            pack / file,
            anchor,
            f"{key} = {start[:quote_at]}{toml_escaped(payload)} {start[quote_at:]}",
        )
    loaded, errors = load_refused(pack)
    assert loaded is not None and len(loaded.lessons) == 2
    assert any("terminal control characters removed" in e.message for e in errors)
    texts = all_text(loaded)
    assert not [t for t in texts if find_unsafe(t) or "\r" in t]
    assert "pwned" not in "".join(texts)
    # What precedes the escape survives (an unterminated OSC may take the rest of its line).
    assert any("before" in t for t in texts)
