"""Pack text must reach the terminal without escape sequences and without live markup."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.markup import render
from textual.content import Content

from lessons.sanitize import clean, escape_markup, find_unsafe, line_of, visible

ATTACKS = {
    "CSI clear screen": ("a\x1b[2Jb", "ab"),
    "CSI colour": ("\x1b[1;31mred\x1b[0m", "red"),
    "OSC title ended by BEL": ("x\x1b]0;pwned\x07y", "xy"),
    "OSC 52 clipboard ended by ST": ("x\x1b]52;c;ZWNobyBoaQ==\x1b\\y", "xy"),
    "OSC 8 hyperlink": ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),
    "DCS": ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
    "C1 CSI": ("a\x9b2Jb", "ab"),
    "C1 OSC": ("a\x9d0;t\x9cb", "ab"),
    "lone C1": ("a\x85b", "ab"),
    "bare ESC at the end": ("abc\x1b", "abc"),
    "ESC c full reset": ("a\x1bcb", "ab"),
    "bell, backspace, NUL, DEL": ("a\x07\x08\x00\x7fb", "ab"),
    "carriage return overwrite": ("safe\rEVIL", "safeEVIL"),
    "lone surrogate": ("a\ud800b", "ab"),
}


@pytest.mark.parametrize("text, expected", ATTACKS.values(), ids=ATTACKS.keys())
def test_clean_removes_escape_sequences_and_controls(text: str, expected: str) -> None:
    assert clean(text) == expected
    assert find_unsafe(text)


def test_clean_keeps_ordinary_text_newlines_and_tabs() -> None:
    text = "Layer 1 — σ'(z) ≤ 0.25\n\tindented [bold] `code` 😀"
    assert clean(text) == text
    assert find_unsafe(text) == []


def test_windows_line_ends_are_not_a_problem() -> None:
    assert clean("one\r\ntwo\r\n") == "one\ntwo\n"
    assert find_unsafe("one\r\ntwo") == []


def test_find_unsafe_reports_offset_line_and_a_visible_spelling() -> None:
    text = "line one\r\nline two \x1b[2J\n"
    (found,) = find_unsafe(text)
    assert line_of(text, found.offset) == 2
    assert found.describe() == "\\x1b[2J"


def test_an_unterminated_osc_stops_at_the_end_of_its_line() -> None:
    assert clean("a\x1b]0;title\nnext line") == "a\nnext line"


def test_visible_spells_out_controls_and_cuts_long_text() -> None:
    assert visible("a\x1b[2J\nb") == "a\\x1b[2J\\x0ab"
    assert visible("x" * 100, limit=10) == "x" * 10 + "..."


@given(st.text())
def test_clean_never_raises_and_leaves_nothing_unsafe(text: str) -> None:
    cleaned = clean(text)
    assert find_unsafe(cleaned) == []
    assert clean(cleaned) == cleaned
    assert find_unsafe(visible(text, limit=10**6)) == []


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_visible_output_is_printable(text: str) -> None:
    assert "\x1b" not in visible(text) and "\n" not in visible(text)


MARKUP = [
    "[bold]x[/bold]",
    "[/]",
    "[link=https://evil]click[/link]",
    "[@click=app.quit]q[/]",
    "a\\[b]",
    "\\\\[red]",
    "ends with \\",
    "[[nested]]",
    "list[0] and d[key]",
]


@pytest.mark.parametrize("text", MARKUP)
def test_escaped_markup_renders_back_to_the_text(text: str) -> None:
    rendered = render(escape_markup(text), emoji=False)
    assert rendered.plain == text
    assert rendered.spans == []


@given(st.text(alphabet="[]\\/=@#:ab ", max_size=20) | st.text(max_size=20))
def test_escape_markup_round_trips_through_rich(text: str) -> None:
    text = clean(text)  # pack text is cleaned first; Rich itself drops some controls
    rendered = render(escape_markup(text), emoji=False)
    assert rendered.plain == text
    assert rendered.spans == []


@given(st.text(alphabet="[]/=@#:ab ", max_size=20))
def test_without_backslashes_escape_markup_is_inert_in_textual_too(text: str) -> None:
    assert Content.from_markup(escape_markup(text)).plain == text


def test_bidirectional_overrides_are_removed_and_reported() -> None:
    """U+202E and friends make text display in another order than it is stored."""
    from lessons.sanitize import clean, find_unsafe

    text = "ReLU \u202eis not\u202c fine \u2066x\u2069"
    assert clean(text) == "ReLU is not fine x"
    assert len(find_unsafe(text)) == 4
    assert clean("שלום, مرحبا") == "שלום, مرحبا"  # right-to-left text itself is kept


def test_direction_marks_and_tag_characters_are_removed_and_reported() -> None:
    """LRM/RLM/ALM reorder neighbouring text unseen; tag characters (U+E0000 block) are
    invisible, so a title could carry a hidden message."""
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore this") + "\U000e007f"
    text = f"a\u200eb\u200fc\u061cd{hidden}e\U000e0001"
    assert clean(text) == "abcde"
    assert len(find_unsafe(text)) == 3 + len(hidden) + 1
    assert visible("\U000e0041") == "\\U000e0041"


@given(
    st.text(
        alphabet=st.sampled_from("ab \n\t\x1b[]0;\x07\x9b\x9d\\\u200f\u202e\U000e0041\x00\x7f")
        | st.characters()
    )
)
def test_the_quick_scan_never_skips_a_text_the_full_pattern_would_change(text):
    from lessons import sanitize

    text = sanitize.normalize_newlines(text)
    assert clean(text) == sanitize._UNSAFE.sub("", text)
    assert [u.offset for u in find_unsafe(text)] == [
        m.start() for m in sanitize._UNSAFE.finditer(text)
    ]
