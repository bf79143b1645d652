"""Shared test set-up: keep every test away from the learner's real progress file."""

import pytest

from lessons.lab.runtime import tune_process

tune_process()  # before any test imports numpy: see the function's docstring


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Point the progress store at a fresh folder for each test."""
    folder = tmp_path / "vgtutor-data"
    monkeypatch.setenv("VGTUTOR_DATA_DIR", str(folder))
    return folder
