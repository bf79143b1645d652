"""Process settings that make the lab fast; call `tune_process()` before numpy loads.

Numpy-free on purpose: importing this module must not import numpy, or the BLAS
setting would come too late.
"""

from __future__ import annotations

import ctypes
import os
import sys

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def tune_process() -> None:
    """One BLAS thread (unless the user chose) and a heap that keeps freed arrays.

    The lab multiplies small matrices (batch 256, width 64): BLAS threads cost more
    than they save, and on a busy 2-core machine they made a profile 20x and a
    100-step training run 30x slower. Each profile also frees about 10 MB of
    128 KiB arrays, glibc's default threshold for handing memory back to the OS, so
    every profile paid its page faults again: keeping that memory halved the time
    of a depth-20 profile (15 ms to 7 ms, measured on this project's 2-core box).
    """
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6")
        except OSError:  # not glibc (e.g. musl): nothing to tune
            return
        libc.mallopt(_M_MMAP_THRESHOLD, 4 * 1024 * 1024)
        libc.mallopt(_M_TRIM_THRESHOLD, 64 * 1024 * 1024)
