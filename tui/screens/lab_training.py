"""The lab's train view: runs start on enter (or a training preset) in a thread worker.

A mixin of LabScreen. A run reports progress every PROGRESS_EVERY seconds; its
result goes into the lab's result cache under the run's settings, so the train view
shows it whenever those settings come back, and a setting key alone never starts one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.widgets import ContentSwitcher
from textual.worker import Worker, get_current_worker

from lessons.lab.config import DATASETS, budget_problem
from lessons.lab.lab_readings import train_reading
from lessons.lab.lab_state import LabSettings, LabState, train_key
from lessons.lab.train_curves import TrainCurves, train_model
from lessons.lab.train_health import BOUNDARY_GRID, records_health_model, train_health_model
from tui.widgets.train_health import TrainHealthView
from tui.widgets.train_view import TrainView

if TYPE_CHECKING:
    from rich.text import Text

    from lessons.lab.boundary import BoundaryGrid
    from lessons.lab.config import TrainConfig
    from lessons.lab.train import StepRecord, TrainResult
    from tui.screens.tutor_screen import TutorScreen

    _Base = TutorScreen
else:
    _Base = object

PROGRESS_EVERY = 0.2
"""Seconds between a training worker's progress reports."""


class LabTraining(_Base):
    state: LabState
    _run: int
    _progress: tuple[tuple[Any, ...], tuple[StepRecord, ...], int] | None
    _train_shown: tuple[Any, ...] | None
    _train_worker: Worker[None] | None

    @property
    def settings(self) -> LabSettings:
        return self.state.settings

    def redraw(self) -> None:
        raise NotImplementedError

    def _read(self, text: str | Text, *, alarm: bool = False) -> None:
        raise NotImplementedError

    @dataclass
    class TrainProgress(Message):
        run: int
        records: tuple[StepRecord, ...]
        total: int

    @dataclass
    class TrainDone(Message):
        run: int
        key: tuple[Any, ...]
        result: TrainResult
        boundaries: tuple[BoundaryGrid, BoundaryGrid] | None = None

    def _draw_train(self) -> None:
        key = train_key(self.settings)
        progress, done = self._progress, self.state.result(key)
        shown = self.state.result(self._train_shown) if self._train_shown else None
        live = progress is not None and progress[0] == key
        if progress is not None and live:
            curves = TrainCurves.from_records(progress[1]) if progress[1] else None
            step = progress[1][-1].step if progress[1] else 0
            loss = f", loss {progress[1][-1].loss:.4f}" if progress[1] else ""
            self._read(f"training: step {step}/{progress[2]}{loss} (x stops)")
        elif done is not None:
            curves = TrainCurves.from_result(done)
            self._read(train_reading(done), alarm=done.diverged_at is not None)
        else:
            curves = None if shown is None else TrainCurves.from_result(shown)
            before = "; the charts show the run before" if curves else ""
            self._read(f"settings changed: enter runs {self.settings.train.steps} steps{before}")
        depth = self.settings.net.depth
        if progress is None and done is None and shown is not None:
            depth = shown.config.net.depth
        model = None if curves is None else train_model(curves, depth, self.state.axes)
        self.query_one(TrainView).show(model)
        finished, finished_key = (done, key) if done is not None else (shown, self._train_shown)
        boundaries = None
        if finished is not None and finished_key is not None:
            boundaries = self.state.result(("boundary", *finished_key))
        health = None if finished is None else train_health_model(finished, boundaries)
        if progress is not None and live and done is None:
            health = records_health_model(progress[1], depth) if progress[1] else None
        self.query_one(TrainHealthView).show(health)
        if model is not None and not live:
            # Fixed from a finished run only: a live run's first report would fix the
            # axis wherever that moment happened to fall.
            self.state.keep_axis("train", model.norm_axis)
            if model.moved is not None:
                self.state.keep_axis("train-moved", model.moved.axis)

    def action_run(self) -> None:
        """Start a training run of the current settings (a running one is cancelled)."""
        problem = budget_problem(self.settings.train)
        if problem is not None:
            self.notify(f"Not run: {problem}", severity="warning", timeout=5, markup=False)
            return
        self._run += 1
        key = train_key(self.settings)
        self._progress = (key, (), self.settings.train.steps)
        self._train_shown = key
        self._train_worker = self._train(self.settings.train, key, self._run)
        self.redraw()

    @work(thread=True, exclusive=True, group="lab-train")
    def _train(self, cfg: TrainConfig, key: tuple[Any, ...], run: int) -> None:
        from lessons.lab.train import train

        worker = get_current_worker()
        stride = TrainCurves.stride(cfg.steps)
        kept: list[StepRecord] = []
        last_report = time.monotonic()

        def on_step(step: int, record: StepRecord) -> None:
            nonlocal last_report
            if (step - 1) % stride == 0:
                kept.append(record)
            if time.monotonic() - last_report >= PROGRESS_EVERY:
                last_report = time.monotonic()
                latest = () if kept[-1] is record else (record,)
                self.post_message(self.TrainProgress(run, (*kept, *latest), cfg.steps))

        result = train(cfg, on_step=on_step, should_stop=lambda: worker.is_cancelled)
        boundaries = None
        if cfg.dataset in DATASETS and not worker.is_cancelled:
            from lessons.lab.boundary import start_and_end

            boundaries = start_and_end(result, *BOUNDARY_GRID)
        self.post_message(self.TrainDone(run, key, result, boundaries))

    def on_lab_training_train_progress(self, message: TrainProgress) -> None:
        if message.run == self._run and self._progress is not None:
            self._progress = (self._progress[0], message.records, message.total)
            if self.settings.view == "train":
                self._draw_train()

    def on_lab_training_train_done(self, message: TrainDone) -> None:
        if message.run != self._run:
            return
        self._progress = None
        self.state.store(message.key, message.result)
        self.state.store(("boundary", *message.key), message.boundaries)
        self.redraw()

    def training(self) -> bool:
        """True while a run is going and has not been asked to stop."""
        worker = self._train_worker
        return worker is not None and not worker.is_finished and not worker.is_cancelled

    def action_train_panels(self) -> None:
        """u: the loss and gradient panels, or the update-ratio, unit-health and boundary ones."""
        switcher = self.query_one("#view-train", ContentSwitcher)
        switcher.current = "train-health" if switcher.current == "train-curves" else "train-curves"

    def action_cancel(self) -> None:
        if self.training() and self._train_worker is not None:
            self._train_worker.cancel()
            self._read("stopping...")
