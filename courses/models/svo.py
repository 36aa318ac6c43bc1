"""SVO worksheets: what staff write about their own work, and how DX PROs review it.

A worksheet belongs to one person, one exercise and one fiscal year. Its statements are
edited in place while it is a draft (or returned); each submission freezes a copy of them in
an ``SvoWorksheetVersion``, so that every submitted version is kept and a reviewer can see
what changed since the last one. ``lock_version`` grows with every save: a save that names
an older value was made from a stale copy (another tab) and is refused, not applied.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..years import cycle_field
from .pages import SvoExercisePage


class WorksheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Medium(models.TextChoices):
    PAPER = "paper", _("Paper")
    SYSTEM = "system", _("System")
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("Counter")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    AS_NEEDED = "as_needed", _("As needed")


class IdeaType(models.TextChoices):
    ELIMINATE = "eliminate", _("Eliminate")
    COMBINE = "combine", _("Combine")
    REORDER = "reorder", _("Reorder")
    SIMPLIFY = "simplify", _("Simplify")
    DIGITISE = "digitise", _("Digitise")


class ReviewDecision(models.TextChoices):
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class SvoWorksheet(models.Model):
    """One person's worksheet for an SVO exercise in a fiscal year."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="svo_worksheets"
    )
    exercise = models.ForeignKey(
        SvoExercisePage, on_delete=models.PROTECT, related_name="worksheets"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    status = models.CharField(
        _("status"), max_length=16, choices=WorksheetStatus.choices, default=WorksheetStatus.DRAFT
    )
    #: The number of the last submitted version (0 before the first submission).
    version = models.PositiveIntegerField(_("version"), default=0)
    #: Grows with every save; a save naming an older value is a conflict.
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SVO worksheet")
        verbose_name_plural = _("SVO worksheets")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise", "fiscal_year", "cycle"],
                name="courses_svoworksheet_once_a_cycle",
            )
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.exercise_id}/{self.user_id}/{self.fiscal_year} ({self.status})"

    @property
    def is_editable(self) -> bool:
        return self.status in {WorksheetStatus.DRAFT, WorksheetStatus.RETURNED}


class SvoStatement(models.Model):
    """One statement of a worksheet: WHAT (SVO, medium, volume), WHY and HOW."""

    worksheet = models.ForeignKey(SvoWorksheet, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(default=0)
    # WHAT
    subject = models.CharField(_("subject (role)"), max_length=200, blank=True)
    verb = models.CharField(_("verb (action)"), max_length=200, blank=True)
    object = models.CharField(_("object"), max_length=300, blank=True)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, blank=True
    )
    count_per_year = models.PositiveIntegerField(_("cases per year"), null=True, blank=True)
    #: To a tenth of a minute: people type 1.5 (minutes) as well as 30分 or 1時間半.
    minutes_per_case = models.DecimalField(
        _("minutes per case"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # WHY
    purpose = models.TextField(_("purpose"), blank=True)
    beneficiary = models.CharField(_("beneficiary"), max_length=200, blank=True)
    # HOW (serves the WHY of the same statement)
    idea = models.TextField(_("improvement idea"), blank=True)
    idea_type = models.CharField(
        _("idea type"), max_length=16, choices=IdeaType.choices, blank=True
    )
    expected_effect = models.TextField(_("expected effect"), blank=True)
    #: Codes of the automatic checks (courses.svo.checker), with the text they were run on.
    findings = models.JSONField(default=list, blank=True)
    checked_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("SVO statement")
        verbose_name_plural = _("SVO statements")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.object} {self.verb}".strip()

    @property
    def hours_per_year(self) -> Decimal | None:
        if self.count_per_year is None or self.minutes_per_case is None:
            return None
        return (Decimal(self.count_per_year) * self.minutes_per_case / 60).quantize(Decimal("0.1"))

    @property
    def check_text(self) -> str:
        """What the checker looks at; findings are current when it equals checked_text."""
        volume = [
            "" if self.count_per_year is None else str(self.count_per_year),
            # 5, 5.0 and Decimal("5.0") from the database are the same minutes.
            ""
            if self.minutes_per_case is None
            else format(Decimal(self.minutes_per_case).normalize(), "f"),
        ]
        return "\t".join([self.subject, self.verb, self.object, self.purpose, self.idea, *volume])


class SvoWorksheetVersion(models.Model):
    """A frozen copy of a worksheet's statements at one submission."""

    worksheet = models.ForeignKey(SvoWorksheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    statements = models.JSONField(default=list)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SVO worksheet version")
        verbose_name_plural = _("SVO worksheet versions")
        ordering = ["worksheet", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "number"], name="courses_svoworksheetversion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worksheet_id} v{self.number}"


class SvoReview(models.Model):
    """A reviewer's decision on one submitted version, with an overall comment."""

    worksheet = models.ForeignKey(SvoWorksheet, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="svo_reviews"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices)
    comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the author was told (or found to have no address): until then the sweeper sends
    # it again, so a decision made while the broker was down still reaches the author.
    notified_at = models.DateTimeField(_("author notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SVO review")
        verbose_name_plural = _("SVO reviews")
        ordering = ["worksheet", "-created_at"]
        constraints = [
            # One decision per submitted version: a second reviewer's decision loses.
            models.UniqueConstraint(
                fields=["worksheet", "version"], name="courses_svoreview_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worksheet_id} v{self.version}: {self.decision}"


class SvoStatementComment(models.Model):
    """A reviewer's comment on one statement (kept when the statement is later removed)."""

    review = models.ForeignKey(SvoReview, on_delete=models.CASCADE, related_name="comments")
    statement = models.ForeignKey(
        SvoStatement, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("SVO statement comment")
        verbose_name_plural = _("SVO statement comments")
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return self.text[:40]
