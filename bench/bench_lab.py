"""Time the lab's hot paths against the targets the UI needs to feel instant.

Run: python bench/bench_lab.py [--repeats N]. Prints medians; not a test (timings
depend on the machine and its load, which is printed too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from lessons.lab.runtime import tune_process

tune_process()  # as the app does, before numpy loads

import numpy as np  # noqa: E402

from lessons.lab.config import ACTIVATIONS, FIXES, INITS, NetConfig, RNNConfig, TrainConfig  # noqa: E402
from lessons.lab.mlp import MLP  # noqa: E402
from lessons.lab.profile import COMPARE_DEPTHS, make_batch, run_profile  # noqa: E402
from lessons.lab.rnn import time_profile  # noqa: E402
from lessons.lab.train import train  # noqa: E402

PROFILE_CFG = NetConfig(activation="sigmoid", init="xavier", depth=20, width=64, batch=256)


def median_seconds(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall and CPU time of `repeats` calls after one warm-up call.

    Both, because on a shared machine wall time also counts waiting for a core.
    """
    fn()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def full_grid() -> None:
    """Every activation x init x fix x depth the comparison screens can ask for."""
    for activation in ACTIVATIONS:
        for init in INITS:
            for fix in FIXES:
                for depth in COMPARE_DEPTHS:
                    cfg = replace(PROFILE_CFG, activation=activation, init=init, depth=depth)
                    run_profile(cfg.with_fix(fix))


def report(label: str, timing: tuple[float, float], target: float) -> None:
    wall, cpu = timing
    verdict = "ok" if wall <= target else "MISSED"
    print(
        f"{label:<50} {wall * 1e3:9.2f} ms (cpu {cpu * 1e3:9.2f})"
        f"   target {target * 1e3:5.0f} ms   {verdict}"
    )


def torch_comparison(repeats: int) -> None:
    """The same depth-20 MLP gradient with PyTorch autograd (CPU, float64), if installed."""
    try:
        import torch
    except ImportError:
        print("torch is not installed: no PyTorch comparison")
        return
    torch.set_num_threads(1)
    net = MLP(PROFILE_CFG)
    X, y = make_batch(PROFILE_CFG)
    ours = median_seconds(lambda: net.loss_and_grads(X, y), repeats)[0]
    weights = [torch.tensor(w, requires_grad=True) for w in net.weights]
    biases = [torch.zeros(w.shape[1], dtype=torch.float64, requires_grad=True) for w in net.weights]
    tX, ty = torch.tensor(X), torch.tensor(y)

    def step() -> None:
        h = tX
        for w, b in zip(weights[:-1], biases[:-1], strict=True):
            h = torch.sigmoid(h @ w + b)
        logits = (h @ weights[-1] + biases[-1])[:, 0]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, ty)
        torch.autograd.grad(loss, weights + biases)

    theirs = median_seconds(step, repeats)[0]
    print(
        f"MLP loss+grads depth 20: ours {ours * 1e3:.2f} ms, torch autograd {theirs * 1e3:.2f} ms, "
        f"ratio ours/torch {ours / theirs:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed calls per figure")
    repeats = parser.parse_args().repeats
    print(
        f"numpy {np.__version__}; load average {os.getloadavg()[0]:.2f}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}"
    )
    report(
        "gradient profile, sigmoid depth 20 width 64 batch 256",
        median_seconds(lambda: run_profile(PROFILE_CFG), 5 * repeats),
        0.003,
    )
    grid_size = len(ACTIVATIONS) * len(INITS) * len(FIXES) * len(COMPARE_DEPTHS)
    report(
        f"comparison grid ({grid_size} profiles)",
        median_seconds(full_grid, max(1, repeats // 3)),
        5.0,
    )
    train_cfg = TrainConfig(net=replace(PROFILE_CFG, in_dim=2), steps=300)
    report(
        "training, 300 SGD steps at depth 20 (spirals)",
        median_seconds(lambda: train(train_cfg), max(1, repeats // 3)),
        2.0,
    )
    adam_cfg = replace(train_cfg, optimizer="adam", lr=0.01, clip_norm=1.0)
    report(
        "training, 300 Adam steps at depth 20, clip_norm 1",
        median_seconds(lambda: train(adam_cfg), max(1, repeats // 3)),
        2.0,
    )
    for cell in ("rnn", "lstm", "gru"):
        rnn_cfg = RNNConfig(cell=cell, seq_len=100, hidden=32)
        report(
            f"{cell} time profile, T=100 hidden 32 batch 16",
            median_seconds(lambda c=rnn_cfg: time_profile(c), 5 * repeats),
            0.030,
        )
    torch_comparison(5 * repeats)


if __name__ == "__main__":
    main()
