"""Uploading packages and saving learners' runtime data: the rule the editor chose decides
when the lesson counts as read, and the course's completion moves as for a read lesson."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from core.fiscal import fiscal_year_of
from courses.models import LessonRead, ScormAttempt, ScormLessonPage, ScormPackage
from courses.scorm.package import PackageError, inspect_package
from courses.scorm.selectors import scorm_launch
from courses.scorm.services import CommitError, scorm_attempt_commit, scorm_package_create
from courses.scorm.storage import package_extract, package_member
from courses.selectors import course_progress
from courses.signals import lesson_read
from tests.factories import UserFactory

from .helpers import make_scorm_lesson, package_zip

pytestmark = pytest.mark.django_db


def cmi12(status="incomplete", raw="", location="", session="00:01:00", suspend=""):
    core = {"lesson_status": status, "lesson_location": location, "session_time": session,
            "score": {"raw": raw, "min": "", "max": "100"}, "exit": "suspend"}  # fmt: skip
    return json.dumps({"cmi": {"core": core, "suspend_data": suspend}})


def cmi2004(completion="incomplete", success="unknown", scaled="", location=""):
    return json.dumps({"cmi": {
        "completion_status": completion, "success_status": success, "location": location,
        "score": {"scaled": scaled, "raw": "", "min": "", "max": ""}, "session_time": "PT90S",
    }})  # fmt: skip


def commit(user, lesson, payload, session="s1", sequence=1):
    return scorm_attempt_commit(
        user=user, lesson=lesson, payload=payload, session_key=session, sequence=sequence
    )


def test_editor_uploads_a_package_and_its_files_are_kept(editor, settings):
    package = scorm_package_create(
        by=editor, upload=io.BytesIO(package_zip("scorm2004")), name="個人情報.zip"
    )
    assert package.version == "2004-4"
    assert package.launch_path == "content/start.html"
    assert package.file_count == 3
    assert package.uploaded_by == editor
    storage, name = package_member(package, "content/start.html")
    with storage.open(name, "rb") as stream:
        assert "設問1" in stream.read().decode()
    assert (settings.PRIVATE_STORAGE_ROOT / package.file.name).exists()


def test_a_learner_may_not_upload(db):
    with pytest.raises(PermissionDenied):
        scorm_package_create(
            by=UserFactory(), upload=io.BytesIO(package_zip("scorm12")), name="x.zip"
        )
    assert not ScormPackage.objects.exists()


def test_a_refused_package_keeps_nothing(editor, settings):
    with pytest.raises(PackageError):
        scorm_package_create(
            by=editor, upload=io.BytesIO(package_zip("scorm12", drop=("index.html",))), name="x"
        )
    assert not ScormPackage.objects.exists()
    assert not (settings.PRIVATE_STORAGE_ROOT / "scorm").exists() or not any(
        path.is_file() for path in (settings.PRIVATE_STORAGE_ROOT / "scorm").rglob("*")
    )


def test_a_member_whose_header_lies_is_refused_on_extraction(db):
    data = package_zip("scorm12")
    info = inspect_package(io.BytesIO(data))
    big = next(member for member in info.members if member.path == "lesson.js")
    big.info.file_size = 10  # the header says 10 bytes; the member holds more
    package = ScormPackage(version="1.2", launch_path="index.html")
    with pytest.raises(PackageError, match=r"lesson\.js"):
        package_extract(package=package, upload=io.BytesIO(data), info=info)


def test_scorm12_incomplete_then_passed_records_the_lesson_read_once(lesson12, scorm_course):
    learner = UserFactory()
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    lesson_read.connect(receiver)
    try:
        commit(learner, lesson12, cmi12(location="q2", suspend='{"q1":"report"}'))
        assert not LessonRead.objects.filter(user=learner).exists()
        assert not course_progress(user=learner, course=scorm_course).lessons_done
        attempt = commit(learner, lesson12, cmi12("passed", "100", "end"), sequence=2)
        commit(learner, lesson12, cmi12("passed", "100", "end"), sequence=3)
    finally:
        lesson_read.disconnect(receiver)
    assert attempt.lesson_status == "passed"
    assert attempt.completion_status == "completed"
    assert attempt.score == 100
    assert attempt.done_at is not None
    read = LessonRead.objects.get(user=learner, lesson=lesson12)
    assert read.via == LessonRead.Via.SCORM
    assert len(sent) == 1 and sent[0]["lesson"].pk == lesson12.pk
    assert course_progress(user=learner, course=scorm_course).lessons_done


def test_a_late_older_save_does_not_overwrite_a_newer_one(lesson12):
    learner = UserFactory()
    commit(learner, lesson12, cmi12(location="q2"), sequence=5)
    commit(learner, lesson12, cmi12(location="q1"), sequence=4)
    attempt = ScormAttempt.objects.get(user=learner)
    assert attempt.location == "q2"
    assert attempt.commits == 1


def test_time_of_earlier_launches_adds_up_and_resumes(lesson12):
    learner = UserFactory()
    commit(learner, lesson12, cmi12(location="q2", session="00:02:00"), session="a")
    commit(learner, lesson12, cmi12(location="q2", session="00:03:00"), session="a", sequence=2)
    commit(learner, lesson12, cmi12(location="q2", session="00:00:30"), session="b")
    attempt = ScormAttempt.objects.get(user=learner)
    assert (attempt.total_seconds, attempt.session_seconds) == (180, 30)
    launch = scorm_launch(user=learner, lesson=lesson12)
    core = launch["cmi"]["core"]
    assert core["lesson_location"] == "q2"
    assert core["entry"] == "resume"
    assert core["total_time"] == "0000:03:30"
    assert launch["cmi"]["student_data"] == {"mastery_score": "80"}


def test_the_first_launch_starts_afresh(lesson2004):
    learner = UserFactory(display_name="山田 花子")
    cmi = scorm_launch(user=learner, lesson=lesson2004)["cmi"]
    assert cmi["entry"] == "ab-initio"
    assert cmi["learner_name"] == "山田 花子"
    assert "location" not in cmi


@pytest.mark.parametrize(
    ("rule", "payload", "done"),
    [
        ("passed", cmi2004("completed", "failed", "0.5"), False),
        ("passed", cmi2004("completed", "passed", "0.9"), True),
        ("completed", cmi2004("completed", "unknown"), True),
        ("completed", cmi2004("incomplete", "unknown"), False),
        ("score", cmi2004("completed", "failed", "0.79"), False),
        ("score", cmi2004("completed", "failed", "0.8"), True),
    ],
)
def test_the_rule_the_editor_chose(scorm_course, rule, payload, done):
    lesson = make_scorm_lesson(scorm_course, "scorm2004", rule=rule, pass_score=80)
    learner = UserFactory()
    commit(learner, lesson, payload)
    assert LessonRead.objects.filter(user=learner, lesson=lesson).exists() is done


def test_scorm12_completed_does_not_meet_a_passed_rule(scorm_course):
    lesson = make_scorm_lesson(scorm_course, "scorm12", rule="passed")
    learner = UserFactory()
    commit(learner, lesson, cmi12("completed"))
    assert not LessonRead.objects.filter(user=learner).exists()


def test_values_outside_the_vocabulary_are_ignored(lesson2004):
    learner = UserFactory()
    attempt = commit(learner, lesson2004, cmi2004("done!!", "passed-ish", "7"))
    assert (attempt.completion_status, attempt.success_status, attempt.score) == ("", "", None)
    assert not LessonRead.objects.filter(user=learner).exists()


@pytest.mark.parametrize("payload", ["", "not json", "[]", '{"cmi": 3}'])
def test_unreadable_data_is_refused(lesson12, payload):
    with pytest.raises(CommitError, match="could not be read"):
        commit(UserFactory(), lesson12, payload)
    assert not ScormAttempt.objects.exists()


def test_too_large_data_is_refused(lesson12, settings):
    settings.SCORM_MAX_CMI_BYTES = 1000
    with pytest.raises(CommitError, match="too large"):
        commit(UserFactory(), lesson12, cmi12(suspend="x" * 2000))


def test_records_are_per_learner_and_fiscal_year(lesson12):
    first, second = UserFactory(), UserFactory()
    commit(first, lesson12, cmi12(location="q2"))
    commit(second, lesson12, cmi12(location="q1"))
    rows = {a.user_id: a for a in ScormAttempt.objects.all()}
    assert rows[first.pk].location == "q2" and rows[second.pk].location == "q1"
    assert {a.fiscal_year for a in rows.values()} == {fiscal_year_of()}


def test_storage_never_writes_outside_the_package_folder(editor, settings):
    buffer = io.BytesIO(package_zip("scorm12"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("deep/./nested/../ok.txt", b"ok")  # refused: ".."
    with pytest.raises(PackageError):
        scorm_package_create(by=editor, upload=buffer, name="x.zip")
    assert not (settings.PRIVATE_STORAGE_ROOT / "ok.txt").exists()


def test_a_new_package_starts_afresh_and_who_finished_stays_finished(lesson12):
    learner, finisher = UserFactory(), UserFactory()
    commit(learner, lesson12, cmi12(location="q2"))
    commit(finisher, lesson12, cmi12("passed", "100", "end"))
    lesson12.package = scorm_package_create(
        by=None, upload=io.BytesIO(package_zip("scorm12", replace={"v2.txt": "2"})), name="v2"
    )
    lesson12.save_revision().publish()
    lesson12.refresh_from_db()
    core = scorm_launch(user=learner, lesson=lesson12)["cmi"]["core"]
    assert core["entry"] == "ab-initio" and "lesson_location" not in core
    assert LessonRead.objects.filter(user=finisher, lesson=lesson12).exists()
    commit(learner, lesson12, cmi12(location="q1"), session="new")
    assert ScormAttempt.objects.get(user=learner).package_id == lesson12.package_id


def test_a_scorm_lesson_counts_as_a_lesson_for_the_completion_rule(scorm_course):
    rule = {"require_lessons": True, "require_quiz": False, "require_worksheet": False}
    assert "require_lessons" in scorm_course.completion_rule_errors(**rule)
    make_scorm_lesson(scorm_course, "scorm12")
    assert scorm_course.completion_rule_errors(**rule) == {}


def test_the_launch_reads_one_row(lesson12, django_assert_num_queries):
    """The year the learner's training counts for (courses.years), then their row."""
    learner = UserFactory()
    commit(learner, lesson12, cmi12(location="q2"))
    lesson = ScormLessonPage.objects.select_related("package").get(pk=lesson12.pk)
    with django_assert_num_queries(2):
        launch = scorm_launch(user=learner, lesson=lesson)
    assert launch["attempt"].location == "q2"


def test_a_package_that_reports_no_time_gets_the_time_the_page_was_open(lesson12):
    learner = UserFactory()
    payload = cmi12(location="q2", session="")
    scorm_attempt_commit(user=learner, lesson=lesson12, payload=payload, session_key="a",
                         sequence=1, elapsed_seconds=95)  # fmt: skip
    assert ScormAttempt.objects.get(user=learner).session_seconds == 95
    scorm_attempt_commit(user=learner, lesson=lesson12, payload=cmi12(session="00:00:40"),
                         session_key="a", sequence=2, elapsed_seconds=120)  # fmt: skip
    assert ScormAttempt.objects.get(user=learner).session_seconds == 95  # never goes back


def test_the_same_zip_twice_is_one_package(editor):
    data = package_zip("scorm12")
    first = scorm_package_create(by=editor, upload=io.BytesIO(data), name="a.zip")
    again = scorm_package_create(by=editor, upload=io.BytesIO(data), name="a.zip")
    other = scorm_package_create(by=editor, upload=io.BytesIO(package_zip("scorm2004")), name="b")
    assert first.pk == again.pk != other.pk
    assert ScormPackage.objects.count() == 2
    with pytest.raises(PermissionDenied):  # the look-up does not skip the permission
        scorm_package_create(by=UserFactory(), upload=io.BytesIO(data), name="a.zip")
