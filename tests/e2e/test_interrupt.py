"""Ctrl+C from any screen, and SIGINT, end vgtutor cleanly and keep the progress made."""

from __future__ import annotations

import json
import os
import signal

import pytest
from tmux_term import Launch, Term

LESSON_KEY = "vanishing-gradients/what-is"


def open_lesson(term: Term) -> None:
    term.wait_for("1.  What a vanishing gradient is")
    term.press("Enter")
    term.wait_for("Page 1 of")
    term.press("Right")
    term.wait_for("Page 2 of")


def to_quiz(term: Term) -> None:
    open_lesson(term)
    term.press("z")
    term.wait_for("Question 1 of")


def to_training_lab(term: Term) -> None:
    """The lab's training view with a run going (a worker thread busy)."""
    open_lesson(term)
    term.press("l")
    term.wait_for("a act")
    term.press("3")
    term.wait_for("[3 train]")
    term.press("Enter")


def to_help(term: Term) -> None:
    open_lesson(term)
    term.press("?")
    term.wait_for("this help")


PLACES = {"lesson": open_lesson, "quiz": to_quiz, "lab-training": to_training_lab, "help": to_help}


def progress_of(term: Term) -> dict:
    return json.loads((term.data_dir / "progress.json").read_text())["lessons"][LESSON_KEY]


@pytest.mark.parametrize("place", list(PLACES))
def test_ctrl_c_quits_from_anywhere_and_keeps_progress(launch: Launch, place: str) -> None:
    term = launch()
    PLACES[place](term)
    term.press("C-c")
    assert term.wait_exit() == 0
    term.assert_restored()
    progress = progress_of(term)
    assert progress["pages_seen"] == 2
    assert progress["lab_visited"] is (place == "lab-training")


@pytest.mark.parametrize("place", ["quiz", "lab-training"])
def test_sigint_ends_cleanly_and_keeps_progress(launch: Launch, place: str) -> None:
    term = launch()
    PLACES[place](term)
    pid = term.app_pid()
    assert pid is not None
    os.kill(pid, signal.SIGINT)
    code = term.wait_exit()
    assert code in (0, 130)
    term.assert_restored()
    assert progress_of(term)["pages_seen"] == 2


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("place", ["quiz", "lab-training"])
def test_sigterm_and_sighup_end_like_ctrl_c(launch: Launch, place: str, signum: int) -> None:
    """A process manager or a closed SSH session: the terminal is left as it was found."""
    term = launch()
    PLACES[place](term)
    pid = term.app_pid()
    assert pid is not None
    os.kill(pid, signum)
    assert term.wait_exit() == 128 + signum
    term.assert_restored()
    assert progress_of(term)["pages_seen"] == 2
