"""Who may use a served class: the address rule against DNS rebinding, and the class code.

A page from another site can reach the server two ways. It can open the WebSocket
directly (browsers send its Origin but do not block the handshake), or it can rebind its
own name to the server's address, after which the browser treats the server as that
site (DNS rebinding: `Host: evil.example:8770`, `Origin: http://evil.example:8770`).
Both are refused by one rule: the Host and the Origin must name an address this server
actually serves (the local address the connection arrived on, the bound address, any
loopback name for a loopback connection) or a name the instructor listed with
`--allow-host`. The request's own Host is never trusted to say what the server is.

Standard library only: imported by `vgtutor serve` before textual-serve loads.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
"""Names a browser on this machine may use for a loopback server; all reach it."""
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
DEFAULT_PORTS = {"http": 80, "https": 443}
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Letters and digits that cannot be misread for each other when read off a projector."""
CODE_LENGTH = 8
MAX_CODE_CHARS = 64


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normal_address(host: str) -> str:
    """An address or name as compared here: lower case, no brackets or IPv6 zone, and an
    IPv4-mapped IPv6 address (how a dual-stack socket reports IPv4 peers) as IPv4."""
    bare = host.strip("[]").split("%", 1)[0].lower()
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return bare.rstrip(".")
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


@dataclass(frozen=True)
class Access:
    """The addresses a server answers to and the class code it asks for (None: no code)."""

    bound: str
    port: int
    allowed_names: frozenset[str] = frozenset()
    code: str | None = None

    def served_names(self, local_address: str) -> frozenset[str]:
        """Every name a request arriving on `local_address` may give for this server."""
        local = normal_address(local_address)
        names = {local, *(normal_address(name) for name in self.allowed_names)}
        if self.bound not in WILDCARD_HOSTS:
            names.add(normal_address(self.bound))
        if is_loopback(local):
            names |= LOOPBACK_NAMES
        return frozenset(names)

    def host_allowed(self, host_header: str | None, local_address: str) -> bool:
        """Whether a request's Host header names this server (and its port)."""
        return self._names_us(
            _host_port(f"http://{host_header}" if host_header else None), local_address
        )

    def origin_allowed(self, origin: str | None, local_address: str) -> bool:
        """Whether a page from `origin` may drive the app. A missing or opaque ("null")
        origin is refused: browsers always send one with a WebSocket handshake."""
        return self._names_us(_host_port(origin), local_address)

    def code_accepted(self, given: str | None) -> bool:
        if self.code is None:
            return True
        return given is not None and hmac.compare_digest(given.encode(), self.code.encode())

    def _names_us(self, seen: tuple[str, int] | None, local_address: str) -> bool:
        if seen is None:
            return False
        return normal_address(seen[0]) in self.served_names(local_address) and seen[1] == self.port


def new_code() -> str:
    """A fresh class code, e.g. "k7m2-pq9x"."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{letters[: CODE_LENGTH // 2]}-{letters[CODE_LENGTH // 2 :]}"


def code_problem(code: str) -> str | None:
    """Why `code` cannot be a class code (it travels in a URL and is read aloud), or None."""
    if not code or len(code) > MAX_CODE_CHARS:
        return f"must be 1 to {MAX_CODE_CHARS} characters"
    if not all(char.isascii() and char.isprintable() and not char.isspace() for char in code):
        return "may hold only printable ASCII characters without spaces"
    return None


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
