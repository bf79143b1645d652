"""A pack folder named with terminal escapes, opened in the app: no byte of them is written.

Issue 15, item 1: without an `id` the folder's name became the pack's title on the
course map, retitling the terminal (OSC 0) and writing the clipboard (OSC 52).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_pack import FORBIDDEN_BYTES, FORBIDDEN_CHARS
from tmux_term import Launch

MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
OSC_NAME = "week\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x9d0;pwned\x9c"


@pytest.mark.parametrize("with_id", [False, True], ids=["no id", "with id"])
def test_an_escape_laden_folder_name_never_reaches_the_terminal(
    launch: Launch, tmp_path: Path, with_id: bool
) -> None:
    folder = tmp_path / OSC_NAME
    shutil.copytree(MINIMAL, folder)
    if not with_id:
        manifest = folder / "pack.toml"
        manifest.write_text(manifest.read_text().replace('id = "minimal-example"\n', ""))
    term = launch("--pack", str(folder), size=(120, 40))
    term.wait_for("Minimal example pack" if with_id else "problem(s) in the lesson packs")
    term.wait_for("What a vanishing gradient is")
    term.press("q")
    assert term.wait_exit() == 0
    term.assert_restored()
    written = term.bytes_written()
    text = written.decode("utf-8", errors="replace")
    assert not [b for b in (*FORBIDDEN_BYTES, b"ZWNob") if b in written]
    assert not [c for c in FORBIDDEN_CHARS if c in text]
