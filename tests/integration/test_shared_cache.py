"""An editor's change reaches the real Celery worker at once: the SVO checker's words are kept
in each process's memory, and saving them in the CMS (this process) makes the worker read
them again on its next check (``core.shared_cache``, through Redis). Before, the worker kept
its copy for five minutes."""

import pytest

from courses.models import SvoCheckerWords, SvoStatement
from courses.svo.services import worksheet_for, worksheet_save
from tests.factories import GOOD_STATEMENT, UserFactory, make_course, make_svo_exercise

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def shared_pages_cache(settings, live_celery_worker):
    """This process's ``pages`` cache is the worker's (Redis) for the test."""
    from config.settings.test import SHARED_TEST_CACHE

    settings.CACHES = {
        **settings.CACHES,
        "pages": {**SHARED_TEST_CACHE, "LOCATION": live_celery_worker.broker_url},
    }


def test_words_an_editor_saves_reach_the_workers_next_check(wait_until, shared_pages_cache):
    exercise = make_svo_exercise(make_course(lessons=1)["course"], min_statements=1)
    author = UserFactory()
    worksheet = worksheet_for(user=author, exercise=exercise)
    statement = {**GOOD_STATEMENT, "verb": "捌く"}

    def save(text):
        current = type(worksheet).objects.get(pk=worksheet.pk)
        worksheet_save(worksheet_id=worksheet.pk, user=author,
                       lock_version=current.lock_version,
                       statements=[{**statement, "expected_effect": text}])  # fmt: skip

    def checked():
        """the worker has checked the statement as it stands"""
        row = SvoStatement.objects.get(worksheet_id=worksheet.pk)
        return row if row.checked_text == row.check_text else None

    save("一回目")
    first = wait_until(checked)
    assert "verb_vague" not in first.findings  # the worker now keeps the words it read
    setting = SvoCheckerWords.load()
    setting.vague_verbs = "捌く\n"
    setting.save()
    statement["subject"] = "市民課窓口担当の職員"  # a change the checker looks at
    save("二回目")
    second = wait_until(checked)
    assert "verb_vague" in second.findings
