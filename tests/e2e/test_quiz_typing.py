"""Keys typed in one burst (fast typing, a paste, an SSH packet) keep their order."""

from __future__ import annotations

from tmux_term import Launch


def test_a_tick_typed_right_before_enter_is_counted(launch: Launch) -> None:
    term = launch()
    term.wait_for("1.  What a vanishing gradient is")
    term.press("Enter")
    term.wait_for("Page 1 of")
    term.press("z")
    term.wait_for("Question 1 of")
    term.tmux("send-keys", "-t", "app", "1", "Enter")  # one write: both keys in one read
    screen = term.wait_for(lambda s: "Right!" in s or "Not quite:" in s)
    assert "you ticked it" in screen, screen
