"""A pack full of terminal escapes and markup, opened on every screen that shows pack text.

tmux's pipe-pane records every byte the app writes; none of the injected sequences
may be among them. Markup must show as text, and clicking the would-be `@click=app.quit`
link must not quit.
"""

from __future__ import annotations

from pathlib import Path

from hostile_pack import CLEAN, FORBIDDEN_BYTES, FORBIDDEN_CHARS, MARKUP, write_hostile_pack
from tmux_term import Launch, Term

LINK = "[@click=app.quit]x"
X = len("[@click=app.quit]")
"""Offset of the would-be link's "x" in LINK."""


def click_the_link(term: Term, seen: str) -> None:
    """Click the "x" of the markup link, then prove the app is still there and unmoved."""
    term.click_text(LINK, X)
    term.wait_for(seen)
    assert term.exit_code() is None, "clicking pack text ended the app"


def leaked(written: bytes) -> list[str]:
    text = written.decode("utf-8", errors="replace")
    found = [repr(b) for b in FORBIDDEN_BYTES if b in written]
    return found + [repr(c) for c in FORBIDDEN_CHARS if c in text]


def test_no_escape_from_pack_text_reaches_the_terminal(launch: Launch, tmp_path: Path) -> None:
    pack = write_hostile_pack(tmp_path / "hostile")
    term = launch("--pack", str(pack), size=(120, 40))

    term.wait_for(f"Hostile pack {CLEAN}")  # the course map: pack title as text
    term.wait_for("problem(s) in the lesson packs")
    click_the_link(term, f"Hostile pack {CLEAN}")
    term.press("End")
    term.wait_for(f"Evil A B C D E F {LINK}")

    term.press("Enter")  # the lesson: title and reading
    term.wait_for(f"Body {CLEAN}")
    term.wait_for(f"Evil {CLEAN}")
    click_the_link(term, f"Body {CLEAN}")

    term.press("z")  # the quiz: prompt, choices, explanations
    term.wait_for(f"Prompt {CLEAN}")
    term.wait_for(f"Choice {CLEAN}")
    term.press("1")
    term.wait_for("[x] 1.")
    term.press("Enter")
    term.wait_for(f"Explain {CLEAN}")
    click_the_link(term, f"Explain {CLEAN}")

    term.press("l")  # the lab from the question's preset: title and look-for line
    term.wait_for(f"Look {CLEAN}")
    term.wait_for(f"Lab: Preset A B C D E F {MARKUP}"[:60])
    click_the_link(term, f"Look {CLEAN}")

    term.press("Escape")  # back to the quiz (a round trip), then to the lesson
    term.wait_for(f"Explain {CLEAN}")
    term.press("Escape")  # the lesson's exercises: title, task, hint
    term.wait_for(f"Body {CLEAN}")
    term.press("e")
    term.wait_for(f"Task {CLEAN}")
    term.wait_for("Exercise A B C D E F")
    term.press("Enter")
    term.wait_for(f"Task {CLEAN}")
    term.press("h")
    term.wait_for(f"Hint {CLEAN}")
    click_the_link(term, f"Hint {CLEAN}")

    term.press("?")
    term.wait_for("this help")
    term.press("Escape")
    term.wait_for(lambda screen: "this help" not in screen)
    # Quit by clicking the footer's "q Quit": proof that the clicks above were delivered.
    term.click_text(" q Quit", 1)
    assert term.wait_exit() == 0
    term.assert_restored()
    assert not leaked(term.bytes_written())
