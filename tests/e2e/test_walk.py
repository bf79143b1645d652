"""The learner's walk in a real terminal: home, lesson, quiz, lab, help, quit.

One walk per terminal configuration; each checks the exit status, that the terminal
is handed back as it was found, that no traceback appears, and that the progress
made on the way is on disk.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from hostile_pack import FORBIDDEN_BYTES
from tmux_term import Launch, Term

from lessons.lab.config import ACTIVATIONS

LESSON_KEY = "vanishing-gradients/what-is"
CONFIGS = {
    "80x24": {"size": (80, 24), "env": {"TERM": "xterm-256color"}},
    "120x40": {"size": (120, 40), "env": {"TERM": "xterm-256color"}},
    "80x24-no-color-xterm": {"size": (80, 24), "env": {"TERM": "xterm", "NO_COLOR": "1"}},
}
SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
GREY_16 = {"30", "37", "90", "97", "40", "47", "100", "107", "39", "49"}
"""Black, white and their bright forms: what NO_COLOR's monochrome leaves in 16 colours."""


def bars(screen: str) -> list[str]:
    """The lines of the per-layer bar chart (each starts with a layer label and ┤)."""
    return [line for line in screen.splitlines() if "┤" in line]


def activation_shown(screen: str) -> str:
    found = re.search(r"\ba act (\S+)", screen)
    assert found, screen
    return found.group(1)


def colour_parameters(written: bytes) -> set[str]:
    """Every colour parameter in the SGR sequences written (styles like bold left out)."""
    found: set[str] = set()
    for match in SGR.finditer(written):
        params = match.group(1).decode().split(";")
        i = 0
        while i < len(params):
            p = params[i]
            if p in ("38", "48"):  # extended colour: keep its whole form
                mode = params[i + 1] if i + 1 < len(params) else ""
                width = 3 if mode == "5" else 5
                found.add(";".join(params[i : i + width]))
                i += width
                continue
            if p.isdigit() and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
                found.add(p)
            i += 1
    return found


def walk(term: Term) -> None:
    term.wait_for("Pick a lesson")
    term.wait_for("1.  What a vanishing gradient is")

    term.press("Enter")
    term.wait_for("Page 1 of")
    term.press("Right")
    term.wait_for("Page 2 of")

    term.press("z")
    term.wait_for("Question 1 of")
    # One key per write, each waited for: see the quiz report on enter overtaking a tick.
    term.press("1")
    term.wait_for("[x] 1.")
    term.press("Enter")
    screen = term.wait_for(lambda s: "Right!" in s or "Not quite:" in s)
    assert re.search(r"1\. [✓✗] (correct|wrong) choice, you ticked it", screen), screen

    term.press("l")
    screen = term.wait_for(lambda s: "Lab" in s and "a act" in s and len(bars(s)) >= 3)
    before, act = bars(screen), activation_shown(screen)
    following = ACTIVATIONS[(ACTIVATIONS.index(act) + 1) % len(ACTIVATIONS)]
    term.press("a")
    screen = term.wait_for(f"a act {following}")
    screen = term.wait_for(lambda s: bars(s) and bars(s) != before)

    term.press("?")
    term.wait_for("this help")
    term.press("Escape")
    term.wait_for(lambda s: "this help" not in s and f"a act {following}" in s)
    term.press("q")


@pytest.mark.parametrize("name", list(CONFIGS))
def test_walk_home_lesson_quiz_lab_help_quit(launch: Launch, name: str, record_property) -> None:
    config = CONFIGS[name]
    started = time.monotonic()
    term = launch(size=config["size"], env=config["env"], unset=("COLORTERM",))
    walk(term)
    assert term.wait_exit() == 0
    duration = time.monotonic() - started
    record_property("walk_seconds", round(duration, 2))
    print(f"\ne2e walk {name}: {duration:.1f} s")
    term.assert_restored()

    progress = json.loads((term.data_dir / "progress.json").read_text())
    lesson = progress["lessons"][LESSON_KEY]
    assert lesson["pages_seen"] >= 2 and lesson["lab_visited"] is True

    written = term.bytes_written()
    # The hostile-pack test looks for these in the app's output: Textual never writes them.
    assert not [marker for marker in FORBIDDEN_BYTES if marker in written]
    colours = colour_parameters(written)
    if config["env"]["TERM"] == "xterm":  # 16 colours: no 256-colour or RGB codes
        assert not {c for c in colours if c.startswith(("38;", "48;"))}, colours
    if "NO_COLOR" in config["env"]:
        assert colours <= GREY_16, colours - GREY_16
