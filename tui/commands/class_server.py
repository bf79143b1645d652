"""A class on one server: textual-serve with names, per-learner progress and limits.

Every request first passes the address rule (serve_access: Host and, for the WebSocket,
Origin must name this server) and the class code. `/` without a name shows a form; with
one, the learner's folder is claimed for this browser (a random cookie whose hash is
kept in the folder's OWNER_FILE) and the terminal page is sent with a one-time ticket in
its WebSocket address (`/ws/<ticket>`: textual.js appends its own `?width=` query, so
nothing else may ride in the query). The WebSocket, given a live ticket and the same
cookie, starts one app process for that learner with progress in their own folder, so
no one can see or reset anyone else's. At most `max_sessions` app processes run at once.

Imports aiohttp and textual-serve: load it only to serve.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import shlex
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from lessons.learners import folder_name
from tui.commands import serve_pages
from tui.commands.serve_access import Access
from tui.commands.serve_pages import MAX_TYPED_NAME_CHARS

log = logging.getLogger("vgtutor-serve")

COOKIE = "vgtutor_browser"
COOKIE_DAYS = 60
OWNER_FILE = "owner"
"""In a learner's folder: the SHA-256 of the browser cookie that claimed the name."""
TICKET_SECONDS = 600.0
"""How long a served page may take to open its WebSocket."""
MAX_TICKETS = 2000
"""Unused tickets kept at most (the oldest go first), so page loads cannot fill memory."""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Ticket:
    """Lets one WebSocket start the app for `learner`, from the browser that claimed it."""

    learner: str
    digest: str
    expires: float


class ClassServer(Server):
    def __init__(
        self,
        packs: list[Path],
        access: Access,
        learners: Path,
        max_sessions: int,
    ) -> None:
        super().__init__("vgtutor", host=access.bound, port=access.port, title="vgtutor")
        self.packs = packs
        self.access = access
        self.learners = learners
        self.max_sessions = max_sessions
        self.sessions = 0
        """App processes running now."""
        self.tickets: dict[str, Ticket] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        app.router.add_get(serve_pages.FAVICON_PATH, self._favicon)
        app.router.add_get("/ws/{ticket}", self.handle_websocket)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here; `vgtutor serve` has printed what matters."""

    # -- the checks every request passes -------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        local = _local_address(request)
        if not self.access.host_allowed(request.headers.get("Host"), local):
            return _text(
                421,
                "vgtutor serve: this server does not answer to that name (an instructor "
                "can allow it: vgtutor serve --allow-host NAME)\n",
            )
        websocket = request.path == "/ws" or request.path.startswith("/ws/")
        if websocket and not self.access.origin_allowed(request.headers.get("Origin"), local):
            return _text(403, "vgtutor serve: only pages served from this address may connect\n")
        if request.path == "/" and not self.access.code_accepted(request.query.get("code")):
            given = "code" in request.query
            return _html(
                403,
                serve_pages.form_page(
                    "This class needs its code",
                    "That class code is not right." if given else "",
                    ask_code=True,
                    name=request.query.get("name", ""),
                ),
            )
        return await handler(request)

    async def _favicon(self, request: web.Request) -> web.Response:
        return web.Response(body=serve_pages.favicon(), content_type="image/x-icon")

    # -- the page ------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        ask_code = self.access.code is not None
        code = request.query.get("code", "")
        typed = request.query.get("name", "")
        if self.sessions >= self.max_sessions:
            return _html(503, _full_page(self.max_sessions))
        if not typed:
            return _html(
                200, serve_pages.form_page("Welcome to vgtutor", "", ask_code=ask_code, code=code)
            )
        learner = _learner(typed)
        if learner is None:
            return _html(
                400,
                serve_pages.form_page(
                    "Welcome to vgtutor",
                    "Please type a name with at least one letter or digit.",
                    ask_code=ask_code,
                    code=code,
                ),
            )
        token = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
        digest = hashlib.sha256(token.encode()).hexdigest()
        try:
            claimed = self._claim(learner, digest)
        except OSError as err:
            log.error("cannot keep %s's progress in %s: %s", learner, self.learners, err)
            return _html(
                500,
                serve_pages.message_page(
                    "The server cannot keep your progress",
                    "Its learners folder cannot be written; please tell your instructor.",
                ),
            )
        if not claimed:
            return _html(
                409,
                serve_pages.form_page(
                    "That name is taken",
                    f"Someone in another browser already uses the name {learner!r}. Choose "
                    "another name, or ask your instructor to release it.",
                    ask_code=ask_code,
                    code=code,
                ),
            )
        host = request.headers["Host"]  # checked by _guard against the served names
        scheme = "wss" if request.secure else "ws"
        page = serve_pages.app_page(
            static_url=f"{request.scheme}://{host}/static/",
            websocket_url=f"{scheme}://{host}/ws/{self._new_ticket(learner, digest)}",
            learner=learner,
            font_size=max(8, min(32, to_int(request.query.get("fontsize", "16"), 16))),
        )
        response = _html(200, page)
        response.set_cookie(
            COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Strict"
        )
        return response

    def _claim(self, learner: str, digest: str) -> bool:
        """Claim the learner's folder for this browser, or say whether it already is.

        The owner file appears complete or not at all (written aside, then hard-linked
        into place, which fails if another browser got there first). Raises OSError when
        the learners folder cannot be written.
        """
        folder = self.learners / learner
        owner = folder / OWNER_FILE
        folder.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=folder, prefix=f".{OWNER_FILE}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as file:
                file.write(digest + "\n")
            os.link(draft, owner)
            return True
        except FileExistsError:
            try:
                return secrets.compare_digest(owner.read_text("ascii").strip(), digest)
            except (OSError, UnicodeDecodeError):
                return False
        finally:
            with suppress(OSError):
                os.unlink(draft)

    def _new_ticket(self, learner: str, digest: str) -> str:
        now = time.monotonic()
        for key in [key for key, ticket in self.tickets.items() if ticket.expires < now]:
            del self.tickets[key]
        while len(self.tickets) >= MAX_TICKETS:
            del self.tickets[next(iter(self.tickets))]
        key = secrets.token_urlsafe(24)
        self.tickets[key] = Ticket(learner, digest, now + TICKET_SECONDS)
        return key

    def _use_ticket(self, request: web.Request) -> str | None:
        """The learner a live ticket was issued for, to this browser; the ticket is spent."""
        ticket = self.tickets.pop(request.match_info.get("ticket", ""), None)
        token = request.cookies.get(COOKIE)
        if ticket is None or token is None or ticket.expires < time.monotonic():
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        return ticket.learner if secrets.compare_digest(digest, ticket.digest) else None

    # -- the WebSocket: one app process per session --------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        learner = self._use_ticket(request)
        if learner is None or not (self.learners / learner / OWNER_FILE).is_file():
            return _text(403, "vgtutor serve: open the class page (with its code) first\n")
        if self.sessions >= self.max_sessions:
            return _text(503, f"vgtutor serve: the class is full ({self.max_sessions} sessions)\n")
        self.sessions += 1
        try:
            return await self._run_session(request, self.learners / learner)
        finally:
            self.sessions -= 1

    async def _run_session(self, request: web.Request, folder: Path) -> web.StreamResponse:
        """textual-serve's handle_websocket, with this learner's command."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                session_command(self.packs, folder),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,  # type: ignore[arg-type]
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one session's failure must not stop the class
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
        return websocket


def session_command(packs: list[Path], folder: Path) -> str:
    """The shell command that runs one learner's app (textual-serve runs it in a shell)."""
    words = [sys.executable, "-m", "tui.commands.served_app", "--data-dir", str(folder)]
    for pack in packs:
        words += ["--pack", str(pack.resolve())]
    return shlex.join(words)


def _learner(typed: str) -> str | None:
    return folder_name(typed) if 0 < len(typed) <= MAX_TYPED_NAME_CHARS else None


def _full_page(limit: int) -> str:
    return serve_pages.message_page(
        "The class is full",
        f"All {limit} places on this server are in use. Try again in a minute, when "
        "someone has closed their tab, or ask your instructor.",
    )


def _local_address(request: web.Request) -> str:
    """The address of this server the request arrived on (from the socket, not a header)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return str(sockname[0]) if sockname else ""


def _html(status: int, body: str) -> web.Response:
    return web.Response(status=status, text=body, content_type="text/html", charset="utf-8")


def _text(status: int, body: str) -> web.Response:
    return web.Response(status=status, text=body)
