"""Lesson 1 to lesson 2 in a real terminal with only `c`, `n`, the quiz keys and `esc`:
every screen names the next step, and following it leads through the course."""

from __future__ import annotations

import json
import re

import pytest
from tmux_term import Launch, Term

LESSON_1 = "vanishing-gradients/what-is"
LESSON_2 = "vanishing-gradients/symptoms"
CONFIGS = {
    "80x24": {"size": (80, 24), "args": ()},
    "120x40": {"size": (120, 40), "args": ()},
}


def flat(screen: str) -> str:
    """The screen as one line, so a sentence wrapped at the edge still matches."""
    return " ".join(screen.split())


def footer(screen: str) -> str:
    """The bottom row, where the footer names what the keys do now."""
    return screen.splitlines()[-1] if screen.strip() else ""


def walk(term: Term) -> int:
    """Walk lesson 1's pages and quiz into lesson 2; return the number of questions."""
    screen = term.wait_for(lambda s: "c next: 1. What a vanishing gradient is" in flat(s))
    pages = int(re.search(r"page 1 of (\d+)", screen).group(1))

    term.press("c")
    term.wait_for(f"Page 1 of {pages}")
    for page in range(2, pages + 1):
        term.press("n")
        term.wait_for(f"Page {page} of {pages}")
    screen = term.wait_for("n Next lesson")
    assert "n next lesson: 2. Symptoms" in flat(screen)

    term.press("Escape")
    term.wait_for(lambda s: "c next: 1. What a vanishing gradient is · quiz" in flat(s))
    term.press("c")
    screen = term.wait_for(lambda s: "Question 1 of" in s and "Submit" in footer(s))
    questions = int(re.search(r"Question 1 of (\d+)", screen).group(1))
    for number in range(1, questions + 1):
        term.wait_for(f"Question {number} of {questions}")
        term.press("1")
        term.wait_for("[x] 1.")
        term.press("Enter")
        screen = term.wait_for(lambda s: "choices right" in s and "Next" in footer(s))
        assert re.search(r"1\. [✓✗] (correct|wrong) choice, you ticked it", screen), screen
        term.press("Enter")

    screen = term.wait_for(lambda s: "Quiz finished:" in s and "n Next lesson" in footer(s))
    assert "n: next lesson, 2. Symptoms" in screen and "r: retry" in screen
    term.press("n")
    screen = term.wait_for("Page 1 of")
    assert "2. Symptoms" in screen

    term.press("Escape")
    screen = term.wait_for(lambda s: "c next: 2. Symptoms · page 1 of" in flat(s))
    assert re.search(r"1\.\s+What a vanishing gradient is\s+read · quiz \d+/\d+", screen)
    term.press("q")
    return questions


@pytest.mark.parametrize("name", list(CONFIGS))
def test_lesson_one_to_two_by_following_the_next_step(launch: Launch, name: str) -> None:
    config = CONFIGS[name]
    term = launch(*config["args"], size=config["size"], env={"TERM": "xterm-256color"})
    questions = walk(term)
    assert term.wait_exit() == 0
    term.assert_restored()
    lessons = json.loads((term.data_dir / "progress.json").read_text())["lessons"]
    assert lessons[LESSON_1]["read"] and lessons[LESSON_1]["quiz_total"] == questions
    assert lessons[LESSON_2]["pages_seen"] == 1
