"""`vgtutor serve`: the tutorial in a web browser for a whole class, through textual-serve.

textual-serve runs one app process per browser connection and relays keys and screen
updates over a WebSocket. On top of it (class_server.py) each learner gives a name and
gets their own progress folder under the server's data folder; `--max-sessions` caps the
app processes; bound to anything but loopback, a class code is required; and every
request must name this server (serve_access.py: no foreign pages, no DNS rebinding).

This module only parses and checks the command line, and says where to go: it imports
the standard library and serve_access, so `vgtutor --help` stays light.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from lessons.progress import default_folder
from lessons.sanitize import clean
from tui.commands.serve_access import (
    WILDCARD_HOSTS,
    Access,
    code_problem,
    is_loopback,
    new_code,
    normal_address,
)

PROG = "vgtutor serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 40
MAX_SESSIONS_LIMIT = 500
LEARNERS_FOLDER = "class"
"""Under the server's data folder: one sub-folder per learner."""
INSTALL_HINT = "pip install 'vgtutor[web]'"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the tutorial to a class of web browsers (needs vgtutor[web])",
        description="Serve the tutorial with textual-serve: each learner opens the printed "
        "address, types a name and keeps their own progress. Binds to 127.0.0.1 by "
        "default; bound to any other address, learners also need the class code printed "
        "at start. Stop with Ctrl+C.",
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
    parser.add_argument(
        "--max-sessions",
        default=str(DEFAULT_MAX_SESSIONS),
        metavar="N",
        help="most browser sessions at once, each one app process (default %(default)s)",
    )
    parser.add_argument(
        "--code",
        help="the class code learners must give (default: a new one when not on "
        "loopback; none on loopback)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name learners use to reach this server, besides its addresses "
        "(repeatable; pages under any other name are refused)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    port = _whole(args.port, 1, 65535)
    if port is None:
        return _fail(f"--port: must be a whole number from 1 to 65535; got {args.port!r}")
    max_sessions = _whole(args.max_sessions, 1, MAX_SESSIONS_LIMIT)
    if max_sessions is None:
        return _fail(
            f"--max-sessions: must be a whole number from 1 to {MAX_SESSIONS_LIMIT}; "
            f"got {args.max_sessions!r}"
        )
    if args.code is not None and (problem := code_problem(args.code)) is not None:
        return _fail(f"--code: {problem}")
    for name in args.allow_host:
        if not name or any(c in name for c in "/:@ ") or not name.isascii():
            return _fail(
                f"--allow-host: expected a host name such as class.example.org; got {clean(name)!r}"
            )
    packs = [*getattr(args, "pack", []), *args.serve_packs]
    for pack in packs:
        if not pack.is_dir():
            return _fail(f"--pack: {clean(str(pack))} is not a folder")
    code = args.code if args.code is not None or is_loopback(args.host) else new_code()
    access = Access(args.host, port, frozenset(args.allow_host), code)
    learners = default_folder() / LEARNERS_FOLDER
    try:
        server = make_server(packs, access, learners, max_sessions)
    except ImportError:
        return _fail(f"textual-serve is not installed; {INSTALL_HINT}")
    print(start_message(access, learners, max_sessions), flush=True)
    server.serve()
    return 0


def make_server(packs: list[Path], access: Access, learners: Path, max_sessions: int) -> Any:
    """A ClassServer; raises ImportError when textual-serve is not installed."""
    from tui.commands.class_server import ClassServer

    return ClassServer(packs, access, learners, max_sessions)


def start_message(access: Access, learners: Path, max_sessions: int) -> str:
    """What the instructor reads at start: where to go, the code, where progress goes."""
    lines = [f"{PROG}: open one of these in a browser (up to {max_sessions} sessions):"]
    lines += [f"  {url}" for url in addresses(access)]
    if access.code is not None:
        lines.append(f"Class code: {access.code}")
        link = f"{addresses(access)[0]}?{urlencode({'code': access.code})}"
        lines.append(f"  (a link with the code filled in: {link})")
    if not is_loopback(access.bound):
        lines.append("Anyone who can reach this port and knows the code can use the tutorial;")
        lines.append("pages under other host names are refused (add yours with --allow-host).")
    lines.append(f"Learners' progress: {clean(str(learners))}")
    lines.append(f"  (vgtutor class-report {clean(str(learners))})")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines)


def addresses(access: Access) -> list[str]:
    """URLs that reach the server: the bound address, or for a wildcard this machine's."""
    if access.bound in WILDCARD_HOSTS:
        hosts = sorted(_own_addresses()) or ["127.0.0.1"]
    else:
        hosts = [access.bound]
    hosts += sorted(access.allowed_names)
    return [f"http://{_bracketed(host)}:{access.port}/" for host in hosts]


def _own_addresses() -> set[str]:
    """This machine's non-loopback addresses: its name's, and the default route's (a UDP
    socket "connected" to a documentation address picks it; no packet is sent)."""
    found = set()
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP)
    except OSError:
        infos = []
    for info in infos:
        found.add(normal_address(str(info[4][0])))
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.add(normal_address(str(probe.getsockname()[0])))
    except OSError:
        pass
    return {address for address in found if not is_loopback(address)}


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _whole(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2
