"""A real `vgtutor serve` on a free loopback port, and a browser-like WebSocket client.

Every wait is bounded by DEADLINE; the server is stopped by its pid (SIGTERM, then
SIGKILL) however the test ends, and textual-serve stops the app processes with it.
"""

from __future__ import annotations

import asyncio
import html
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEADLINE = 30.0
"""Seconds any one wait may take."""
TITLE = b"vanishing gradient"
"""Drawn on the course map once an app session is up."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    data: Path
    log: Path

    @property
    def learners(self) -> Path:
        return self.data / "class"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        """GET `path`: (status, headers, body text)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode("utf-8", "replace"),
            )
        finally:
            connection.close()

    def upgrade_status(self, path: str, origin: str | None, **headers: str) -> int:
        """The status of a WebSocket handshake to `path` (101 means accepted)."""
        sent = {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            **headers,
        }
        if origin is not None:
            sent["Origin"] = origin
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE)
        try:
            connection.request("GET", path, headers=sent)
            return connection.getresponse().status
        finally:
            connection.close()


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[Served]:
    """`python -m tui serve ARGS` on a free loopback port, answering before it is yielded."""
    port = free_port()
    data = tmp_path / "data"
    log_path = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "VGTUTOR_DATA_DIR": str(data)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--port", str(port), *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    served = Served(port, process, data, log_path)
    try:
        _wait_until_up(served)
        yield served
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=DEADLINE)


def _wait_until_up(served: Served) -> None:
    deadline = time.monotonic() + DEADLINE
    while True:
        assert served.process.poll() is None, served.log.read_text()
        try:
            served.request("/")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wait_for(condition: Any, what: str) -> None:
    """Poll `condition()` until it is true, for at most DEADLINE seconds."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Browser:
    """One browser: its own cookies, a page load, then the app's WebSocket."""

    def __init__(self, served: Served) -> None:
        import aiohttp

        self.served = served
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: Any = None
        self.websocket_url: str | None = None
        """From the last app page loaded: where its WebSocket goes (with its ticket)."""
        self.screen = b""

    async def open_page(self, name: str, code: str | None = None) -> int:
        query = {"name": name} | ({"code": code} if code is not None else {})
        url = f"{self.served.origin}/?{urllib.parse.urlencode(query)}"
        async with self.session.get(url) as response:
            page = await response.text()
        found = re.search(r'data-session-websocket-url="([^"]+)"', page)
        self.websocket_url = html.unescape(found.group(1)) if found else None
        return response.status

    async def connect(self, url: str | None = None) -> None:
        """Open the app's WebSocket as textual.js would, and wait for the course map."""
        url = url or self.websocket_url
        assert url is not None, "no app page was loaded"
        self.ws = await self.session.ws_connect(
            f"{url}?width=80&height=24", headers={"Origin": self.served.origin}
        )
        await self.ws.send_json(["resize", {"width": 80, "height": 24}])
        await self.read_until(TITLE)

    async def read_until(self, marker: bytes) -> bytes:
        import aiohttp

        deadline = time.monotonic() + DEADLINE
        while marker not in self.screen:
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {marker!r} on screen"
            try:
                message = await self.ws.receive(timeout=left)
            except asyncio.TimeoutError:
                continue
            assert message.type == aiohttp.WSMsgType.BINARY, f"session ended: {message}"
            self.screen += message.data
        return self.screen

    async def press(self, keys: str) -> None:
        await self.ws.send_json(["stdin", keys])

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        await self.session.close()
