"""A served class on loopback: memory per session and time to first screen for 1, 5, 10.

Starts `vgtutor serve` on a free 127.0.0.1 port with a throw-away data folder, then for
each class size opens that many learners at once (page, then WebSocket, as a browser
does) and times each one from its WebSocket handshake to the course map's title. Memory
is read from /proc for every app process under the server twice, on the course map and
again once every learner has opened a lab (numpy loaded, a profile computed): RSS
(what `top` shows) and PSS (shared pages split between the processes that share them,
the honest "cost of one more learner"). The baseline, measured in the same run, is the
server alone before any session. Run: python bench/bench_serve.py [sizes...]
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1, 5, 10)
DEADLINE = 120.0
TITLE = b"vanishing gradient"
LAB = b"Lab: "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (textual-serve starts each app through a shell)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, from /proc/<pid>/smaps_rollup."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def is_app(pid: int) -> bool:
    """The Python process of one session (not the shell textual-serve starts it through)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"tui.commands.served_app" in args


async def read_until(ws: object, marker: bytes, name: str) -> None:
    import aiohttp

    screen = b""
    while marker not in screen:
        message = await ws.receive(timeout=DEADLINE)  # type: ignore[attr-defined]
        assert message.type == aiohttp.WSMsgType.BINARY, f"{name}: session ended"
        screen += message.data


async def one_learner(port: int, name: str, opened: list[object]) -> tuple[object, float]:
    """Open the page and the app: its WebSocket, and seconds to the course map."""
    import aiohttp

    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    opened.append(session)
    async with session.get(f"http://127.0.0.1:{port}/?name={name}") as response:
        page = await response.text()
    found = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert found, f"no app page for {name} (status {response.status})"
    start = time.perf_counter()
    ws = await session.ws_connect(
        html.unescape(found.group(1)) + "?width=80&height=24",
        headers={"Origin": f"http://127.0.0.1:{port}"},
    )
    opened.append(ws)
    await ws.send_json(["resize", {"width": 80, "height": 24}])
    await read_until(ws, TITLE, name)
    return ws, time.perf_counter() - start


Memory = list[tuple[int, int]]


async def class_of(port: int, server: int, size: int) -> tuple[list[float], Memory, Memory]:
    """First-screen times, then (RSS, PSS) per app on the course map and after a lab."""
    opened: list[object] = []
    try:
        names = [f"bench-{size}-{i}" for i in range(size)]
        learners = await asyncio.gather(*(one_learner(port, n, opened) for n in names))
        await asyncio.sleep(1.0)  # let every app settle after its first frame
        on_map = [memory_kib(pid) for pid in descendants(server) if is_app(pid)]
        for ws, _ in learners:
            await ws.send_json(["stdin", "l"])  # type: ignore[attr-defined]
        await asyncio.gather(
            *(read_until(ws, LAB, n) for (ws, _), n in zip(learners, names, strict=True))
        )
        await asyncio.sleep(1.0)
        in_lab = [memory_kib(pid) for pid in descendants(server) if is_app(pid)]
        return [seconds for _, seconds in learners], on_map, in_lab
    finally:
        for thing in reversed(opened):
            await thing.close()  # type: ignore[attr-defined]


def _per_session(memory: Memory) -> str:
    rss = statistics.mean(r for r, _ in memory) / 1024
    pss = statistics.mean(p for _, p in memory) / 1024
    return f"{rss:5.0f} / {pss:5.0f}"


def _total(memory: Memory) -> float:
    return sum(p for _, p in memory) / 1024


def wait_for_sessions_to_end(server: int) -> None:
    deadline = time.monotonic() + DEADLINE
    while any(is_app(pid) for pid in descendants(server)) and time.monotonic() < deadline:
        time.sleep(0.2)


def main(sizes: tuple[int, ...]) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "VGTUTOR_DATA_DIR": data}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "serve",
                "--port",
                str(port),
                "--max-sessions",
                str(max(sizes)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            deadline = time.monotonic() + DEADLINE
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline and server.poll() is None, "no server"
                    time.sleep(0.2)
            base_rss, base_pss = memory_kib(server.pid)
            print(
                f"server alone (baseline): RSS {base_rss / 1024:.0f} MiB, "
                f"PSS {base_pss / 1024:.0f} MiB"
            )
            print(
                "sessions  first screen s   MiB per session, RSS / PSS     all apps MiB PSS\n"
                "          median /  max    course map     after a lab     map / lab"
            )
            for size in sizes:
                times, on_map, in_lab = asyncio.run(class_of(port, server.pid, size))
                print(
                    f"{size:8d}  {statistics.median(times):6.2f} / {max(times):5.2f}"
                    f"    {_per_session(on_map)}    {_per_session(in_lab)}"
                    f"    {_total(on_map):5.0f} / {_total(in_lab):4.0f}"
                )
                wait_for_sessions_to_end(server.pid)
        finally:
            os.kill(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES)
