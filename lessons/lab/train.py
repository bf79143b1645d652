"""Optimizers, gradient clipping and a training loop that records what lessons 2, 9 and 12 show.

The loop is full-batch on a seeded synthetic data set, so the same TrainConfig gives the
same numbers on every machine. Each step records the loss and accuracy before the
update, the raw per-layer weight-gradient norms, how far each weight matrix has moved
from its initial value and how large its update was (Adam's steps stay usable while the
measured gradient stays tiny), its update-to-data ratio, each hidden layer's dead and
saturated shares, and the global gradient norm before and after clipping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lessons.lab.config import OPTIMIZERS, TrainConfig
from lessons.lab.data import lab_inputs
from lessons.lab.mlp import MLP
from lessons.lab.stages import RATIO_FLOOR
from lessons.lab.units import dead_share, saturated_share


def _norm(a: np.ndarray) -> float:
    """||a|| (Frobenius), rescaled when the sum of squares under/overflows; call in errstate."""
    flat = np.ravel(a)
    total = float(np.dot(flat, flat))
    if 1e-290 < total < 1e290:
        return float(np.sqrt(total))
    m = float(np.max(np.abs(flat))) if flat.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        return m
    unit = flat / m
    return m * float(np.sqrt(np.dot(unit, unit)))


def global_norm(grads: Sequence[np.ndarray]) -> float:
    """The norm of all gradients taken together as one vector, safe for tiny or huge entries."""
    with np.errstate(over="ignore", under="ignore"):
        return _norm(np.array([_norm(g) for g in grads]))


def clip_by_global_norm(
    grads: Sequence[np.ndarray], max_norm: float
) -> tuple[list[np.ndarray], float]:
    """Rescale all gradients together so their global norm is at most max_norm.

    Keeps the direction (Pascanu et al. 2013); returns the clipped list and the norm before.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm: must be a number above 0; got {max_norm!r}")
    norm = global_norm(grads)
    if norm <= max_norm:
        return list(grads), norm
    scale = max_norm / norm
    return [g * scale for g in grads], norm


def clip_by_value(grads: Sequence[np.ndarray], limit: float) -> list[np.ndarray]:
    """Clip every entry to [-limit, limit]; unlike norm clipping this can change the direction."""
    if not limit > 0:
        raise ValueError(f"limit: must be a number above 0; got {limit!r}")
    return [np.clip(g, -limit, limit) for g in grads]


class SGD:
    """Plain gradient descent: the step is lr times the gradient, so tiny gradients, tiny steps."""

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def step(self, grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The update to add to each parameter."""
        return [-self.lr * g for g in grads]


class Adam:
    """Adam (Kingma & Ba 2015): each parameter's step is divided by its gradient's running RMS.

    That makes the step size roughly lr whatever the gradient's scale: it rescales the
    step, it does not make the gradient itself larger. Entries far below eps (1e-8) are
    the exception: there the step shrinks to about lr * |g| / eps.
    """

    def __init__(
        self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m: list[np.ndarray] = []
        self.v: list[np.ndarray] = []

    def step(self, grads: Sequence[np.ndarray]) -> list[np.ndarray]:
        """The update to add to each parameter (moment estimates kept between calls)."""
        if not self.m:
            self.m = [np.zeros_like(g) for g in grads]
            self.v = [np.zeros_like(g) for g in grads]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        unbias1, unbias2 = 1.0 - b1**self.t, 1.0 - b2**self.t
        updates = []
        for g, m, v in zip(grads, self.m, self.v, strict=True):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            updates.append(-self.lr * (m / unbias1) / (np.sqrt(v / unbias2) + self.eps))
        return updates


def make_optimizer(name: str, lr: float) -> SGD | Adam:
    """The optimizer named in a TrainConfig."""
    if name == "adam":
        return Adam(lr)
    if name == "sgd":
        return SGD(lr)
    raise ValueError(f"optimizer: must be one of {', '.join(OPTIMIZERS)}; got {name!r}")


@dataclass(frozen=True)
class StepRecord:
    """What one step measured; passed to on_step so a UI worker can report progress."""

    step: int  # 1-based
    loss: float  # binary cross-entropy before this step's update
    accuracy: float  # fraction of training points classified right before the update
    grad_norms: np.ndarray  # (layers,) ||dL/dW_l||, before clipping
    moved: np.ndarray  # (layers,) ||W_l - W_l(0)|| after the update
    step_sizes: np.ndarray  # (layers,) ||update of W_l||
    global_norm_before: float  # all parameters' gradients, before clipping
    global_norm_after: float  # after clipping (equal to before when no clipping applies)
    update_log10_ratios: np.ndarray  # (layers,) see update_log10_ratio
    dead_fracs: np.ndarray  # (depth,) hidden layers' dead shares before the update, NaN: n/a
    saturated_fracs: np.ndarray  # (depth,) saturated shares, NaN where they do not apply


@dataclass(frozen=True, eq=False)
class TrainResult:
    """A whole run as read-only arrays, one row per completed step (layers numbered from input)."""

    config: TrainConfig
    losses: np.ndarray  # (steps_done,)
    accuracies: np.ndarray  # (steps_done,)
    grad_norms: np.ndarray  # (steps_done, layers)
    moved: np.ndarray  # (steps_done, layers)
    step_sizes: np.ndarray  # (steps_done, layers)
    global_norm_before: np.ndarray  # (steps_done,)
    global_norm_after: np.ndarray  # (steps_done,)
    update_log10_ratios: np.ndarray  # (steps_done, layers), NaN marks an overflow
    dead_fracs: np.ndarray  # (steps_done, depth), NaN where dead units do not apply
    saturated_fracs: np.ndarray  # (steps_done, depth), NaN where saturation does not apply
    diverged_at: int | None  # 1-based step whose loss or gradients were not finite (not recorded)
    cancelled: bool
    steps_done: int
    final_params: tuple[np.ndarray, ...] = ()
    """Every parameter after the last completed step, in MLP.params order (read-only)."""


def update_log10_ratio(update: np.ndarray, weight: np.ndarray) -> float:
    """log10(std(update) / std(W)), W after the update is applied (as in Karpathy's lecture).

    A std that underflowed to 0 counts as RATIO_FLOOR, so a stalled layer reads about -300
    instead of -inf; NaN after an overflow.
    """
    with np.errstate(all="ignore"):
        spread = [float(np.std(update)), float(np.std(weight))]
    if not all(np.isfinite(spread)):
        return float("nan")
    return float(np.log10(max(spread[0], RATIO_FLOOR)) - np.log10(max(spread[1], RATIO_FLOOR)))


def _share(value: float | None) -> float:
    return float("nan") if value is None else value


def _all_finite(loss: float, grads: Sequence[np.ndarray]) -> bool:
    return bool(np.isfinite(loss)) and all(np.isfinite(g).all() for g in grads)


def train(
    cfg: TrainConfig,
    on_step: Callable[[int, StepRecord], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TrainResult:
    """Train a fresh net full-batch on cfg.dataset (cfg.net.batch points, seeded by cfg.net.seed).

    The batch is lessons.lab.data.lab_inputs's, so step 1 measures what run_profile does;
    a 2-D data set builds the net with in_dim=2 (cfg.net.in_dim is then ignored).
    Clipping by value (if set) is applied before clipping by global norm (if set).
    should_stop is checked before every step; True ends the run marked cancelled.
    A loss or gradient that is not finite ends the run; its step is reported as diverged_at.
    """
    net_cfg, X, y = lab_inputs(cfg.net, cfg.dataset)
    net = MLP(net_cfg)
    optimizer = make_optimizer(cfg.optimizer, cfg.lr)
    weight_ids = {id(w) for w in net.weights}
    weight_slots = [i for i, p in enumerate(net.params) if id(p) in weight_ids]
    initial = [w.copy() for w in net.weights]
    layers, steps = len(net.weights), cfg.steps
    losses, accuracies = np.empty(steps), np.empty(steps)
    before, after = np.empty(steps), np.empty(steps)
    grad_norms, moved, step_sizes, ratios = (np.empty((steps, layers)) for _ in range(4))
    dead, saturated = np.empty((steps, net.depth)), np.empty((steps, net.depth))
    diverged_at, cancelled, done = None, False, 0
    with np.errstate(all="ignore"):
        for step in range(1, steps + 1):
            if should_stop is not None and should_stop():
                cancelled = True
                break
            out = net.loss_and_grads(X, y)
            grads = list(out.param_grads)
            if not _all_finite(out.loss, grads):
                diverged_at = step
                break
            i = step - 1
            losses[i] = out.loss
            accuracies[i] = np.mean((np.ravel(out.logits) > 0) == (y > 0.5))
            dead[i] = [_share(dead_share(net.act, d)) for d in out.derivatives]
            saturated[i] = [_share(saturated_share(net.act, d)) for d in out.derivatives]
            norms = [_norm(g) for g in grads]
            grad_norms[i] = [norms[s] for s in weight_slots]
            before[i] = after[i] = _norm(np.array(norms))
            if cfg.clip_value is not None:
                grads = clip_by_value(grads, cfg.clip_value)
                after[i] = global_norm(grads)
            if cfg.clip_norm is not None:
                grads, norm = clip_by_global_norm(grads, cfg.clip_norm)
                after[i] = min(norm, cfg.clip_norm)
            updates = optimizer.step(grads)
            for p, u in zip(net.params, updates, strict=True):
                p += u
            step_sizes[i] = [_norm(updates[s]) for s in weight_slots]
            ratios[i] = [update_log10_ratio(updates[s], net.params[s]) for s in weight_slots]
            moved[i] = [_norm(w - w0) for w, w0 in zip(net.weights, initial, strict=True)]
            done = step
            if on_step is not None:
                on_step(
                    step,
                    StepRecord(
                        step,
                        float(losses[i]),
                        float(accuracies[i]),
                        grad_norms[i].copy(),
                        moved[i].copy(),
                        step_sizes[i].copy(),
                        float(before[i]),
                        float(after[i]),
                        ratios[i].copy(),
                        dead[i].copy(),
                        saturated[i].copy(),
                    ),
                )
    final = [p.copy() for p in net.params]

    def kept(a: np.ndarray) -> np.ndarray:
        """The completed steps' rows, read-only."""
        a = a[:done]
        a.setflags(write=False)
        return a

    for p in final:
        p.setflags(write=False)
    return TrainResult(
        config=cfg,
        losses=kept(losses),
        accuracies=kept(accuracies),
        grad_norms=kept(grad_norms),
        moved=kept(moved),
        step_sizes=kept(step_sizes),
        global_norm_before=kept(before),
        global_norm_after=kept(after),
        update_log10_ratios=kept(ratios),
        dead_fracs=kept(dead),
        saturated_fracs=kept(saturated),
        diverged_at=diverged_at,
        cancelled=cancelled,
        steps_done=done,
        final_params=tuple(final),
    )
