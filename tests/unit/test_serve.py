"""`vgtutor serve`: the page is served on loopback, and only its own origin may drive the app."""

from __future__ import annotations

import asyncio
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.commands import serve
from tui.commands.serve import origin_allowed

DEADLINE = 20.0
"""Seconds any one wait in these tests may take."""


# -- the origin rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1", True),
        ("http://localhost:8000", "127.0.0.1", True),
        ("http://[::1]:8000", "127.0.0.1", True),
        ("http://127.0.0.1:8001", "127.0.0.1", False),
        ("http://127.0.0.1", "127.0.0.1", False),
        ("http://evil.example:8000", "127.0.0.1", False),
        ("http://127.0.0.1.evil.example:8000", "127.0.0.1", False),
        ("null", "127.0.0.1", False),
        ("", "127.0.0.1", False),
        (None, "127.0.0.1", False),
        ("file://", "127.0.0.1", False),
        ("http://192.168.1.5:8000", "192.168.1.5", True),
        ("http://localhost:8000", "192.168.1.5", False),
    ],
)
def test_an_origin_must_name_the_served_address_and_port(
    origin: str | None, host: str, allowed: bool
) -> None:
    assert origin_allowed(origin, f"{host}:8000", host, 8000) is allowed


def test_a_wildcard_bind_accepts_only_the_origin_the_request_was_sent_to() -> None:
    assert origin_allowed("http://192.168.1.5:8000", "192.168.1.5:8000", "0.0.0.0", 8000)
    assert not origin_allowed("http://evil.example:8000", "192.168.1.5:8000", "0.0.0.0", 8000)
    assert not origin_allowed("http://192.168.1.5:8000", None, "0.0.0.0", 8000)


# -- the command, without a network ----------------------------------------------------


class FakeServer:
    """Stands in for textual-serve's Server: records what it was built with."""

    built: list[tuple[str, str, int]] = []

    def __init__(self, command: str, host: str, port: int) -> None:
        FakeServer.built.append((command, host, port))

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int]]:
    FakeServer.built = []
    monkeypatch.setattr(serve, "make_server", FakeServer)
    return FakeServer.built


def test_the_served_command_is_this_python_running_the_app_with_the_packs(
    fake_server: list[tuple[str, str, int]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--pack", str(tmp_path), "serve", "--port", "8123"]) == 0
    (command, host, port) = fake_server[0]
    assert command.split() == [sys.executable, "-m", "tui.commands.serve", "--pack", str(tmp_path)]
    assert (host, port) == ("127.0.0.1", 8123)
    assert capsys.readouterr().err == ""


def test_a_non_loopback_host_prints_one_warning_line(
    fake_server: list[tuple[str, str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("vgtutor serve: warning: 0.0.0.0 is not a loopback address")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "0"], "--port: must be a whole number from 1 to 65535; got '0'"),
        (["--port", "http"], "--port: must be a whole number from 1 to 65535; got 'http'"),
        (["--pack", "/no/such/folder"], "--pack: /no/such/folder is not a folder"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    fake_server: list[tuple[str, str, int]],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    assert main(["serve", *args]) == 2
    assert capsys.readouterr().err == f"vgtutor serve: error: {expected}\n"
    assert fake_server == []


def test_without_textual_serve_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import now raises ImportError
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == (
        "vgtutor serve: error: textual-serve is not installed; pip install 'vgtutor[web]'\n"
    )


# -- a real server on a free loopback port ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def upgrade_status(port: int, origin: str | None) -> int:
    """The status of a WebSocket handshake to /ws sent with `origin` (None: no Origin)."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    if origin is not None:
        headers["Origin"] = origin
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        connection.request("GET", "/ws", headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


async def screen_text(port: int, origin: str) -> bytes:
    """What the served app draws for a browser at `origin`, until its title appears."""
    import aiohttp

    received = b""
    deadline = time.monotonic() + DEADLINE
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/ws?width=80&height=24"
        async with session.ws_connect(url, headers={"Origin": origin}) as ws:
            await ws.send_json(["resize", {"width": 80, "height": 24}])
            while b"vanishing gradient" not in received and time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=deadline - time.monotonic())
                except asyncio.TimeoutError:
                    break
                if message.type != aiohttp.WSMsgType.BINARY:
                    break
                received += message.data
    return received


@pytest.fixture
def served(tmp_path: Path) -> Any:
    """`python -m tui serve` on a free loopback port; stopped by its pid afterwards."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (vgtutor[web])")
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "VGTUTOR_DATA_DIR": str(tmp_path / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        yield port, process
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=DEADLINE)
        log.close()


def fetch_page(port: int, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + DEADLINE
    while True:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_serve_answers_on_loopback_and_refuses_foreign_origins(served: Any) -> None:
    port, process = served
    page = fetch_page(port, process)
    assert "vgtutor" in page and "textual.js" in page
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page

    assert upgrade_status(port, "http://evil.example") == 403
    assert upgrade_status(port, f"http://evil.example:{port}") == 403
    assert upgrade_status(port, None) == 403

    screen = asyncio.run(screen_text(port, f"http://127.0.0.1:{port}"))
    assert b"vgtutor" in screen and b"vanishing gradient" in screen
    assert process.poll() is None
