"""The HTML a served class sees: the name form, refusal pages, the app page, the favicon.

Every page works offline: it asks nothing of any host but the server. The app page is
textual-serve's own (templates/app_index.html) without its Google Fonts stylesheet:
the terminal's font, Roboto Mono, is the copy textual-serve ships in its static folder.
Everything interpolated is HTML-escaped.
"""

from __future__ import annotations

import struct
from functools import cache
from html import escape
from string import Template

FONT_FILE = "fonts/RobotoMono-VariableFont_wght.ttf"
"""Under textual-serve's static folder; xterm.js asks for the family 'Roboto Mono'."""
PAGE_TITLE = "vgtutor"
FAVICON_PATH = "/favicon.ico"
MAX_TYPED_NAME_CHARS = 80
"""Longest name the form takes (its folder name is shorter still: lessons.learners)."""

_STYLE = """
body { background: #0c181f; color: #e8eef2; margin: 0;
       font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 34rem; margin: 12vh auto; padding: 2rem; background: #12232d; }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin: 1rem 0 0.3rem; }
input { font-size: 1.1rem; padding: 0.4rem; width: 100%; box-sizing: border-box; }
button { margin-top: 1.2rem; font-size: 1.1rem; padding: 0.5rem 1.5rem; border: none;
         background: #5e0ba7; color: #fff; cursor: pointer; }
.problem { color: #ffb4a2; }
"""

_FORM_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<link rel="icon" href="$favicon">
<style>$style</style>
</head>
<body>
<main>
<h1>$heading</h1>
$message
$form
</main>
</body>
</html>
""")

_APP_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<link rel="icon" href="$favicon">
<link rel="preload" href="${static}$font" as="font" type="font/ttf" crossorigin>
<link rel="stylesheet" href="${static}css/xterm.css">
<style>
@font-face { font-family: "Roboto Mono"; font-weight: 100 700; font-display: block;
             src: url("${static}$font") format("truetype"); }
body { background: #0c181f; margin: 0; }
.dialog-container { position: absolute; width: 100vw; height: 100vh; display: flex;
                    align-items: center; justify-content: center; z-index: 10; }
.shade { position: absolute; width: 100%; height: 100%; background: #0c181f; }
.intro { width: 640px; height: 240px; font-size: 16px; z-index: 20;
         font-family: "Roboto Mono", monospace; text-align: center;
         color: rgba(255, 255, 255, 0.95); background-color: #12232d; display: flex;
         flex-direction: column; align-items: center; justify-content: center; margin: 32px; }
body.-first-byte .intro-dialog { display: none; }
body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
button { padding: 16px 32px; background-color: #5e0ba7; color: #fff; border: none;
         font-family: "Roboto Mono", monospace; margin: 16px; cursor: pointer; }
#start { display: none; }
#start.-delay { display: flex; }
</style>
<script src="${static}js/textual.js"></script>
<script>
function refresh() { window.location.reload(); }
</script>
</head>
<body>
<div class="dialog-container intro-dialog">
  <div class="shade"></div>
  <div class="intro"><div>$heading</div>
    <button type="button" onclick="refresh()" id="start">Start</button></div>
</div>
<div class="dialog-container closed-dialog">
  <div class="shade"></div>
  <div class="intro"><div>Session ended. Your progress is saved.</div>
    <button type="button" onclick="refresh()">Restart</button></div>
</div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="$websocket"
     data-font-size="$font_size"></div>
</body>
</html>
""")


def form_page(heading: str, message: str, *, ask_code: bool, name: str = "", code: str = "") -> str:
    """The page that asks for a learner's name (and the class code when one is needed)."""
    code_field = (
        '<label for="code">Class code (from your instructor)</label>'
        f'<input id="code" name="code" autocomplete="off" value="{escape(code)}" required>'
        if ask_code
        else ""
    )
    form = (
        '<form method="get" action="/">'
        '<label for="name">Your name (it keeps your progress apart from the others\')</label>'
        f'<input id="name" name="name" maxlength="{MAX_TYPED_NAME_CHARS}" autofocus required '
        f'value="{escape(name)}">'
        f"{code_field}"
        '<button type="submit">Start</button>'
        "</form>"
    )
    return _page(heading, message, form)


def message_page(heading: str, message: str) -> str:
    """A refusal with nothing to fill in (the class is full)."""
    return _page(heading, message, "")


def _page(heading: str, message: str, form: str) -> str:
    shown = f'<p class="problem">{escape(message)}</p>' if message else ""
    return _FORM_PAGE.substitute(
        title=PAGE_TITLE,
        favicon=FAVICON_PATH,
        style=_STYLE,
        heading=escape(heading),
        message=shown,
        form=form,
    )


def app_page(static_url: str, websocket_url: str, learner: str, font_size: int) -> str:
    """The terminal page for one learner; `websocket_url` carries its one-time ticket."""
    return _APP_PAGE.substitute(
        title=escape(f"{PAGE_TITLE}: {learner}"),
        favicon=FAVICON_PATH,
        static=escape(static_url),
        font=FONT_FILE,
        heading=escape(f"vgtutor for {learner}: starting…"),
        websocket=escape(websocket_url),
        font_size=font_size,
    )


@cache
def favicon() -> bytes:
    """A 16x16 icon drawn here: four bars, each shorter than the last (a vanishing gradient)."""
    size = 16
    background, bar = (0x1F, 0x18, 0x0C, 0xFF), (0xF4, 0x5A, 0xAC, 0xFF)  # BGRA
    heights = (13, 8, 4, 2)
    rows = []
    for y in range(size):  # bottom-up, as BMP stores them
        row = []
        for x in range(size):
            column = (x - 1) // 4 if 1 <= x <= 15 else -1
            lit = 0 <= column < 4 and (x - 1) % 4 < 3 and 1 <= y <= heights[column]
            row.append(bar if lit else background)
        rows.append(b"".join(bytes(pixel) for pixel in row))
    pixels = b"".join(rows)
    mask = bytes(4 * size)  # 1 bit per pixel, rows padded to 32 bits: all opaque
    header = struct.pack("<IiiHHIIiiII", 40, size, 2 * size, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    image = header + pixels + mask
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image
