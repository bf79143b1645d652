"""`vgtutor export-quiz DIR --gift`: Moodle GIFT output, parsed back by a reader written
here from the GIFT documentation (docs.moodle.org/en/GIFT_format), not from lessons/gift."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from lessons.catalog import builtin_pack_path, load_pack
from lessons.gift import NONE_CHOICE, escape, export_pack
from lessons.pack import Choice, Lesson, Pack, Question
from tui.cli import main

EXAMPLE_PACK = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"


@dataclass
class Answer:
    mark: str  # "=", "~" or the weight in percent
    text: str
    feedback: str | None


@dataclass
class GiftQuestion:
    title: str
    text: str
    answers: list[Answer]
    category: str


def split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """(mark, piece) for each piece of `text` that starts at an unescaped mark."""
    pieces: list[tuple[str, str]] = []
    current, mark, i = "", "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current += text[i : i + 2]
            i += 2
            continue
        if char in marks:
            pieces.append((mark, current))
            current, mark = "", char
        else:
            current += char
        i += 1
    pieces.append((mark, current))
    return pieces


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text).strip()


def parse_gift(text: str) -> list[GiftQuestion]:
    questions, category = [], ""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.lstrip().startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0].removeprefix("$CATEGORY:").strip()
            continue
        body = " ".join(lines)
        head = re.fullmatch(r"::(.*?)::(.*?)(?<!\\)\{(.*)(?<!\\)\}\s*", body, re.S)
        assert head, f"not a GIFT question: {body!r}"
        title, prompt, inside = head.groups()
        answers = []
        for mark, piece in split_unescaped(inside, "=~")[1:]:
            weight = re.match(r"%(-?[0-9.]+)%", piece)
            if weight:
                mark, piece = weight.group(1), piece[weight.end() :]
            parts = split_unescaped(piece, "#")
            feedback = unescape(parts[1][1]) if len(parts) > 1 else None
            answers.append(Answer(mark, unescape(parts[0][1]), feedback))
        questions.append(GiftQuestion(title, unescape(prompt), answers, category))
    return questions


def all_questions(pack: Pack) -> list[tuple[Lesson, Question]]:
    return [(lesson, q) for lesson in pack.lessons for q in lesson.questions]


@pytest.mark.parametrize("folder", [builtin_pack_path(), EXAMPLE_PACK], ids=["builtin", "example"])
def test_every_question_round_trips_with_its_feedback_and_weights(folder: Path) -> None:
    pack, errors = load_pack(folder)
    assert pack is not None and not errors
    export = export_pack(pack)
    parsed = parse_gift(export.text)
    expected = all_questions(pack)
    assert export.questions == len(parsed) == len(expected) > 0
    for gift, (lesson, question) in zip(parsed, expected, strict=True):
        assert gift.title == question.id
        assert gift.text == question.prompt
        assert gift.category == f"$course$/{pack.id}/{lesson.id}"
        right = [c for c in question.choices if c.correct]
        originals = gift.answers[: len(question.choices)]
        assert [a.text for a in originals] == [c.text for c in question.choices]
        assert [a.feedback for a in originals] == [c.explanation for c in question.choices]
        if len(right) > 1:
            weights = [float(a.mark) for a in gift.answers]
            assert sum(w for w in weights if w > 0) == pytest.approx(100, abs=1e-3)
            if len(right) < len(question.choices):
                assert sum(w for w in weights if w < 0) == pytest.approx(-100, abs=1e-3)
            assert all((w > 0) == c.correct for w, c in zip(weights, question.choices, strict=True))
        elif len(right) == 1:
            assert [a.mark == "=" for a in gift.answers] == [c.correct for c in question.choices]
        else:  # every statement false: one added right answer says so
            assert [a.mark for a in gift.answers] == ["~"] * len(question.choices) + ["="]
            assert gift.answers[-1].text == NONE_CHOICE


def test_gift_specials_and_newlines_are_escaped() -> None:
    assert escape("a=b ~c #d {e} f:g \\ h\nnext") == ("a\\=b \\~c \\#d \\{e\\} f\\:g \\\\ h\\nnext")
    assert escape("bell\x07 \x1b[31mred") == "bell red"
    tricky = Question(
        "tricky",
        "Is 1 = 1 {always}?",
        (
            Choice("yes: #1", True, "Right ~ obviously."),
            Choice("no", False, ""),
            Choice("1 % 2 = 1", True, "odd"),
        ),
    )
    pack = Pack("p", "P", Path("."), (Lesson("l", "L", ("x",), (tricky,), ()),))
    (gift,) = parse_gift(export_pack(pack).text)
    assert gift.text == "Is 1 = 1 {always}?"
    assert [(a.mark, a.text, a.feedback) for a in gift.answers] == [
        ("50", "yes: #1", "Right ~ obviously."),
        ("-100", "no", None),
        ("50", "1 % 2 = 1", "odd"),
    ]


def test_the_command_writes_gift_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-quiz", str(EXAMPLE_PACK), "--gift"]) == 0
    out, err = capsys.readouterr()
    pack, _ = load_pack(EXAMPLE_PACK)
    assert pack is not None
    assert len(parse_gift(out)) == len(all_questions(pack))
    assert err == f"vgtutor export-quiz: {len(all_questions(pack))} question(s) written\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lessons"], "choose an output format: --gift"),
        (["/no/such/pack", "--gift"], "/no/such/pack is not a folder"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-quiz", *args]) == 2
    assert capsys.readouterr().err == f"vgtutor export-quiz: error: {message}\n"


def test_a_broken_pack_names_its_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export-quiz", str(tmp_path), "--gift"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vgtutor export-quiz: error: ") and "pack.toml" in err
