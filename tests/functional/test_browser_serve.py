"""A served class in a real browser: headless Chromium, driven by selenium.

The learner opens the page, types a name, and types into the app: the course map and a
lab appear, and nothing is asked of any host but the server. xterm.js draws on a canvas,
so what the app sent is read from the page's own WebSocket (a recorder added to the page
before it loads) rather than from the DOM. Skipped, with the reason, where Chromium,
chromedriver or selenium is missing (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_harness import DEADLINE, Served, serving, wait_for

pytest.importorskip("textual_serve", reason="textual-serve is not installed (vgtutor[web])")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
    # Belt and braces: even a request the page should not make cannot leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
RECORDER = """
window.__vgtutorReceived = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeWebSocket(...args);
  const decoder = new TextDecoder();
  socket.addEventListener("message", (event) => {
    if (event.data instanceof ArrayBuffer) {
      window.__vgtutorReceived.push(decoder.decode(event.data, {stream: true}));
    } else if (typeof event.data === "string") {
      window.__vgtutorReceived.push(event.data);
    }
  });
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, NativeWebSocket);
"""


def _chromium() -> tuple[str, str]:
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        pytest.skip("no Chromium and chromedriver here (apt-get install chromium chromium-driver)")
    return browser, driver


@pytest.fixture
def chrome(tmp_path: Path) -> Iterator[Any]:
    browser, driver_path = _chromium()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(DEADLINE)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        yield driver
    finally:
        driver.quit()


def received(driver: Any) -> str:
    return "".join(driver.execute_script("return window.__vgtutorReceived || [];"))


def wait_on_screen(driver: Any, text: str) -> str:
    deadline = time.monotonic() + DEADLINE
    while text not in (screen := received(driver)):
        assert time.monotonic() < deadline, f"{text!r} never reached the browser"
        time.sleep(0.2)
    return screen


def requested_urls(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            urls.append(params["request"]["url"] if "request" in params else params["url"])
    return urls


def type_into_app(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)


def test_a_learner_uses_the_class_in_chromium_offline(chrome: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with serving(tmp_path) as served:
        chrome.get(f"{served.origin}/")
        chrome.find_element(By.ID, "name").send_keys("Ana Lima")
        chrome.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

        screen = wait_on_screen(chrome, "vanishing gradient")  # the course map
        assert "vgtutor: ana-lima" == chrome.title
        type_into_app(chrome, "l")  # the first lesson's lab
        wait_on_screen(chrome, "Lab: ")
        lab_visited = _lab_recorded(served, "ana-lima")
        wait_for(lab_visited, "the lab visit in ana-lima's own progress file")

        screen = received(chrome)
        # The header icon is one the served font has; Textual's U+2B58 is never drawn.
        assert "∂" in screen and "\u2b58" not in screen
        fonts_ready = chrome.execute_async_script(
            "const done = arguments[0]; document.fonts.ready.then(() => done("
            "document.fonts.check('16px \"Roboto Mono\"', '∂ab')));"
        )
        assert fonts_ready, "the page's Roboto Mono did not load from the server"

        urls = requested_urls(chrome)
        served_here = (f"http://127.0.0.1:{served.port}/", f"ws://127.0.0.1:{served.port}/")
        network = [url for url in urls if url.startswith(("http:", "https:", "ws:", "wss:"))]
        foreign = [url for url in network if not url.startswith(served_here)]
        assert network and foreign == []
        assert any(url.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for url in urls)


def _lab_recorded(served: Served, learner: str) -> Any:
    path = served.learners / learner / "progress.json"

    def check() -> bool:
        if not path.exists():
            return False
        lessons = json.loads(path.read_text())["lessons"]
        return any(entry["lab_visited"] for entry in lessons.values())

    return check
