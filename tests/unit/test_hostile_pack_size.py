"""Issue 15, items 5 and 6: what one page may hold, and the total work of loading a pack.

One page of 60000 short lines took 157 s to open, a 5000-row table 14 s; 150 lessons
sharing one 1 MiB quiz file parsed it 150 times (83 s, 1.4 million errors). Pages over
the caps are refused by `check` (the lesson is left out); every file is parsed once,
the errors listed are capped, and so are the bytes a pack may make vgtutor read.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from lessons.catalog import load_pack
from lessons.catalog.fields import MAX_ERRORS
from lessons.catalog.files import MAX_FILE_BYTES, MAX_PACK_BYTES
from lessons.catalog.pages import (
    MAX_PAGE_BLOCKS,
    MAX_PAGE_LINES,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    page_problem,
)

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
READING = "readings/01-why-it-shrinks.md"


def table(rows: int, columns: int) -> str:
    header = "|" + "|".join(f"c{n}" for n in range(columns)) + "|"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|"
    body = ["|" + "|".join("x" for _ in range(columns)) + "|" for _ in range(rows)]
    return "\n".join([header, rule, *body])


OVER = {
    "60000 short lines": "\n".join("a" for _ in range(60_000)),
    "lines just over": "\n".join("a" for _ in range(MAX_PAGE_LINES + 1)),
    "10000 headings": "\n".join(f"# h{n}" for n in range(10_000)),
    "blocks just over": "\n\n".join(f"p{n}" for n in range(MAX_PAGE_BLOCKS + 1)),
    "5000-row table": table(5000, 3),
    "rows just over": table(MAX_TABLE_ROWS + 1, 3),
    "500-column table": table(2, 500),
    "columns just over": table(2, MAX_TABLE_COLUMNS + 1),
}
AT_THE_CAPS = {
    "lines": "\n".join("a" for _ in range(MAX_PAGE_LINES)),
    "blocks": "\n\n".join(f"p{n}" for n in range(MAX_PAGE_BLOCKS // 2))
    + "\n- "
    + "\n- ".join(f"i{n}" for n in range(MAX_PAGE_BLOCKS - MAX_PAGE_BLOCKS // 2)),
    "table": table(MAX_TABLE_ROWS, MAX_TABLE_COLUMNS),
    "a fenced block of headings is one block": "```\n" + "# x\n" * 100 + "```",
}


def pack_with_reading(folder: Path, text: str) -> Path:
    shutil.copytree(MINIMAL, folder)
    (folder / READING).write_text(text)
    return folder


@pytest.mark.parametrize("text", OVER.values(), ids=OVER.keys())
def test_a_page_over_the_caps_is_refused_by_check_and_its_lesson_left_out(
    tmp_path: Path, text: str
) -> None:
    pack, errors = load_pack(pack_with_reading(tmp_path / "p", text))
    assert pack is not None and [lesson.id for lesson in pack.lessons] == ["relu-he"]
    [error] = errors
    assert error.file == READING and error.message.startswith("page 1: a ")
    assert "limit" in error.message


@pytest.mark.parametrize("text", AT_THE_CAPS.values(), ids=AT_THE_CAPS.keys())
def test_a_page_at_the_caps_is_accepted(text: str) -> None:
    assert page_problem(text) is None


def test_the_built_in_course_is_far_below_the_caps() -> None:
    from lessons.catalog import builtin_pack_path

    pack, errors = load_pack(builtin_pack_path())
    assert errors == [] and pack is not None
    assert all(page_problem(page) is None for lesson in pack.lessons for page in lesson.pages)


def shared_quiz_pack(folder: Path, lessons: int) -> Path:
    """`lessons` lessons all naming one ~1 MiB quiz file full of duplicate question ids."""
    shutil.copytree(MINIMAL, folder)
    question = (
        '[[question]]\nid = "same"\nprompt = "p"\n'
        '[[question.choice]]\ntext = "a"\ncorrect = true\nexplanation = "e"\n'
        '[[question.choice]]\ntext = "b"\ncorrect = false\nexplanation = "e"\n'
    )
    quiz = question * (MAX_FILE_BYTES // len(question) - 1)
    (folder / "quizzes" / "shared.toml").write_text(quiz)
    manifest = (folder / "pack.toml").read_text().split("[[lesson]]")[0]
    manifest += "".join(
        f'[[lesson]]\nid = "l{n}"\ntitle = "L{n}"\nreading = "{READING}"\n'
        f'questions = "quizzes/shared.toml"\npresets = ["sigmoid-6"]\n\n'
        for n in range(lessons)
    )
    (folder / "pack.toml").write_text(manifest)
    return folder


@pytest.mark.slow
def test_one_quiz_file_named_by_150_lessons_is_parsed_once_with_capped_errors(
    tmp_path: Path,
) -> None:
    import lessons.catalog.fields as fields

    folder = shared_quiz_pack(tmp_path / "p", 150)
    parsed: list[str] = []
    real = fields.parse_toml

    def counting(rel: str, text: str):  # the real parser, counted
        parsed.append(rel)
        return real(rel, text)

    fields.parse_toml = counting
    try:
        started = time.process_time()
        pack, errors = load_pack(folder)
        spent = time.process_time() - started
    finally:
        fields.parse_toml = real
    assert parsed.count("quizzes/shared.toml") == 1
    assert len(errors) <= MAX_ERRORS + 1
    assert errors[-1].message.endswith(f"more problems not listed (at most {MAX_ERRORS} are)")
    unlisted = int(errors[-1].message.split()[0])
    assert 149 <= unlisted < 2 * MAX_FILE_BYTES // 100  # each lesson told once, not per question
    print(f"150 lessons on one 1 MiB quiz: {spent:.1f} s of CPU")  # 83 s before the fix


def test_the_bytes_a_pack_may_make_vgtutor_read_are_capped(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(MINIMAL, folder)
    files = MAX_PACK_BYTES // (MAX_FILE_BYTES - 1000) + 2
    manifest = (folder / "pack.toml").read_text().split("[[lesson]]")[0]
    for n in range(files):
        (folder / "readings" / f"big{n}.md").write_text("word " * ((MAX_FILE_BYTES - 1000) // 5))
        manifest += (
            f'[[lesson]]\nid = "b{n}"\ntitle = "B{n}"\nreading = "readings/big{n}.md"\n'
            f'questions = "quizzes/01-why-it-shrinks.toml"\npresets = ["sigmoid-6"]\n\n'
        )
    (folder / "pack.toml").write_text(manifest)
    _, errors = load_pack(folder)
    refused = [
        e for e in errors if f"the pack's files exceed {MAX_PACK_BYTES >> 20} MiB" in e.message
    ]
    assert refused and refused[0].file == "pack.toml"
