"""The path through the course at 80x24: round trips keep their state, every screen
offers its next step, the footer says what each key does now, and the scoring rule."""

from screen_text import screen_lines, screen_text

from lessons.progress import ProgressStore
from tui.app import make_app
from tui.navigation import LessonPage
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen

SIZE = (80, 24)
LESSON_1 = "vanishing-gradients/what-is"


def footer(app) -> str:
    return screen_lines(app)[-1]


async def tick(pilot, quiz: QuizScreen, indices: set[int]) -> None:
    """Tick the given choice indices by the number they are shown with."""
    for shown, index in enumerate(quiz.order, start=1):
        if index in indices:
            await pilot.press(str(shown))


async def answer(pilot, quiz: QuizScreen, indices: set[int]) -> None:
    await tick(pilot, quiz, indices)
    await pilot.press("enter")


async def open_quiz(pilot) -> QuizScreen:
    await pilot.press("enter", "z")
    quiz = pilot.app.screen
    assert isinstance(quiz, QuizScreen)
    return quiz


# -- round trips ------------------------------------------------------------------------


async def test_question_with_ticks_to_the_lab_and_back_is_the_same_question():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        await answer(pilot, quiz, set())
        await pilot.press("enter")  # question 2
        order, question = list(quiz.order), quiz.question
        await pilot.press("1", "2")
        ticked = set(quiz.selected)
        assert len(ticked) == 2
        await pilot.press("l")
        assert isinstance(app.screen, LabScreen)
        if question.preset is not None:
            assert app.screen.preset.id == question.preset
        await pilot.press("escape")
        assert app.screen is quiz
        assert (quiz.position, quiz.question, quiz.order) == (1, question, order)
        assert quiz.selected == ticked and not quiz.submitted
        assert "[x] 1." in screen_text(app) and "[x] 2." in screen_text(app)
        assert "Question 2 of" in screen_text(app)


async def test_feedback_to_the_lab_and_back_is_the_same_feedback():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        await answer(pilot, quiz, {quiz.order[0]})
        before = screen_text(app)
        assert "Not quite:" in before or "Right!" in before
        await pilot.press("l")
        assert isinstance(app.screen, LabScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is quiz and quiz.submitted and quiz.position == 0
        assert screen_text(app) == before


async def test_lesson_page_to_the_lab_and_back_keeps_the_page():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "n", "n")
        lesson = app.screen
        assert isinstance(lesson, LessonScreen) and lesson.page == 2
        await pilot.press("l")
        assert isinstance(app.screen, LabScreen)
        await pilot.press("escape")
        assert app.screen is lesson and lesson.page == 2
        assert "Page 3 of" in screen_text(app)


async def test_z_in_a_lab_opened_from_a_quiz_goes_back_down_to_that_quiz():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        await pilot.press("2")
        depth = len(app.screen_stack)
        await pilot.press("l", "z")
        assert app.screen is quiz and len(app.screen_stack) == depth
        assert quiz.selected == {quiz.order[1]}


async def test_a_quiz_left_with_esc_is_found_as_it_was():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        await answer(pilot, quiz, set())
        await pilot.press("enter", "3", "escape")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("z")
        assert app.screen is quiz and quiz.position == 1
        assert quiz.selected == {quiz.order[2]}


# -- the next step ------------------------------------------------------------------------


async def test_the_last_page_offers_the_next_lesson_and_n_opens_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        pages = len(app.screen.lesson.pages)
        await pilot.press(*["n"] * (pages - 1))
        assert app.screen.page == pages - 1
        assert "n next lesson: 2. Symptoms" in screen_text(app)
        await pilot.press("space", "right")  # nothing past the last page
        assert app.screen.lesson.id == "what-is"
        await pilot.press("n")
        assert isinstance(app.screen, LessonScreen)
        assert (app.screen.lesson.id, app.screen.page) == ("symptoms", 0)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_a_finished_quiz_offers_next_lesson_retry_and_review():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        for _ in quiz.lesson.questions:
            await answer(pilot, quiz, set(quiz.question.correct_indices) ^ {0})
            await pilot.press("enter")
        assert quiz.finished
        shown = screen_text(app)
        assert "n: next lesson, 2. Symptoms" in shown
        assert "r: retry" in shown and "w: review the" in shown
        await pilot.press("n")
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "symptoms"


async def test_c_walks_a_whole_lesson_and_into_the_next(private_data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pages = len(app.course.lessons()[0][1].pages)
        assert f"c next: 1. What a vanishing gradient is · page 1 of {pages}" in screen_text(app)
        await pilot.press("c")
        lesson = app.screen
        assert isinstance(lesson, LessonScreen) and lesson.lesson.id == "what-is"
        await pilot.press(*["n"] * (len(lesson.lesson.pages) - 1), "escape")
        assert "c next: 1. What a vanishing gradient is · quiz" in screen_text(app)

        await pilot.press("c")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        for _ in quiz.lesson.questions:
            await pilot.press("enter", "enter")
        assert quiz.finished
        await pilot.press("escape")
        assert "c next: 1. What a vanishing gradient is · lab" in screen_text(app)

        await pilot.press("c")
        assert isinstance(app.screen, LabScreen) and app.screen.lesson.id == "what-is"
        await pilot.press("escape")
        assert "c next: 2. Symptoms · page 1 of" in screen_text(app)
        await pilot.press("c")
        assert isinstance(app.screen, LessonScreen)
        assert (app.screen.lesson.id, app.screen.page) == ("symptoms", 0)
    saved = ProgressStore(private_data_dir).load().lesson(LESSON_1)
    assert saved.read and saved.quiz_total is not None and saved.lab_visited


async def test_c_offers_a_lessons_exercise_before_the_next_lesson():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pack = app.course.packs[0]
        key = "vanishing-gradients/batchnorm"
        app.record(
            lambda p: p.mark_read(key).record_quiz(key, 1, 1).mark_lab_visited(key).set_last(key, 0)
        )
        app.screen.refresh_statuses()
        await pilot.pause()
        exercise = next(e for e in pack.exercises.values() if e.lesson == "batchnorm")
        shown = " ".join(screen_text(app).split())  # the line may wrap
        assert f"c next: 7. Batch normalization · exercise: {exercise.title}" in shown
        await pilot.press("c")
        assert isinstance(app.screen, LabScreen) and app.screen.exercise is exercise


# -- footer hints per state ---------------------------------------------------------------


async def test_the_quiz_footer_follows_its_state():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        hints = footer(app)
        assert "Submit" in hints and "Tick" in hints
        assert not {"Retry", "Review", "Next lesson"} & set(hints.split("  "))
        await pilot.press("enter")
        hints = footer(app)
        assert "Next" in hints and "Submit" not in hints and "Tick" not in hints
        for _ in range(len(quiz.lesson.questions) - 1):
            await pilot.press("enter", "enter")
        await pilot.press("enter")
        assert quiz.finished
        hints = footer(app)
        for hint in ("n Next lesson", "r Retry", "w Review", "l Lab", "esc Back"):
            assert hint in hints, hints
        assert "Submit" not in hints and "Tick" not in hints


async def test_the_lesson_footer_offers_next_page_then_next_lesson():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert "Next page" in footer(app) and "Next lesson" not in footer(app)
        await pilot.press(*["n"] * (len(app.screen.lesson.pages) - 1))
        assert "n Next lesson" in footer(app) and "Next page" not in footer(app)
        assert "z Quiz" in footer(app) and "l Lab" in footer(app)


async def test_the_last_lesson_offers_no_next_lesson():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pack = app.course.packs[0]
        last = pack.lessons[-1]
        app.nav.jump(LessonPage(pack, last, 99))
        await pilot.pause()
        assert app.screen.page == len(last.pages) - 1
        assert "Next lesson" not in footer(app) and "next lesson" not in screen_text(app)
        await pilot.press("n")
        assert app.screen.lesson is last


# -- the scoring rule ---------------------------------------------------------------------


async def test_a_review_is_shown_as_a_review_and_keeps_the_best_attempt(private_data_dir):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        questions = quiz.lesson.questions
        for number in range(len(questions)):  # only the first one right
            keys = set(quiz.question.correct_indices)
            await answer(pilot, quiz, keys if number == 0 else keys ^ {0})
            await pilot.press("enter")
        progress = app.progress.lesson(LESSON_1)
        assert (progress.quiz_best, progress.quiz_total) == (1, len(questions))
        assert f"Quiz finished: 1 of {len(questions)} right." in screen_text(app)

        await pilot.press("w")
        assert quiz.reviewing and "Review 1 of" in screen_text(app)
        for _ in range(len(questions) - 1):  # every missed one right now
            await answer(pilot, quiz, set(quiz.question.correct_indices))
            await pilot.press("enter")
        missed = len(questions) - 1
        assert f"Review: {missed} of {missed} missed questions now right." in screen_text(app)
        progress = app.progress.lesson(LESSON_1)
        assert (progress.quiz_best, progress.quiz_total) == (1, len(questions))
        assert set(progress.quiz_mastered) == {q.id for q in questions[1:]}

        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert f"quiz 1/{len(questions)}" in screen_text(app)
    saved = ProgressStore(private_data_dir).load().lesson(LESSON_1)
    assert saved.quiz_best == 1 and len(saved.quiz_mastered) == len(questions) - 1


async def test_a_review_of_every_question_does_not_replace_the_score():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        quiz = await open_quiz(pilot)
        questions = quiz.lesson.questions
        for _ in questions:  # every one wrong
            await answer(pilot, quiz, set(quiz.question.correct_indices) ^ {0})
            await pilot.press("enter")
        await pilot.press("w")
        assert len(quiz.queue) == len(questions)
        for _ in questions:
            await answer(pilot, quiz, set(quiz.question.correct_indices))
            await pilot.press("enter")
        assert "Review:" in screen_text(app)
        assert app.progress.lesson(LESSON_1).quiz_best == 0

        await pilot.press("r")  # a full attempt, all right: the new best
        for _ in questions:
            await answer(pilot, quiz, set(quiz.question.correct_indices))
            await pilot.press("enter")
        assert f"Quiz finished: {len(questions)} of {len(questions)} right." in screen_text(app)
        assert app.progress.lesson(LESSON_1).quiz_best == len(questions)
