"""``core.db.bulk_update_values`` on both databases the product runs on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from core.db import bulk_update_values
from core.models import QueuedTask

pytestmark = pytest.mark.django_db(databases=["default", "sqlite"])


@pytest.mark.parametrize("using", ["default", "sqlite"])
def test_writes_every_field_type_of_every_row_in_one_statement(using, django_assert_num_queries):
    when = timezone.now().replace(microsecond=0)
    rows = [
        QueuedTask.objects.using(using).create(task="t", key=f"k{n}", args=[n]) for n in range(3)
    ]
    for n, row in enumerate(rows):
        row.args = {"n": n, "text": "日本語", "list": [1, 2]}
        row.sent_at = when + dt.timedelta(minutes=n)
        row.again = n % 2 == 0
        row.deliveries = 10 + n
        row.failure_reason = f"理由 {n}" if n else ""
    with django_assert_num_queries(1, using=using):
        updated = bulk_update_values(
            QueuedTask,
            rows,
            ["args", "sent_at", "again", "deliveries", "failure_reason"],
            using=using,
        )
    assert updated == 3
    stored = {row.key: row for row in QueuedTask.objects.using(using).all()}
    for n in range(3):
        row = stored[f"k{n}"]
        assert row.args == {"n": n, "text": "日本語", "list": [1, 2]}
        assert row.sent_at == when + dt.timedelta(minutes=n)
        assert row.again is (n % 2 == 0)
        assert row.deliveries == 10 + n
        assert row.failure_reason == (f"理由 {n}" if n else "")
        assert row.started_at is None  # a field not named is left alone
    assert connections[using].vendor in {"postgresql", "sqlite"}


@pytest.mark.parametrize("using", ["default", "sqlite"])
def test_batches_and_leaves_other_rows_alone(using):
    rows = [QueuedTask.objects.using(using).create(task="t", key=f"k{n}") for n in range(7)]
    other = rows.pop()
    for row in rows:
        row.deliveries = 5
    assert bulk_update_values(QueuedTask, rows, ["deliveries"], batch_size=2, using=using) == 6
    assert set(QueuedTask.objects.using(using).values_list("deliveries", flat=True)) == {5, 0}
    other.refresh_from_db(using=using)
    assert other.deliveries == 0


def test_nothing_to_write_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_update_values(QueuedTask, [], ["deliveries"]) == 0


def test_a_decimal_and_a_null_survive(settings):
    # A JSON value that is a bare number or null must not be taken for SQL NULL.
    row = QueuedTask.objects.create(task="t", key="k")
    row.args = [Decimal("1.5").__float__(), None]
    bulk_update_values(QueuedTask, [row], ["args"])
    row.refresh_from_db()
    assert row.args == [1.5, None]
