"""Process tuning for the lab: one BLAS thread unless the user chose, numpy not loaded."""

import subprocess
import sys


def run(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


TUNE_AND_REPORT = (
    "import os, sys\n"
    "from lessons.lab.runtime import tune_process\n"
    "tune_process()\n"
    "print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)\n"
)


def test_blas_gets_one_thread_and_numpy_is_not_loaded_yet():
    assert run(TUNE_AND_REPORT) == "1 False"


def test_a_users_own_thread_count_is_kept():
    assert run(TUNE_AND_REPORT, OPENBLAS_NUM_THREADS="2") == "2 False"
