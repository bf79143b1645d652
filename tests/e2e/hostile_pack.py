"""A lesson pack whose every learner-visible text carries terminal escapes and markup.

The payloads are chosen so that none of them is ever part of what Textual itself
writes (test_walk checks that on a normal run): finding one in the bytes the app
wrote means pack text reached the terminal unfiltered.
"""

from __future__ import annotations

from pathlib import Path

ESC, BEL = "\x1b", "\x07"
CLIPBOARD = "cHduZWQtY2xpcGJvYXJk"  # base64 of "pwned-clipboard"
PAYLOAD = (
    f"A{ESC}[2J B{ESC}]0;pwned-title{BEL} C{ESC}]52;c;{CLIPBOARD}{BEL} "
    f"D\x9b2J E\x9d0;pwned-c1\x9c F [@click=app.quit]x[/] [bold]b[/bold] [link="
)
"""CSI clear screen, OSC 0 retitle, OSC 52 clipboard write, C1 CSI and OSC, markup."""
MARKUP = "[@click=app.quit]x[/] [bold]b[/bold] [link="
"""What the learner must see, literally, where the payload was (the escapes removed)."""
CLEAN = f"A B C D E F {MARKUP}"

FORBIDDEN_BYTES = (b"\x1b[2J", b"\x1b]0;", b"\x1b]52", b"pwned", CLIPBOARD.encode())
FORBIDDEN_CHARS = ("\x9b", "\x9c", "\x9d")
"""C1 controls, looked for in the decoded output (their bytes occur inside UTF-8)."""


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, control characters spelled as \\u escapes."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_hostile_pack(folder: Path, payload: str = PAYLOAD) -> Path:
    """Write the pack, with `payload` in every text, into `folder` (created); return it."""
    t = toml_string
    (folder / "readings").mkdir(parents=True)
    (folder / "quizzes").mkdir()
    (folder / "pack.toml").write_text(
        f"""format_version = 1
id = "hostile"
title = {t("Hostile pack " + payload)}
preset_files = ["presets.toml"]
exercise_files = ["exercises.toml"]

[[lesson]]
id = "evil"
title = {t("Evil " + payload)}
reading = "readings/evil.md"
questions = "quizzes/evil.toml"
presets = ["evil-preset"]
""",
        encoding="utf-8",
    )
    (folder / "presets.toml").write_text(
        f"""[[preset]]
id = "evil-preset"
title = {t("Preset " + payload)}
kind = "profile"
look_for = {t("Look " + payload)}
activation = "sigmoid"
depth = 6
width = 16
""",
        encoding="utf-8",
    )
    (folder / "quizzes" / "evil.toml").write_text(
        f"""[[question]]
id = "evil-question"
prompt = {t("Prompt " + payload)}
preset = "evil-preset"

[[question.choice]]
text = {t("Choice " + payload)}
correct = true
explanation = {t("Explain " + payload)}

[[question.choice]]
text = "A plain choice."
correct = false
explanation = "A plain explanation."
""",
        encoding="utf-8",
    )
    (folder / "exercises.toml").write_text(
        f"""[[exercise]]
id = "evil-exercise"
title = {t("Exercise " + payload)}
lesson = "evil"
kind = "profile"
task = {t("Task " + payload)}
hints = [{t("Hint " + payload)}]

[exercise.start]
activation = "sigmoid"
depth = 6
width = 16

[exercise.goal]
weight_log10_ratio = {{ min = -1.0, max = 1.0 }}
""",
        encoding="utf-8",
    )
    (folder / "readings" / "evil.md").write_text(
        f"# Heading {payload}\n\nBody {payload}\n\n`code {payload}`\n", encoding="utf-8"
    )
    return folder
