"""A learner's first walk: course map → lesson 1 → quiz → lab, by keyboard, at 80x24."""

from screen_text import screen_text

from tui.app import make_app
from tui.screens.home import HomeScreen
from tui.screens.lab import LabScreen
from tui.screens.lesson import LessonScreen
from tui.screens.quiz import QuizScreen
from tui.widgets.profile_view import ProfileView

SIZE = (80, 24)


async def answer(pilot, screen: QuizScreen, indices: set[int]) -> None:
    """Tick the given choice indices by their shown number, then submit."""
    for shown, index in enumerate(screen.order, start=1):
        if index in indices:
            await pilot.press(str(shown))
    await pilot.press("enter")


async def test_home_lists_lesson_one_and_enter_opens_it():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.title == "What a vanishing gradient is"
        first_page = app.screen.page
        await pilot.press("right")
        assert app.screen.page == first_page + 1
        await pilot.press("left")
        assert app.screen.page == first_page
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_quiz_right_and_wrong_answers_get_feedback_and_score():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "z")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        questions = quiz.lesson.questions
        assert len(questions) >= 2

        await answer(pilot, quiz, set(quiz.question.correct_indices))
        assert quiz.results[0].right
        await pilot.pause()
        feedback = " ".join(screen_text(app).split())
        assert "Right! all" in feedback and "choices right." in feedback
        for choice in quiz.question.choices:
            assert " ".join(choice.explanation.split())[:30] in feedback

        await pilot.press("enter")  # next question
        # Flip one choice away from the key: always a wrong answer.
        await answer(pilot, quiz, set(quiz.question.correct_indices) ^ {0})
        assert not quiz.results[1].right
        await pilot.pause()
        assert "Not quite:" in screen_text(app)

        for _ in range(len(questions) - 2):  # submit the rest with nothing ticked
            await pilot.press("enter", "enter")
        await pilot.press("enter")
        assert quiz.finished
        # Ticking nothing is right only where no choice is correct.
        expected = 1 + sum(not q.correct_indices for q in quiz.lesson.questions[2:])
        summary = str(quiz.query_one("#quiz-position").render())
        assert f"{expected} of {len(questions)} right" in summary
        progress = app.progress.lesson(f"{quiz.pack.id}/{quiz.lesson.id}")
        assert (progress.quiz_best, progress.quiz_total) == (expected, len(questions))


async def test_lab_switches_activation_and_the_bars_change():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "l")
        lab = app.screen
        assert isinstance(lab, LabScreen)
        assert lab.config.activation == "sigmoid"
        view = lab.query_one("#view-bars", ProfileView)
        sigmoid = view.chart.series[0].values
        assert len(sigmoid) == lab.config.depth + 1
        await pilot.press("a", "a")  # sigmoid → tanh → relu
        assert lab.config.activation == "relu"
        relu = view.chart.series[0].values
        assert relu != sigmoid
        # ReLU keeps the first layer's gradient far closer to the last layer's.
        assert relu[0] - relu[-1] > sigmoid[0] - sigmoid[-1]
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_long_feedback_scrolls_with_page_keys():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "z")
        quiz = app.screen
        await answer(pilot, quiz, set())
        # Stand in for a pack whose explanations run far below the screen.
        quiz.query_one("#quiz-feedback").update("an explanation line\n" * 60)
        await pilot.pause()
        body = quiz.query_one("#quiz-body")
        assert body.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause(0.5)
        assert body.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause(0.5)
        assert body.scroll_y == 0


async def test_retry_reshuffles_and_review_asks_only_the_missed_questions():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pack, lesson = app.course.lessons()[0]
        quiz = QuizScreen(pack, lesson, seed=11)
        await app.push_screen(quiz)
        first_orders = []
        for number in range(len(lesson.questions)):
            first_orders.append(list(quiz.order))
            # Answer the first question right, the others wrong.
            keys = set(quiz.question.correct_indices)
            await answer(pilot, quiz, keys if number == 0 else keys ^ {0})
            await pilot.press("enter")
        assert quiz.finished
        await pilot.press("w")
        assert [lesson.questions[i].id for i in quiz.queue] == [q.id for q in lesson.questions[1:]]
        await pilot.press("escape")
        quiz = QuizScreen(pack, lesson, seed=11)
        await app.push_screen(quiz)
        for _ in lesson.questions:
            await answer(pilot, quiz, set())
            await pilot.press("enter")
        await pilot.press("r")
        second_orders = []
        for _ in lesson.questions:
            second_orders.append(list(quiz.order))
            await answer(pilot, quiz, set())
            await pilot.press("enter")
        assert second_orders != first_orders
