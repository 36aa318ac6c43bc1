"""Reads of SVO worksheets: what the editor, the review queue and the review screen show.

``worksheet_rows`` puts each statement together with its findings (as teaching messages)
and the comments of the latest review; ``version_changes`` compares two submitted versions
for the reviewer. Both take prefetched data and make a fixed number of queries.
``review_queue`` lists what a reviewer has waiting: who reviews whom is ``org.access``
(a DX PRO their units for the year; HR the units without one; nobody their own).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from org import access

from ..models import SvoReview, SvoStatement, SvoWorksheet, SvoWorksheetVersion, WorksheetStatus
from .checker import Finding
from .findings import current_findings
from .services import STATEMENT_FIELDS

User = get_user_model()


@dataclass
class StatementRow:
    statement: SvoStatement
    findings: list[Finding] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def latest_review(worksheet: SvoWorksheet) -> SvoReview | None:
    return (
        SvoReview.objects.filter(worksheet=worksheet)
        .select_related("reviewer")
        .prefetch_related("comments")
        .order_by("-created_at")
        .first()
    )


def submitted_statements(worksheet: SvoWorksheet) -> list[SvoStatement]:
    """The statements as the author last submitted them (one query), for everyone but the
    author: what an author changes after a return is a draft again, private until they
    resubmit (B8). Read-only copies (never saved) when the worksheet is back with its author;
    the rows themselves otherwise."""
    if worksheet.status != WorksheetStatus.RETURNED:
        return list(worksheet.statements.all())
    version = SvoWorksheetVersion.objects.filter(worksheet=worksheet).order_by("-number").first()
    if version is None:
        return []
    return [
        SvoStatement(
            pk=row["id"],
            worksheet=worksheet,
            position=row["position"],
            **{name: row.get(name) for name in STATEMENT_FIELDS},
        )
        for row in version.statements
    ]


def worksheet_rows(
    worksheet: SvoWorksheet, *, review: SvoReview | None = None, as_submitted: bool = False
) -> list[StatementRow]:
    """The statements in order with findings and the comments of ``review`` (2 queries);
    ``as_submitted``: as the author last submitted them (``submitted_statements``)."""
    comments: dict[int, list[str]] = {}
    if review is not None:
        for comment in review.comments.all():
            if comment.statement_id:
                comments.setdefault(comment.statement_id, []).append(comment.text)
    statements = (
        submitted_statements(worksheet) if as_submitted else list(worksheet.statements.all())
    )
    return [
        StatementRow(
            statement=statement,
            findings=current_findings(statement),
            comments=comments.get(statement.pk, []),
        )
        for statement in statements
    ]


@dataclass
class StatementChange:
    position: int
    kind: str  # "added", "removed", "changed"
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (name, before, after)


def version_changes(worksheet: SvoWorksheet) -> list[StatementChange] | None:
    """What changed between the last two submitted versions (None before a resubmission)."""
    versions = list(SvoWorksheetVersion.objects.filter(worksheet=worksheet).order_by("-number")[:2])
    if len(versions) < 2:
        return None
    after = {row["id"]: row for row in versions[0].statements}
    before = {row["id"]: row for row in versions[1].statements}
    changes: list[StatementChange] = []
    for pk, row in after.items():
        old = before.get(pk)
        if old is None:
            changes.append(StatementChange(row["position"], "added"))
            continue
        fields = [
            (name, old.get(name), row.get(name))
            for name in STATEMENT_FIELDS
            if old.get(name) != row.get(name)
        ]
        if fields:
            changes.append(StatementChange(row["position"], "changed", fields))
    for pk, row in before.items():
        if pk not in after:
            changes.append(StatementChange(row["position"], "removed"))
    return sorted(changes, key=lambda change: change.position)


#: How long an approval stays on the author's home page.
APPROVAL_NOTICE_DAYS = 30


@dataclass
class DecisionNotice:
    worksheet: SvoWorksheet
    review: SvoReview | None
    comment_count: int

    @property
    def returned(self) -> bool:
        return self.worksheet.status == WorksheetStatus.RETURNED


def decision_notices(*, user) -> list[DecisionNotice]:
    """The author's worksheets a reviewer has decided on that still need their attention:
    every returned one (until resubmitted) and approvals of the last few weeks, each with
    the decision and how many comments it carries (overall + per statement). Two queries."""
    since = timezone.now() - dt.timedelta(days=APPROVAL_NOTICE_DAYS)
    worksheets = list(
        SvoWorksheet.objects.filter(user=user)
        .filter(
            Q(status=WorksheetStatus.RETURNED)
            | Q(status=WorksheetStatus.APPROVED, decided_at__gte=since)
        )
        .select_related("exercise")
        .order_by("-decided_at", "-pk")
    )
    if not worksheets:
        return []
    reviews = {
        (review.worksheet_id, review.version): review
        for review in SvoReview.objects.filter(worksheet__in=worksheets)
        .select_related("reviewer")
        .annotate(statement_comments=Count("comments"))
    }
    notices = []
    for worksheet in worksheets:
        review = reviews.get((worksheet.pk, worksheet.version))
        count = 0
        if review is not None:
            count = review.statement_comments + (1 if review.comment.strip() else 0)
        notices.append(DecisionNotice(worksheet=worksheet, review=review, comment_count=count))
    return notices


def notices_valid_until(notices: list[DecisionNotice]) -> dt.datetime | None:
    """When the first approval among ``notices`` stops being a notice (``decision_notices``
    shows approvals for ``APPROVAL_NOTICE_DAYS``); ``None`` when none of them is one."""
    approvals = [notice.worksheet.decided_at for notice in notices if not notice.returned]
    return min(approvals) + dt.timedelta(days=APPROVAL_NOTICE_DAYS) if approvals else None


# --- the review queue ------------------------------------------------------------------------


def reviewable_worksheets(viewer: User, *, fiscal_year: int | None = None) -> QuerySet:
    """Worksheets ``viewer`` may review, never their own nor a draft: the rule of
    ``org.access.reviewable`` applied to the worksheets' authors, and a worksheet never
    submitted is its author's alone (B8). Every reviewer's list and screen reads through
    here; a returned worksheet shows what was submitted (``submitted_statements``)."""
    return SvoWorksheet.objects.filter(access.reviewable(viewer, fiscal_year=fiscal_year)).exclude(
        status=WorksheetStatus.DRAFT
    )


def readable_worksheets(viewer: User, *, fiscal_year: int | None = None) -> QuerySet:
    """Worksheets ``viewer`` may read on the review screen: those they review, and those of
    the people of the units they manage (``org.access.readable``); never their own nor a
    draft, which stays its author's alone until submitted (B8)."""
    return SvoWorksheet.objects.filter(access.readable(viewer, fiscal_year=fiscal_year)).exclude(
        status=WorksheetStatus.DRAFT
    )


#: How many worksheets of the manager's units one page lists.
UNIT_WORKSHEETS_PER_PAGE = 50


def unit_worksheets(viewer: User, *, page_number: object = 1) -> Page:
    """One page of the worksheets of the people of ``viewer``'s units (「担当の所属」), by
    unit and author, the latest submitted first within each: what a manager reads (two
    queries: the count and the page)."""
    worksheets = (
        SvoWorksheet.objects.filter(access.in_managed_units(viewer))
        .exclude(status=WorksheetStatus.DRAFT)
        .select_related("user__unit", "exercise")
        .order_by("user__unit__path", "user__kana", "user__employee_number", "-submitted_at")
    )
    return Paginator(worksheets, UNIT_WORKSHEETS_PER_PAGE).get_page(page_number)


#: How many approved worksheets the queue lists, for turning their ideas into plans.
RECENTLY_APPROVED = 10


@dataclass
class ReviewQueue:
    """What a reviewer has: worksheets waiting for them, returned ones waiting for their
    authors, and the latest approvals. Each count the screen shows is of a list it shows,
    except ``approved_count``, all approvals, of which ``recently_approved`` lists the latest.
    """

    waiting: list[SvoWorksheet]
    per_unit: list[tuple[str, int]]
    returned: list[SvoWorksheet] = field(default_factory=list)
    approved_count: int = 0
    recently_approved: list[SvoWorksheet] = field(default_factory=list)


def review_queue(viewer: User) -> ReviewQueue:
    """Submitted worksheets oldest first, with counts per unit; returned ones waiting for a
    resubmission, longest waiting first; and the latest approved ones with how many plans
    they became (four queries)."""
    worksheets = reviewable_worksheets(viewer)
    waiting = list(
        worksheets.filter(status=WorksheetStatus.SUBMITTED)
        .select_related("user__unit", "exercise")
        .order_by("submitted_at", "pk")
    )
    per_unit = Counter(w.user.unit.name if w.user.unit_id else "-" for w in waiting)
    returned = list(
        worksheets.filter(status=WorksheetStatus.RETURNED)
        .select_related("user__unit", "exercise")
        .order_by("decided_at", "pk")
    )
    approved_count = worksheets.filter(status=WorksheetStatus.APPROVED).count()
    recently_approved = list(
        worksheets.filter(status=WorksheetStatus.APPROVED)
        .select_related("user__unit", "exercise")
        .annotate(plan_count=Count("plans", distinct=True))
        .order_by("-decided_at", "-pk")[:RECENTLY_APPROVED]
    )
    return ReviewQueue(
        waiting=waiting,
        per_unit=sorted(per_unit.items()),
        returned=returned,
        approved_count=approved_count,
        recently_approved=recently_approved,
    )
