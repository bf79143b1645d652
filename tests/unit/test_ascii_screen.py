"""--ascii rewrites every cell to 7-bit ASCII without moving anything."""

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.ascii_screen import ascii_cells, wants_ascii


def test_box_drawing_arrows_and_marks_become_ascii():
    assert ascii_cells("┌─┤│└┘") == "+-+|++"
    assert ascii_cells("⭘ → · ✓✗ ◆ ▏^p █⢕") == "o > . vx : |^p #."


@given(st.text())
def test_any_text_keeps_its_width_in_cells(text):
    text = "".join(c for c in text if c.isprintable())
    out = ascii_cells(text)
    assert out.isascii()
    assert cell_len(out) == cell_len(text)


def test_ascii_is_the_default_where_the_terminal_cannot_draw_unicode():
    assert wants_ascii(None, {"TERM": "linux"}, "utf-8")
    assert wants_ascii(None, {"TERM": "xterm"}, "ANSI_X3.4-1968")
    assert not wants_ascii(None, {"TERM": "xterm-256color"}, "UTF-8")
    assert not wants_ascii("unicode", {"TERM": "linux"}, "ascii")
    assert wants_ascii("ascii", {"TERM": "xterm"}, "utf-8")
