"""Fixtures for the end-to-end tests: `launch` starts vgtutor in a private tmux server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tmux_term import TMUX, VGTUTOR, Launch, Term


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Launch]:
    """Start vgtutor in its own tmux server: launch(*args, size=(80, 24), env={}, unset=())."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it with apt-get where it can)")
    if not VGTUTOR.exists():
        pytest.skip(f"the vgtutor console script is not installed at {VGTUTOR}")
    terms: list[Term] = []

    def start(
        *args: str,
        size: tuple[int, int] = (80, 24),
        env: dict[str, str] | None = None,
        unset: tuple[str, ...] = (),
        data_dir: Path | None = None,
    ) -> Term:
        folder = tmp_path / f"term{len(terms)}"
        folder.mkdir()
        term = Term(folder, *size)
        if data_dir is not None:
            term.data_dir = data_dir
        terms.append(term)
        term.start(args, env or {}, unset)
        return term

    yield start
    for term in terms:
        term.close()


_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder `e2e`, so `-m "not e2e"` leaves them out."""
    for item in items:
        if _HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)
