"""`vgtutor serve`: the tutorial in a web browser, through textual-serve.

textual-serve runs one app process per browser connection and relays keys and screen
updates over a WebSocket. It does not check that WebSocket's Origin header, so any web
page the learner opens could connect to the served app and type into it (browsers
send the page's origin with every WebSocket handshake but do not block cross-origin
ones). This module refuses a handshake whose Origin is not the address being served,
and binds to loopback unless told otherwise.

Run as `python -m tui.commands.serve`, this module is the served process: it opens the
app directly, because `vgtutor` itself declines to start the app when its input and
output are not a terminal, and under textual-serve they are pipes.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROG = "vgtutor serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
"""Names a browser on this machine may use for a loopback server; all reach it."""
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
DEFAULT_PORTS = {"http": 80, "https": 443}
INSTALL_HINT = "pip install 'vgtutor[web]'"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the tutorial to a web browser (needs vgtutor[web])",
        description="Serve the tutorial with textual-serve: open the printed address in a "
        "browser. Binds to 127.0.0.1 by default; the app's WebSocket only accepts pages "
        "served from that address. Stop with Ctrl+C.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--port", default=str(DEFAULT_PORT), metavar="N", help="port (default %(default)s)"
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=[],
        type=Path,
        dest="serve_packs",
        metavar="DIR",
        help="add a lesson pack folder to the served course (repeatable)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    port = _port(args.port)
    if port is None:
        return _fail(f"--port: must be a whole number from 1 to 65535; got {args.port!r}")
    packs = [*getattr(args, "pack", []), *args.serve_packs]
    for pack in packs:
        if not pack.is_dir():
            return _fail(f"--pack: {pack} is not a folder")
    try:
        server = make_server(served_command(packs), args.host, port)
    except ImportError:
        return _fail(f"textual-serve is not installed; {INSTALL_HINT}")
    if not is_loopback(args.host):
        print(
            f"{PROG}: warning: {args.host} is not a loopback address: anyone who can reach "
            f"port {port} can use the tutorial, with no login",
            file=sys.stderr,
        )
    server.serve()
    return 0


def served_command(packs: list[Path]) -> str:
    """The shell command textual-serve runs for each browser connection."""
    words = [sys.executable, "-m", "tui.commands.serve"]
    for pack in packs:
        words += ["--pack", str(pack.resolve())]
    return shlex.join(words)


def make_server(command: str, host: str, port: int) -> Any:
    """A textual-serve Server whose WebSocket refuses foreign origins with 403.

    Raises ImportError when textual-serve is not installed.
    """
    from aiohttp import web
    from textual_serve.server import Server

    class OriginCheckedServer(Server):  # type: ignore[misc]
        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            origin = request.headers.get("Origin")
            if not origin_allowed(origin, request.host, self.host, self.port):
                raise web.HTTPForbidden(
                    text="vgtutor serve: only pages served from this address may connect\n"
                )
            return await super().handle_websocket(request)

    return OriginCheckedServer(command, host=host, port=port, title="vgtutor")


def origin_allowed(origin: str | None, request_host: str | None, host: str, port: int) -> bool:
    """Whether a page from `origin` may drive the app served on `host`:`port`.

    The origin must name the served address and port (for a loopback server, any
    loopback name). A server bound to every address (0.0.0.0) cannot know its own names,
    so there the origin must match the Host the request was sent to. A missing or
    opaque ("null") origin is refused: browsers always send one.
    """
    seen = _host_port(origin)
    if seen is None:
        return False
    if host in WILDCARD_HOSTS:
        return request_host is not None and seen == _host_port(f"http://{request_host}")
    names = {host.lower().strip("[]")} | (LOOPBACK_NAMES if is_loopback(host) else set())
    return seen[0] in names and seen[1] == port


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_port(url: str | None) -> tuple[str, int] | None:
    """(hostname, port) of an http(s) URL, the port filled in from the scheme."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.hostname, port


def _port(text: str) -> int | None:
    try:
        port = int(text)
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _serve_app(argv: list[str]) -> int:
    """The served process: the app on textual-serve's web driver (set in its environment)."""
    from lessons.lab.runtime import tune_process

    tune_process()
    parser = argparse.ArgumentParser(prog="python -m tui.commands.serve")
    parser.add_argument("--pack", action="append", default=[], type=Path)
    args = parser.parse_args(argv)
    from tui.app import make_app

    app = make_app(packs=args.pack)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(_serve_app(sys.argv[1:]))
