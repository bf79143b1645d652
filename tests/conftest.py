"""Shared test set-up: Hypothesis profiles, and every test kept away from real progress."""

import os

import pytest
from hypothesis import settings

from lessons.lab.runtime import tune_process

tune_process()  # before any test imports numpy: see the function's docstring

# Property tests take their example counts from the profile, not from each test:
# CI (CI=true) tries many inputs, a developer's run stays quick. HYPOTHESIS_PROFILE
# picks one by name. No deadline in either: the machines tests run on are shared.
settings.register_profile("thorough", max_examples=300, deadline=None, print_blob=True)
settings.register_profile("quick", max_examples=25, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("thorough" if os.environ.get("CI", "").lower() == "true" else "quick")
)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Point the progress store at a fresh folder for each test."""
    folder = tmp_path / "vgtutor-data"
    monkeypatch.setenv("VGTUTOR_DATA_DIR", str(folder))
    return folder
