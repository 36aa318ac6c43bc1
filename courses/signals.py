"""Signals the courses app sends for others (``lms``) to listen to.

The events that drive completion (``lesson_read``, ``attempts_graded`` and the worksheet
events) are sent inside the transaction that records them: what a receiver records through
``core.queue`` commits with the event or not at all, so a process dying right after the
commit loses no completion. Receivers of those must be quick, must only read and record
work (``core.queue.enqueue_on_commit``), and must let a database error propagate (the event
is then not recorded either). ``attempt_graded`` and ``attempt_passed`` are sent once the
grades have committed, for receivers that do more than record work.

``lesson_read``
    sender ``LessonRead``; arguments ``user``, ``lesson`` (LessonPage), ``course``
    (CoursePage), ``fiscal_year`` and ``cycle`` (ints: the training period,
    ``courses.years``). Sent the first time a learner reads a lesson in a period (by
    marking it read, or by reading all its guidebook chapters).

``attempt_graded``
    sender ``QuizAttempt``; arguments ``attempt``, ``user``, ``quiz`` (QuizPage), ``course``
    (CoursePage), ``fiscal_year``, ``cycle``, ``passed`` (bool). Sent once an attempt's grade has
    committed (exactly once per attempt; re-running grading sends nothing).

``attempt_passed``
    the same arguments as ``attempt_graded``; sent right after it when the attempt passed.

``attempts_graded``
    sender ``QuizAttempt``; argument ``keys``, the sorted ``(user_id, course_id,
    fiscal_year, cycle)`` of a batch of attempts just graded. Sent once per grading batch, in its
    transaction: what a receiver that recomputes per learner and course (completion)
    listens to, so a burst costs it one piece of work per batch, not one per attempt.

``worksheet_submitted``
    sender ``SvoWorksheet``; arguments ``worksheet``, ``user`` (the author), ``exercise``
    (SvoExercisePage), ``fiscal_year``, ``cycle``. Sent each time a worksheet is submitted
    for review (the first time and after every return).

``worksheet_returned``
    the same arguments plus ``review`` (SvoReview); sent when a reviewer returns it.

``worksheet_approved``
    the same arguments plus ``review``; sent once when a reviewer approves the worksheet:
    the event that completes the SVO part of a course.

To decide whether a course is complete, call ``courses.selectors.course_progress``.
"""

from django.dispatch import Signal

lesson_read = Signal()
attempt_graded = Signal()
attempt_passed = Signal()
attempts_graded = Signal()
worksheet_submitted = Signal()
worksheet_returned = Signal()
worksheet_approved = Signal()
