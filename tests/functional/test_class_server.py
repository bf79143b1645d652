"""`vgtutor serve` hosting a class, tested through a real server on a free loopback port.

Each learner's progress is their own; a name belongs to the browser that took it first;
the session limit, the class code and the address rule hold for the page and the
WebSocket alike.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from serve_harness import Browser, Served, serving, wait_for

pytest.importorskip("textual_serve", reason="textual-serve is not installed (vgtutor[web])")

CODE = "k3y-2024"


def progress_file(served: Served, learner: str) -> Path:
    return served.learners / learner / "progress.json"


def lessons_in(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_text())["lessons"])


def test_two_learners_keep_apart_and_one_cannot_reset_the_others(tmp_path: Path) -> None:
    async def scenario(served: Served) -> None:
        ana, ben = Browser(served), Browser(served)
        try:
            assert await ana.open_page("Ana") == 200
            assert await ben.open_page("Ben") == 200
            await ana.connect()
            await ben.connect()

            await ana.press("\r")  # open the first lesson: its first page is recorded
            ana_file = progress_file(served, "ana")
            await asyncio.to_thread(wait_for, ana_file.exists, "ana's progress file")
            assert lessons_in(ana_file), "ana's lesson was not recorded"
            assert not progress_file(served, "ben").exists(), "ben sees ana's progress"
            before = ana_file.read_bytes()

            # Ben reads something too, then resets: only his own file is moved aside.
            await ben.press("\r")
            ben_file = progress_file(served, "ben")
            await asyncio.to_thread(wait_for, ben_file.exists, "ben's progress file")
            await ben.press("\x1b")  # back to the course map
            await asyncio.sleep(0.5)
            await ben.press("R")
            await ben.read_until(b"Reset all progress?")
            await ben.press("y")
            await asyncio.to_thread(
                wait_for,
                lambda: list((served.learners / "ben").glob("progress.json.reset-*")),
                "ben's reset backup",
            )
            assert not ben_file.exists() or lessons_in(ben_file) == {}
            assert ana_file.read_bytes() == before
            assert not list((served.learners / "ana").glob("progress.json.*"))
        finally:
            await ana.close()
            await ben.close()

    with serving(tmp_path) as served:
        asyncio.run(scenario(served))
        assert served.process.poll() is None


def test_a_name_belongs_to_the_browser_that_took_it(tmp_path: Path) -> None:
    async def scenario(served: Served) -> None:
        owner, other = Browser(served), Browser(served)
        try:
            assert await owner.open_page("Ana") == 200
            assert await owner.open_page("ana ") == 200  # the same learner, same browser
            ticket = owner.websocket_url
            assert await other.open_page("ANA") == 409
            # Another browser cannot use the owner's page ticket either, nor forge one.
            with pytest.raises(Exception, match="403"):
                await other.connect(ticket)
            with pytest.raises(Exception, match="403"):
                await owner.connect(f"ws://127.0.0.1:{served.port}/ws/forged")
        finally:
            await owner.close()
            await other.close()

    with serving(tmp_path) as served:
        asyncio.run(scenario(served))
        assert served.upgrade_status("/ws", served.origin) == 403
        assert served.upgrade_status("/ws?name=ana", served.origin) == 403
        status, _, body = served.request("/?name=%21%21%21")
        assert status == 400 and "at least one letter or digit" in body


def test_the_session_limit_refuses_more_with_a_clear_page(tmp_path: Path) -> None:
    async def scenario(served: Served) -> None:
        first, second = Browser(served), Browser(served)
        try:
            assert await first.open_page("first") == 200
            assert await second.open_page("second") == 200  # page loaded while there was room
            await first.connect()
            status, _, body = served.request("/?name=third")
            assert status == 503 and "The class is full" in body and "1 places" in body
            with pytest.raises(Exception, match="503"):
                await second.connect()
            await first.close()
            await asyncio.to_thread(
                wait_for, lambda: served.request("/?name=third")[0] == 200, "a free place"
            )
        finally:
            await first.close()
            await second.close()

    with serving(tmp_path, "--max-sessions", "1") as served:
        asyncio.run(scenario(served))


def test_the_class_code_guards_the_page_and_the_websocket(tmp_path: Path) -> None:
    async def scenario(served: Served) -> None:
        learner = Browser(served)
        try:
            # A page refused for its code carries no WebSocket ticket.
            assert await learner.open_page("Ana") == 403  # missing
            assert learner.websocket_url is None
            assert await learner.open_page("Ana", "wrong") == 403
            assert learner.websocket_url is None
            assert await learner.open_page("Ana", CODE) == 200
            ticket = learner.websocket_url
            await learner.connect()
            await learner.close()
            # A ticket opens one session only; a used one is refused.
            again = Browser(served)
            try:
                with pytest.raises(Exception, match="403"):
                    await again.connect(ticket)
            finally:
                await again.close()
        finally:
            await learner.close()

    with serving(tmp_path, "--code", CODE) as served:
        status, _, body = served.request("/")
        assert status == 403 and 'name="code"' in body
        status, _, body = served.request("/?name=ana&code=nope")
        assert status == 403 and "not right" in body
        assert served.upgrade_status("/ws?code=" + CODE, served.origin) == 403
        asyncio.run(scenario(served))


def test_dns_rebinding_and_foreign_pages_are_refused(tmp_path: Path) -> None:
    with serving(tmp_path, "--allow-host", "class.test") as served:
        port = served.port
        evil = {"Host": f"evil.example:{port}"}
        assert served.request("/", evil)[0] == 421
        assert served.request("/static/js/textual.js", evil)[0] == 421
        assert served.upgrade_status("/ws/t", f"http://evil.example:{port}", **evil) == 421
        # The right Host but a foreign page: the WebSocket refuses it before any ticket.
        for origin in (f"http://evil.example:{port}", None, "null"):
            assert served.upgrade_status("/ws/t", origin) == 403
            assert served.upgrade_status("/ws", origin) == 403
        # A name the instructor allowed, and loopback names, are this server.
        assert served.request("/", {"Host": f"class.test:{port}"})[0] == 200
        assert served.request("/", {"Host": f"localhost:{port}"})[0] == 200
        assert served.request("/", {"Host": f"class.test:{port + 1}"})[0] == 421


def test_the_page_asks_nothing_of_other_hosts_and_serves_its_icon(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        status, headers, form = served.request("/")
        assert status == 200 and 'name="name"' in form
        status, _, page = served.request("/?name=ana")
        assert status == 200
        for html in (form, page):
            assert "https://" not in html and "googleapis" not in html
            assert 'rel="icon" href="/favicon.ico"' in html
        assert f"http://127.0.0.1:{served.port}/static/fonts/RobotoMono" in page
        assert served.request("/static/fonts/RobotoMono-VariableFont_wght.ttf")[0] == 200
        status, headers, _ = served.request("/favicon.ico")
        assert status == 200 and headers["content-type"] == "image/x-icon"


def test_a_learners_folder_that_cannot_be_written_is_a_clear_page(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "class").write_text("not a folder")
    with serving(tmp_path) as served:
        status, _, body = served.request("/?name=ana")
        assert status == 500 and "cannot keep your progress" in body
        assert served.request("/")[0] == 200
        assert served.process.poll() is None
