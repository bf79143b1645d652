"""Loading and validating lesson packs: every problem found, located, and never a crash."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessons.catalog import MAX_FILE_BYTES, builtin_pack_path, load_pack, split_pages
from lessons.lab.config import NetConfig
from lessons.pack import Pack, PackError
from lessons.sanitize import find_unsafe
from lessons.toml_lines import TomlLines

FIXTURES = Path(__file__).parents[1] / "fixtures" / "packs"
MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"

Where = tuple[str, int | None, str]


def where(errors: list[PackError]) -> list[Where]:
    return [(e.file, e.line, e.field) for e in errors]


def terminal_safe(line: str) -> bool:
    return not find_unsafe(line) and "\n" not in line and "\t" not in line


def message(errors: list[PackError], file: str, line: int | None, field: str) -> str:
    (found,) = [e.message for e in errors if (e.file, e.line, e.field) == (file, line, field)]
    return found


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal example pack."""
    return Path(shutil.copytree(MINIMAL, tmp_path / "pack"))


# -- sound packs ---------------------------------------------------------------------


def test_the_minimal_example_loads_without_errors() -> None:
    pack, errors = load_pack(MINIMAL)
    assert errors == []
    assert pack is not None
    assert (pack.id, pack.root) == ("minimal-example", MINIMAL.resolve())
    assert [lesson.id for lesson in pack.lessons] == ["why-it-shrinks", "relu-he"]
    assert sum(len(lesson.questions) for lesson in pack.lessons) == 3
    first = pack.lesson("why-it-shrinks")
    assert len(first.pages) == 2 and first.pages[0].startswith("## One factor per layer")
    assert first.presets == ("sigmoid-6",) and first.pack_id == "minimal-example"
    preset = pack.presets["sigmoid-6"]
    assert preset.kind == "profile" and preset.metric == "weight" and preset.compare is None
    assert preset.config == NetConfig(activation="sigmoid", init="xavier", depth=6, width=32)
    predict = first.questions[1]
    assert predict.preset == "sigmoid-6" and predict.correct_indices == {0}


def test_builtin_pack_path_is_the_course_folder() -> None:
    path = builtin_pack_path()
    assert path.is_absolute() and path.name == "content" and (path / "pack.toml").is_file()


def test_a_pack_error_prints_as_file_line_field_message() -> None:
    assert str(PackError("quizzes/a.toml", 4, "question[x].prompt", "missing")) == (
        "quizzes/a.toml:4: question[x].prompt: missing"
    )
    assert str(PackError("pack.toml", None, "lesson", "none")) == "pack.toml: lesson: none"


# -- fixture packs: each problem at its file and line --------------------------------


def test_format_version_2_is_refused() -> None:
    pack, errors = load_pack(FIXTURES / "bad-version")
    assert pack is None
    assert where(errors) == [("pack.toml", 2, "format_version")]
    assert "reads format_version 1; got 2" in errors[0].message


def test_a_missing_format_version_is_reported_and_read_as_version_1() -> None:
    pack, errors = load_pack(FIXTURES / "no-version")
    assert where(errors) == [("pack.toml", None, "format_version")]
    assert pack is not None and [lesson.id for lesson in pack.lessons] == ["only"]


def test_a_toml_syntax_error_gives_the_line_from_tomllib() -> None:
    pack, errors = load_pack(FIXTURES / "bad-syntax")
    assert pack is None
    assert where(errors) == [("pack.toml", 4, "syntax")]
    assert "(at line" not in errors[0].message


BAD_MANIFEST: list[tuple[Where, str]] = [
    (("pack.toml", 4, "author"), "unknown key"),
    (("pack.toml", 16, "lesson[extra-key].summary"), "unknown key"),
    (("pack.toml", 26, "lesson[unknown-preset].presets"), 'no preset has the id "nope"'),
    (("pack.toml", 29, "lesson[good].id"), "duplicate id"),
    (("pack.toml", 40, "lesson[no-presets].presets"), "at least one preset"),
    (("pack.toml", 45, "lesson[missing-file].reading"), "no such file"),
    (("pack.toml", 52, "lesson[dot-dot].reading"), "leaves the pack folder"),
    (("pack.toml", 59, "lesson[absolute].reading"), "is absolute"),
    (("lessons/empty.md", None, "lesson[empty-reading].reading"), "empty"),
    (("lessons/escapes.md", 3, "lesson[escapes].reading"), "\\x1b[2J"),
    (("lessons/latin1.md", 3, "encoding"), "not valid UTF-8 (byte 0xef)"),
    (("quizzes/broken.toml", 3, "syntax"), "invalid TOML"),
]


@pytest.mark.parametrize("location, words", BAD_MANIFEST, ids=[w[0][2] for w in BAD_MANIFEST])
def test_manifest_problems_are_located(location: Where, words: str) -> None:
    _, errors = load_pack(FIXTURES / "bad-manifest")
    assert words in message(errors, *location)


def test_manifest_problems_are_all_the_problems_and_the_good_lessons_still_load() -> None:
    pack, errors = load_pack(FIXTURES / "bad-manifest")
    assert where(errors) == [location for location, _ in BAD_MANIFEST]
    assert pack is not None
    assert [(lesson.id, lesson.presets) for lesson in pack.lessons] == [
        ("good", ("p1",)),
        ("extra-key", ("p1",)),
        ("unknown-preset", ("p1",)),
        ("escapes", ("p1",)),
        ("quiz-syntax", ("p1",)),
    ]
    assert pack.lesson("quiz-syntax").questions == ()


def test_escapes_in_a_reading_are_stripped_and_the_pages_kept() -> None:
    pack, errors = load_pack(FIXTURES / "bad-manifest")
    assert pack is not None
    pages = pack.lesson("escapes").pages
    assert pages == (
        "## Escapes\n\nClear the screen.",
        "Retitle  and copy  and  C1.",
    )
    assert "and 1 more" in message(errors, "lessons/escapes.md", 3, "lesson[escapes].reading")


BAD_PRESETS: list[tuple[Where, str]] = [
    (
        ("presets.toml", 12, "preset[unknown-setting].colour"),
        "unknown setting for a profile preset",
    ),
    (("presets.toml", 13, "preset[unknown-setting].steps"), "unknown setting for a profile preset"),
    (("presets.toml", 20, "preset[bad-value].depth"), "from 1 to 200; got 0"),
    (("presets.toml", 21, "preset[bad-value].activation"), "got 'swish'"),
    (("presets.toml", 26, "preset[bad-kind].kind"), 'got "movie"'),
    (("presets.toml", 34, "preset[bad-metric].metric"), 'got "loss"'),
    (("presets.toml", 35, "preset[bad-metric].compare"), 'got "colours"'),
    (("presets.toml", 42, "preset[compare-train].compare"), "only profile presets"),
    (("presets.toml", 45, "preset[p1].id"), "duplicate id"),
]


@pytest.mark.parametrize("location, words", BAD_PRESETS, ids=[w[0][2] for w in BAD_PRESETS])
def test_preset_problems_are_located(location: Where, words: str) -> None:
    _, errors = load_pack(FIXTURES / "bad-presets")
    assert words in message(errors, *location)


def test_preset_problems_are_all_the_problems_and_bad_presets_are_left_out() -> None:
    pack, errors = load_pack(FIXTURES / "bad-presets")
    assert where(errors) == [location for location, _ in BAD_PRESETS]
    assert pack is not None
    assert list(pack.presets) == ["p1"]
    assert pack.presets["p1"].title == "Good"
    # "bad-value" exists but is invalid: reported once, at the preset, not again at the lesson.
    assert pack.lesson("only").presets == ("p1",)


BAD_QUESTIONS: list[tuple[Where, str]] = [
    (("quizzes/one.toml", 14, "question[unknown-keys].hint"), "unknown key"),
    (("quizzes/one.toml", 20, "question[unknown-keys].choice[1].weight"), "unknown key"),
    (("quizzes/one.toml", 25, "question[unknown-preset].preset"), 'no preset has the id "nope"'),
    (("quizzes/one.toml", 32, "question[no-choices].choice"), "no choices"),
    (("quizzes/one.toml", 40, "question[bad-choices].choice[1].explanation"), "missing"),
    (("quizzes/one.toml", 47, "question[bad-choices].choice[2].explanation"), "not be empty"),
    (("quizzes/one.toml", 51, "question[bad-choices].choice[3].correct"), "true or false"),
    (("quizzes/two.toml", 2, "question[fine].id"), "duplicate id"),
    (("quizzes/two.toml", 12, "question[escapes].prompt"), "\\x1b[2J"),
    (("quizzes/two.toml", 15, "question[escapes].choice[1].text"), "\\x1b]0;pwned\\x07"),
    (("quizzes/two.toml", 17, "question[escapes].choice[1].explanation"), "\\x1b]52;c;"),
    (("quizzes/two.toml", 20, "question[escapes].choice[2].text"), "\\x9b31m"),
    (("quizzes/two.toml", 22, "question[escapes].choice[2].explanation"), "\\x07, \\x7f"),
]


@pytest.mark.parametrize("location, words", BAD_QUESTIONS, ids=[w[0][2] for w in BAD_QUESTIONS])
def test_question_problems_are_located(location: Where, words: str) -> None:
    _, errors = load_pack(FIXTURES / "bad-questions")
    assert words in message(errors, *location)


def test_question_problems_are_all_the_problems_and_sound_questions_load() -> None:
    pack, errors = load_pack(FIXTURES / "bad-questions")
    assert where(errors) == [location for location, _ in BAD_QUESTIONS]
    assert pack is not None
    one, two = pack.lessons
    assert [q.id for q in one.questions] == ["fine", "unknown-keys", "unknown-preset"]
    assert one.questions[0].preset == "p1" and one.questions[2].preset is None
    (escapes,) = two.questions
    assert escapes.prompt == "Clear the screen?"
    assert [(c.text, c.explanation) for c in escapes.choices] == [
        ("Title here", "Clipboard write"),
        ("C1 CSI", "Bell and DEL ."),
    ]


def test_no_error_message_carries_a_raw_control_character() -> None:
    for name in ("bad-manifest", "bad-presets", "bad-questions"):
        _, errors = load_pack(FIXTURES / name)
        for error in errors:
            assert terminal_safe(str(error)), str(error)


# -- problems that need a generated pack ---------------------------------------------


def test_a_file_over_1_mib_is_refused(pack_copy: Path) -> None:
    reading = pack_copy / "readings" / "01-why-it-shrinks.md"
    reading.write_text("word " * (MAX_FILE_BYTES // 5 + 1))
    pack, errors = load_pack(pack_copy)
    assert where(errors) == [("pack.toml", 11, "lesson[why-it-shrinks].reading")]
    assert "larger than 1 MiB" in errors[0].message
    assert pack is not None and [lesson.id for lesson in pack.lessons] == ["relu-he"]


def test_a_symlink_leading_out_of_the_pack_is_refused(pack_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("## Not yours\n")
    reading = pack_copy / "readings" / "01-why-it-shrinks.md"
    reading.unlink()
    try:
        reading.symlink_to(secret)
    except OSError:
        pytest.skip("symlinks are not available here")
    _, errors = load_pack(pack_copy)
    assert where(errors) == [("pack.toml", 11, "lesson[why-it-shrinks].reading")]
    assert "leaves the pack folder" in errors[0].message


def test_a_symlink_inside_the_pack_is_fine(pack_copy: Path) -> None:
    reading = pack_copy / "readings" / "02-relu-he.md"
    reading.unlink()
    try:
        reading.symlink_to(pack_copy / "readings" / "01-why-it-shrinks.md")
    except OSError:
        pytest.skip("symlinks are not available here")
    assert load_pack(pack_copy)[1] == []


def test_a_folder_where_a_file_should_be_is_refused(pack_copy: Path) -> None:
    (pack_copy / "readings" / "01-why-it-shrinks.md").unlink()
    (pack_copy / "readings" / "01-why-it-shrinks.md").mkdir()
    _, errors = load_pack(pack_copy)
    assert "not a regular file" in message(
        errors, "pack.toml", 11, "lesson[why-it-shrinks].reading"
    )


@pytest.mark.parametrize("name", ["pack.toml", "quizzes/02-relu-he.toml", "presets.toml"])
def test_deeply_nested_toml_is_reported_not_a_crash(pack_copy: Path, name: str) -> None:
    (pack_copy / name).write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    pack, errors = load_pack(pack_copy)
    assert (name, None, "syntax") in where(errors)
    assert "nested too deeply" in message(errors, name, None, "syntax")
    assert (pack is None) == (name == "pack.toml")


def test_a_quoted_format_version_is_refused(pack_copy: Path) -> None:
    manifest = pack_copy / "pack.toml"
    manifest.write_text(manifest.read_text().replace("format_version = 1", 'format_version = "1"'))
    pack, errors = load_pack(pack_copy)
    assert pack is None and where(errors) == [("pack.toml", 3, "format_version")]


def test_a_folder_without_pack_toml_gives_no_pack(tmp_path: Path) -> None:
    pack, errors = load_pack(tmp_path)
    assert pack is None
    assert where(errors) == [("pack.toml", None, "pack")]
    assert "no such file" in errors[0].message


def test_a_path_that_is_not_a_folder_gives_no_pack(tmp_path: Path) -> None:
    pack, errors = load_pack(tmp_path / "missing")
    assert pack is None and [e.message for e in errors] == ["not a folder"]


def test_windows_line_ends_and_a_byte_order_mark_are_accepted(pack_copy: Path) -> None:
    for path in pack_copy.rglob("*.*"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    pack, errors = load_pack(pack_copy)
    assert errors == []
    assert pack is not None and "\r" not in pack.lessons[0].pages[0]


def test_unknown_top_level_keys_in_preset_and_quiz_files_are_located(pack_copy: Path) -> None:
    for name, key in (("presets.toml", "presets"), ("quizzes/02-relu-he.toml", "questions")):
        path = pack_copy / name
        path.write_text(path.read_text() + f"\n[[{key}]]\nid = 'typo'\n")
    _, errors = load_pack(pack_copy)
    assert where(errors) == [
        ("presets.toml", 21, "presets"),
        ("quizzes/02-relu-he.toml", 21, "questions"),
    ]
    assert all("unknown key" in e.message for e in errors)


def test_lines_are_found_in_inline_tables_and_after_multiline_strings(pack_copy: Path) -> None:
    (pack_copy / "quizzes" / "02-relu-he.toml").write_text(
        '[[question]]\nid = "inline"\nprompt = """\n[[question]]\nid = "fake"\n"""\n'
        'choice = [\n  {text = "A", correct = true, explanation = "E"},\n'
        '  {text = "B", correct = 1, explanation = "E"},\n]\n'
    )
    _, errors = load_pack(pack_copy)
    assert where(errors) == [("quizzes/02-relu-he.toml", 7, "question[inline].choice[2].correct")]


# -- pages ---------------------------------------------------------------------------


def test_pages_split_on_dash_lines_and_drop_empty_pages() -> None:
    assert split_pages("one\n---\n\n---\ntwo\n  ---  \nthree\n---\n") == ("one", "two", "three")


def test_a_dash_line_inside_a_code_fence_does_not_split() -> None:
    reading = "before\n```yaml\n---\nkey: 1\n```\n---\nafter"
    assert split_pages(reading) == ("before\n```yaml\n---\nkey: 1\n```", "after")
    assert split_pages("~~~~\n---\n~~~\n---\n~~~~\nx") == ("~~~~\n---\n~~~\n---\n~~~~\nx",)


def test_longer_dash_rules_stay_in_the_page() -> None:
    assert split_pages("a\n----\nb") == ("a\n----\nb",)


# -- hygiene -------------------------------------------------------------------------


def test_the_loader_imports_neither_numpy_nor_any_ui() -> None:
    code = (
        "import sys, lessons.catalog, lessons.quiz, lessons.sanitize; "
        "print(sorted(m for m in ('numpy', 'textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- property tests: any input gives (pack or None, errors), never an exception ------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One copy of the minimal pack for all examples; `replaced` restores what it changes."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(shutil.copytree(MINIMAL, Path(folder) / "pack"))


@contextmanager
def replaced(file: Path, data: bytes) -> Iterator[None]:
    original = file.read_bytes()
    file.write_bytes(data)
    try:
        yield
    finally:
        file.write_bytes(original)


def _loads_cleanly(root: Path) -> tuple[Pack | None, list[PackError]]:
    pack, errors = load_pack(root)
    assert pack is None or isinstance(pack, Pack)
    assert all(isinstance(e, PackError) and terminal_safe(str(e)) for e in errors)
    if pack is not None:
        for lesson in pack.lessons:
            assert lesson.pages and lesson.presets
            assert all(p in pack.presets for p in lesson.presets)
            assert all(q.choices for q in lesson.questions)
    return pack, errors


TARGETS = ["pack.toml", "presets.toml", "quizzes/01-why-it-shrinks.toml", "readings/02-relu-he.md"]
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=600))
def test_random_bytes_never_crash_the_loader(scratch: Path, target: str, data: bytes) -> None:
    with replaced(scratch / target, data):
        _loads_cleanly(scratch)


# A small TOML writer, so hypothesis can build documents from Python values.


def _toml_string(text: str) -> str:
    escaped = "".join(
        "\\" + ch
        if ch in '"\\'
        else f"\\u{ord(ch):04x}"
        if ord(ch) < 0x20 or ord(ch) == 0x7F
        else ch
        for ch in text
    )
    return f'"{escaped}"'


def _toml_key(key: str) -> str:
    bare = key and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in key)
    return key if bare else _toml_string(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value) if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_dumps(table: dict[str, Any], path: tuple[str, ...] = ()) -> str:
    """Scalars and inline values first, then arrays of tables as [[a.b]] sections."""
    lines = [
        f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items() if not _is_table_array(v)
    ]
    for key, items in table.items():
        if _is_table_array(items):
            header = ".".join(_toml_key(p) for p in (*path, key))
            for item in items:
                lines += [f"[[{header}]]", toml_dumps(item, (*path, key))]
    return "\n".join(lines) + "\n"


KEYS = st.sampled_from(
    [
        "format_version",
        "id",
        "title",
        "preset_files",
        "lesson",
        "reading",
        "questions",
        "presets",
        "preset",
        "kind",
        "look_for",
        "metric",
        "compare",
        "depth",
        "activation",
        "cell",
        "question",
        "prompt",
        "choice",
        "text",
        "correct",
        "explanation",
    ]
) | st.text(st.characters(codec="utf-8"), min_size=1, max_size=6)
SCALARS = (
    st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.floats()
    | st.dates()
    | st.sampled_from(
        [
            1,
            "p1",
            "sigmoid-6",
            "profile",
            "rnn",
            "weight",
            "inits",
            "../x.md",
            "/etc/passwd",
            "presets.toml",
            "readings/01-why-it-shrinks.md",
            "\x1b[2J",
        ]
    )
    | st.text(st.characters(codec="utf-8"), max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


def test_the_toml_writer_round_trips() -> None:
    import tomllib

    doc = {"a b": [{"x": 1, "choice": [{"t": '\x1b"\\'}]}, {"y": [1.5, {"z": True}]}], "k": "v"}
    assert tomllib.loads(toml_dumps(doc)) == doc


@given(doc=DOCUMENTS)
def test_toml_lines_finds_every_top_level_key_and_table(doc: dict[str, Any]) -> None:
    text = toml_dumps(doc)
    written = text.split("\n")
    lines = TomlLines(text)
    inline = [key for key, value in doc.items() if not _is_table_array(value)]
    for number, key in enumerate(inline, start=1):
        assert lines.line(key) == number
    for key, value in doc.items():
        if _is_table_array(value):
            headers = [n for n, line in enumerate(written, 1) if line == f"[[{_toml_key(key)}]]"]
            assert [lines.line(key, i) for i in range(len(value))] == headers


@FUZZ
@given(target=st.sampled_from(TARGETS[:3]), doc=DOCUMENTS)
def test_random_toml_documents_never_crash_the_loader(
    scratch: Path, target: str, doc: dict[str, Any]
) -> None:
    with replaced(scratch / target, toml_dumps(doc).encode()):
        _loads_cleanly(scratch)


LESSONS = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "why-it-shrinks", "A!"]) | SCALARS,
        "title": st.just("T") | SCALARS,
        "reading": st.sampled_from(["readings/01-why-it-shrinks.md", "../x", "nope.md"]) | SCALARS,
        "questions": st.sampled_from(["quizzes/02-relu-he.toml", "pack.toml"]) | SCALARS,
        "presets": st.lists(st.sampled_from(["sigmoid-6", "relu-he-6", "x"]) | SCALARS, max_size=3),
    },
    optional={"extra": VALUES},
)
MANIFESTS = st.fixed_dictionaries(
    {
        "format_version": st.sampled_from([1, 1, 1, 2, "1"]),
        "id": st.sampled_from(["p", "P!"]),
        "lesson": st.lists(LESSONS, max_size=3),
    },
    optional={"title": SCALARS, "preset_files": st.lists(SCALARS, max_size=2) | SCALARS},
)


@FUZZ
@given(doc=MANIFESTS)
def test_near_valid_manifests_never_crash_the_loader(scratch: Path, doc: dict[str, Any]) -> None:
    with replaced(scratch / "pack.toml", toml_dumps(doc).encode()):
        pack, _ = _loads_cleanly(scratch)
    if doc["format_version"] == 1 and pack is not None:
        ids = [lesson.id for lesson in pack.lessons]
        assert len(ids) == len(set(ids))
