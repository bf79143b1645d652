"""`vgtutor serve`: the address rule, the class code, and the command line (no network).

The live server is tested in tests/functional/test_class_server.py.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tui.cli import main
from tui.commands import serve
from tui.commands.serve_access import Access, code_problem, new_code

# -- the address rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "bound", "allowed"),
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
    origin: str | None, bound: str, allowed: bool
) -> None:
    local = "127.0.0.1" if bound == "127.0.0.1" else bound
    assert Access(bound, 8000).origin_allowed(origin, local) is allowed


def test_a_wildcard_bind_trusts_the_address_the_connection_arrived_on_not_the_host() -> None:
    access = Access("0.0.0.0", 8770)
    lan = "192.168.1.5"
    assert access.origin_allowed("http://192.168.1.5:8770", lan)
    assert access.host_allowed("192.168.1.5:8770", lan)
    # DNS rebinding: the attacker's name in both Host and Origin is still refused.
    assert not access.host_allowed("evil.example:8770", lan)
    assert not access.origin_allowed("http://evil.example:8770", lan)
    # A dual-stack socket reports IPv4 peers as mapped IPv6 addresses.
    assert access.host_allowed("192.168.1.5:8770", "::ffff:192.168.1.5")
    # Loopback names only for a connection that came in over loopback.
    assert access.host_allowed("localhost:8770", "127.0.0.1")
    assert not access.host_allowed("localhost:8770", lan)
    assert not access.host_allowed(None, lan)


def test_names_given_with_allow_host_are_accepted_on_the_served_port() -> None:
    access = Access("0.0.0.0", 8770, frozenset({"Class.Example.org"}))
    assert access.host_allowed("class.example.org:8770", "10.0.0.2")
    assert access.origin_allowed("http://CLASS.example.org:8770", "10.0.0.2")
    assert not access.origin_allowed("http://class.example.org:8771", "10.0.0.2")
    assert not access.origin_allowed("http://example.org:8770", "10.0.0.2")


def test_the_class_code_must_match_exactly() -> None:
    assert Access("127.0.0.1", 1).code_accepted(None)
    coded = Access("0.0.0.0", 1, code="k3y")
    assert coded.code_accepted("k3y")
    assert not coded.code_accepted("K3Y")
    assert not coded.code_accepted("")
    assert not coded.code_accepted(None)


def test_new_codes_are_fresh_and_valid() -> None:
    codes = {new_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(code_problem(code) is None and len(code) == 9 for code in codes)


# -- the command, without a network ------------------------------------------------------


class FakeServer:
    """Stands in for ClassServer: records what it was built with."""

    built: list[tuple[list[Path], Access, Path, int]] = []

    def __init__(self, packs: list[Path], access: Access, learners: Path, most: int) -> None:
        FakeServer.built.append((packs, access, learners, most))

    def serve(self) -> None:
        pass


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Any]:
    FakeServer.built = []
    monkeypatch.setattr(serve, "make_server", FakeServer)
    monkeypatch.setenv("VGTUTOR_DATA_DIR", str(tmp_path / "data"))
    return FakeServer.built


def test_loopback_serves_without_a_code_with_progress_under_the_data_folder(
    fake_server: list[Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["--pack", str(tmp_path), "serve", "--port", "8123"]) == 0
    (packs, access, learners, most) = fake_server[0]
    assert packs == [tmp_path]
    assert (access.bound, access.port, access.code) == ("127.0.0.1", 8123, None)
    assert learners == tmp_path / "data" / "class" and most == 40
    out = capsys.readouterr()
    assert "http://127.0.0.1:8123/" in out.out and "Class code" not in out.out
    assert f"vgtutor class-report {learners}" in out.out and out.err == ""


def test_off_loopback_a_class_code_is_made_and_printed(
    fake_server: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--max-sessions", "30"]) == 0
    (_, access, _, most) = fake_server[0]
    assert access.code is not None and code_problem(access.code) is None and most == 30
    out = capsys.readouterr().out
    assert f"Class code: {access.code}" in out
    assert f":8000/?code={access.code}" in out


def test_a_given_code_is_used_even_on_loopback(fake_server: list[Any]) -> None:
    assert main(["serve", "--code", "room-12", "--allow-host", "class.test"]) == 0
    (_, access, _, _) = fake_server[0]
    assert access.code == "room-12" and access.allowed_names == {"class.test"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "0"], "--port: must be a whole number from 1 to 65535; got '0'"),
        (["--port", "http"], "--port: must be a whole number from 1 to 65535; got 'http'"),
        (["--pack", "/no/such/folder"], "--pack: /no/such/folder is not a folder"),
        (["--max-sessions", "0"], "--max-sessions: must be a whole number from 1 to 500; got '0'"),
        (
            ["--code", "two words"],
            "--code: may hold only printable ASCII characters without spaces",
        ),
        (["--code", ""], "--code: must be 1 to 64 characters"),
        (
            ["--allow-host", "http://x"],
            "--allow-host: expected a host name such as class.example.org; got 'http://x'",
        ),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    fake_server: list[Any], capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    assert main(["serve", *args]) == 2
    assert capsys.readouterr().err == f"vgtutor serve: error: {expected}\n"
    assert fake_server == []


def test_without_textual_serve_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import now raises ImportError
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setitem(sys.modules, "textual_serve.app_service", None)
    monkeypatch.delitem(sys.modules, "tui.commands.class_server", raising=False)
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == (
        "vgtutor serve: error: textual-serve is not installed; pip install 'vgtutor[web]'\n"
    )
