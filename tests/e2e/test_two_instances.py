"""Two vgtutor windows on one progress file, working at the same time, lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tmux_term import Launch, Term


def read_two_pages_then(term: Term, lesson_row: str, extra: str) -> None:
    term.wait_for(lesson_row)
    if not lesson_row.startswith("1."):
        term.press("Down")
        term.wait_for(lambda s: "Pick a lesson" in s)
    term.press("Enter")
    term.wait_for("Page 1 of")
    term.press("Right")
    term.wait_for("Page 2 of")
    term.press(extra)


def test_two_instances_keep_each_others_work(launch: Launch, tmp_path: Path) -> None:
    shared = tmp_path / "shared-data"
    first = launch(data_dir=shared)
    second = launch(data_dir=shared)
    # Interleave the two so their writes overlap in time.
    read_two_pages_then(first, "1.  What a vanishing gradient is", "l")
    read_two_pages_then(second, "2.  Symptoms", "z")
    first.wait_for("a act")
    second.wait_for("Question 1 of")
    for term in (first, second):
        term.press("q")
    assert first.wait_exit() == 0 and second.wait_exit() == 0
    lessons = json.loads((shared / "progress.json").read_text())["lessons"]
    assert lessons["vanishing-gradients/what-is"]["pages_seen"] == 2
    assert lessons["vanishing-gradients/what-is"]["lab_visited"] is True
    assert lessons["vanishing-gradients/symptoms"]["pages_seen"] == 2
    assert not list(shared.glob("progress.json.bad-*"))
