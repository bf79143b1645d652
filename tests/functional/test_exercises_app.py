"""Workshop mode in the app at 80x24, by keyboard: open an exercise from a lesson or the
course map, watch the goal line, hit a locked setting, reveal hints, get it recorded."""

import shutil
import textwrap
import threading
from pathlib import Path

import pytest
from screen_text import screen_text

import lessons.lab.train as train_module
from lessons.progress import ProgressStore
from tui.app import make_app
from tui.screens.exercise_list import ExercisesScreen
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen

SIZE = (80, 24)
MINIMAL = Path(__file__).parents[2] / "lessons" / "examples" / "minimal"
DONE_KEY = "vanishing-gradients/sigmoid-30-one-decade"


async def settle(pilot) -> None:
    """Let thread workers finish and their messages be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render()).replace("\n", " ")


def goal(lab: LabScreen) -> str:
    return text(lab, "#exercise-goal")


def told(app) -> list[str]:
    """Record every notification's message (the test reads them instead of the toasts)."""
    messages: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        messages.append(message)
        notify(message, *args, **kwargs)

    app.notify = recording
    return messages


async def open_lesson(pilot, lesson_id: str) -> LessonScreen:
    """Walk the course map down to a lesson of the built-in course and open it."""
    app = pilot.app
    ids = [lesson.id for lesson in app.course.packs[0].lessons]
    await pilot.press(*["down"] * ids.index(lesson_id), "enter")
    assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson_id
    return app.screen


async def open_exercise(pilot, exercise_id: str) -> LabScreen:
    """Open an exercise from the course map's list of every exercise."""
    app = pilot.app
    await pilot.press("e")
    listing = app.screen
    assert isinstance(listing, ExercisesScreen)
    index = [exercise.id for _, exercise in listing.items].index(exercise_id)
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)
    assert isinstance(app.screen, LabScreen)
    return app.screen


async def test_a_lesson_with_one_exercise_opens_it_and_the_goal_is_not_met_at_start():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "batchnorm")
        await pilot.press("e")
        await settle(pilot)
        lab = app.screen
        assert isinstance(lab, LabScreen) and lab.exercise.id == "sigmoid-30-one-decade"
        assert lab.view == "bars" and lab.config == lab.exercise.start
        assert lab.title == f"Exercise: {lab.exercise.title}"
        assert lab.exercise.task[:60] in text(lab, "#exercise-note")
        assert goal(lab).startswith("✗ not yet: layer 1's weight gradient")
        assert not app.progress.exercises


async def test_a_lesson_with_two_exercises_lists_them_and_one_without_has_no_key():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_lesson(pilot, "what-is")
        await pilot.press("e")
        assert app.screen is lesson  # no exercises: the key does nothing (and is not shown)
        await pilot.press("escape")
        await open_lesson(pilot, "exploding-clipping")
        await pilot.press("e")
        listing = app.screen
        assert isinstance(listing, ExercisesScreen)
        ids = [exercise.id for _, exercise in listing.items]
        assert ids == ["tanh-stop-explosion", "clip-the-explosion"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.exercise.id == "tanh-stop-explosion"


async def test_solving_from_the_course_map_records_it_once_and_marks_it_done(
    private_data_dir,
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        messages = told(app)
        lab = await open_exercise(pilot, "sigmoid-30-one-decade")
        assert goal(lab).startswith("✗ not yet:")
        await pilot.press("b")  # the documented solution: batch norm
        assert lab.config.batchnorm
        assert goal(lab).startswith("✓ goal met: layer 1's weight gradient")
        assert app.progress.exercises[DONE_KEY].done
        assert ProgressStore(private_data_dir).load().exercises[DONE_KEY].done
        await pilot.press("b", "b")  # unsolved, solved again: no second notice
        assert goal(lab).startswith("✓ goal met:")
        assert sum("saved as done" in message for message in messages) == 1
        await pilot.press("escape")
        listing = app.screen
        assert isinstance(listing, ExercisesScreen)
        options = listing.query_one("#exercise-list")
        row = str(options.get_option_at_index(options.highlighted).prompt)
        assert row.startswith("  ✓ Depth 30 with sigmoid")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        rows = app.screen.query_one("#lesson-list")
        lessons = [lesson.id for lesson in app.course.packs[0].lessons]
        assert "ex 1/1" in str(rows.get_option_at_index(lessons.index("batchnorm")).prompt)


async def test_a_locked_setting_is_refused_with_a_notice_and_the_config_kept():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        messages = told(app)
        lab = await open_exercise(pilot, "sigmoid-30-one-decade")
        start = lab.config
        await pilot.press("d", "a")
        assert lab.config == start
        assert messages == [
            "depth is fixed in this exercise",
            "activation is fixed in this exercise",
        ]
        await pilot.press("w")  # width is free
        assert lab.config.width != start.width
        assert goal(lab).startswith("✗ not yet:")


async def test_hints_are_revealed_one_at_a_time_and_stop_at_the_last():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        messages = told(app)
        lab = await open_exercise(pilot, "sigmoid-30-one-decade")
        hints = lab.exercise.hints
        assert len(hints) == 3 and "Hint" not in text(lab, "#exercise-note")
        for number, hint in enumerate(hints, start=1):
            await pilot.press("h")
            note = text(lab, "#exercise-note")
            assert note.startswith(f"Hint {number}/3: ") and hint[:50] in note
        await pilot.press("h")
        assert text(lab, "#exercise-note").startswith("Hint 3/3: ")
        assert messages == ["That was the last hint."]
        assert "h/H hint 3/3" in text(lab, "#lab-controls")
        await pilot.press("H", "H", "H")  # back to the task
        assert text(lab, "#exercise-note").startswith(lab.exercise.task[:40])


async def test_a_train_exercise_checks_its_goal_when_the_run_finishes(monkeypatch):
    real_train, release = train_module.train, threading.Event()

    def held_train(*args, **kwargs):
        """The run waits for the test, so the pending goal line can be read before it ends."""
        release.wait(timeout=30)
        return real_train(*args, **kwargs)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        messages = told(app)
        lab = await open_exercise(pilot, "clip-the-explosion")
        assert lab.view == "train" and lab.train_config == lab.exercise.start
        assert lab.train_result.diverged_at is not None
        assert goal(lab).startswith("✗ not yet: the run diverged")
        await pilot.press("l")  # the learning rate is locked
        assert lab.train_config.lr == 0.1 and messages == [
            "the learning rate is fixed in this exercise"
        ]
        monkeypatch.setattr(train_module, "train", held_train)
        await pilot.press("c", "enter")  # clip the global norm at 1, and run
        assert lab.train_config.clip_norm == 1.0
        assert goal(lab) == "… goal: checked when this run finishes"
        release.set()
        await settle(pilot)
        assert lab.train_result.config == lab.train_config
        assert goal(lab).startswith("✓ goal met: the run did not diverge")
        assert app.progress.exercises["vanishing-gradients/clip-the-explosion"].done


async def test_an_rnn_exercise_is_solved_with_the_forget_gate_bias():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_exercise(pilot, "lstm-three-decades")
        assert lab.view == "rnn" and lab.rnn_config == lab.exercise.start
        assert goal(lab).startswith("✗ not yet: step 1's gradient")
        await pilot.press("n")  # the cell is locked
        assert lab.rnn_config.cell == "lstm"
        await pilot.press("f")
        assert lab.rnn_config.forget_bias == 1.0 and goal(lab).startswith("✗ not yet:")
        await pilot.press("f")
        assert lab.rnn_config.forget_bias == 2.0
        assert goal(lab).startswith("✓ goal met: step 1's gradient")


# Keys from each built-in exercise's start to a solution (tests/unit/test_exercises.py
# has the same solutions as settings): the lab's own steps must reach them.
SOLVING_KEYS = {
    "sigmoid-30-one-decade": ["b"],
    "sigmoid-how-deep": ["D", "D", "D"],  # depth 20 -> 10 -> 5 -> 3
    "swap-the-activation": ["a", "a"],  # sigmoid -> tanh -> relu
    "relu-50-level-signal": ["i"],  # xavier -> he
    "tanh-stop-explosion": ["i"],  # standard -> xavier
    "relu-50-batchnorm-residual": ["r"],
    "clip-the-explosion": ["c", "enter"],  # clip the global norm at 1, run
    "sigmoid-adam": ["o", "L", "L", "L", "L", "enter"],  # adam, lr 0.5 -> 0.01, run
    "rnn-fifty-steps": ["i"],  # orthogonal recurrent init
    "lstm-three-decades": ["f", "f"],  # forget-gate bias 0 -> 2
}


@pytest.mark.parametrize("exercise_id", sorted(SOLVING_KEYS))
async def test_every_built_in_exercise_can_be_solved_with_the_lab_keys(exercise_id):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_exercise(pilot, exercise_id)
        assert goal(lab).startswith("✗ not yet:")
        await pilot.press(*SOLVING_KEYS[exercise_id])
        await settle(pilot)
        assert goal(lab).startswith("✓ goal met:"), goal(lab)
        assert app.progress.exercises[f"vanishing-gradients/{exercise_id}"].done


async def test_the_goal_is_checked_on_the_profile_on_screen_without_a_second_run(monkeypatch):
    from lessons.lab import profile

    real, runs = profile.run_profile, []

    def counted(config, *data):
        runs.append(config)
        return real(config, *data)

    monkeypatch.setattr(profile, "run_profile", counted)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lab = await open_exercise(pilot, "sigmoid-30-one-decade")
        runs.clear()
        await pilot.press("b")
        assert runs == [lab.config] and goal(lab).startswith("✓ goal met:")
        await pilot.press("2")  # the compare view: the goal stays that of the bars' profile
        await settle(pilot)
        assert goal(lab).startswith("✓ goal met:")


def markup_pack(folder: Path) -> Path:
    """The minimal example pack plus exercises whose text looks like markup."""
    pack = folder / "markup-pack"
    shutil.copytree(MINIMAL, pack)
    manifest = pack / "pack.toml"
    manifest.write_text(
        manifest.read_text().replace(
            'preset_files = ["presets.toml"]',
            'preset_files = ["presets.toml"]\nexercise_files = ["exercises.toml"]',
        )
    )
    (pack / "exercises.toml").write_text(
        textwrap.dedent(
            """\
            [[exercise]]
            id = "square-brackets"
            title = "[b]Not bold[/b]"
            kind = "profile"
            task = "Keep [red]the depth[/red] and [link=x]level the bars[/link]."
            locked = ["depth"]
            hints = ["Try [i]batch norm[/i]."]

            [exercise.start]
            activation = "sigmoid"
            depth = 10

            [exercise.goal]
            weight_log10_ratio = { min = -1.0, max = 1.0 }
            """
        )
    )
    return pack


async def test_pack_text_is_shown_as_written_not_as_markup(tmp_path):
    app = make_app([markup_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        listing = app.screen
        option = listing.query_one("#exercise-list")
        prompts = [str(option.get_option_at_index(i).prompt) for i in range(option.option_count)]
        assert "Minimal example pack" in prompts  # a second pack gets its own heading
        await pilot.press(*["down"] * len(app.course.packs[0].exercises), "enter")
        await settle(pilot)
        lab = app.screen
        assert lab.exercise.id == "square-brackets" and lab.lesson is None
        assert lab.title == "Exercise: [b]Not bold[/b]"
        assert "[red]the depth[/red] and [link=x]level the bars[/link]" in text(
            lab, "#exercise-note"
        )
        await pilot.press("h")
        assert "Try [i]batch norm[/i]." in text(lab, "#exercise-note")
        await pilot.press("b")
        assert goal(lab).startswith("✓ goal met:")
        assert app.progress.exercises["minimal-example/square-brackets"].done


async def open_sigmoid_30_with_a_hint(pilot) -> None:
    await open_exercise(pilot, "sigmoid-30-one-decade")
    await pilot.press("h")


class TestExerciseSnapshots:
    def test_lab_in_exercise_mode(self, snap_compare):
        assert snap_compare(make_app(), run_before=open_sigmoid_30_with_a_hint, terminal_size=SIZE)


async def test_the_help_scrolls_by_keyboard_down_to_its_exercises_section():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("#help-text")
        assert app.focused is scroll and scroll.max_scroll_y > 0
        await pilot.press("end")  # one press reaches the bottom
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert "the exercise is saved as done." in screen_text(app)


async def test_the_list_is_grouped_by_lesson_in_course_order_with_titles_whole(tmp_path):
    app = make_app(packs=[markup_pack(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        listing = app.screen
        assert isinstance(listing, ExercisesScreen)
        builtin = app.course.packs[0]
        order = [lesson.id for lesson in builtin.lessons]
        lessons = [exercise.lesson for pack, exercise in listing.items if pack is builtin]
        assert lessons == sorted(lessons, key=order.index)  # course order, not file order
        options = listing.query_one("#exercise-list")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        for lesson in builtin.lessons:  # headings numbered as on the course map
            if any(e.lesson == lesson.id for e in builtin.exercises.values()):
                assert f"{order.index(lesson.id) + 1}. {lesson.title}" in prompts
        for _, exercise in listing.items:  # every title whole (the list wraps long ones)
            assert any(prompt.endswith(exercise.title) for prompt in prompts), exercise.title
        assert "Not tied to a lesson" in prompts  # the extra pack's exercise names no lesson
