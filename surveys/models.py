"""Surveys: the questionnaire after a course, and the yearly digital-maturity self-assessment.

Both answer questions HR asks every year: "what did staff think of the training?" (per
department, without names) and "where does each department stand on the four axes of digital
maturity, and is it moving?" (a trend per fiscal year). Surveys depend on ``lms`` (units, people,
who may see whom) and on ``courses`` (the course a questionnaire follows); neither knows about
surveys, so the questionnaire points at the course, not the other way round.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

LIKERT_MIN, LIKERT_MAX = 1, 5


class Questionnaire(ClusterableModel):
    """An optional questionnaire offered to staff who completed a course.

    HR edits it in the CMS as a snippet, with its items in order. A course has at most one
    active questionnaire; answers are kept per person, course and fiscal year (once each).
    """

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the questions.")
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Offered to everyone who completed this course."),
    )
    is_active = models.BooleanField(
        _("offered to staff"), default=True, help_text=_("Untick to stop offering it.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("course"),
        FieldPanel("intro"),
        FieldPanel("is_active"),
        InlinePanel("items", label=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["course"], condition=Q(is_active=True), name="questionnaire_one_per_course"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 (disagree) to 5 (agree)")
    TEXT = "text", _("Free text")


class QuestionnaireItem(Orderable):
    """One question of a questionnaire: a statement to rate 1-5, or a free-text question."""

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    required = models.BooleanField(_("required"), default=False)

    panels = [FieldPanel("text"), FieldPanel("kind"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers to a course's questionnaire for one fiscal year.

    The person is kept only so nobody answers twice; results never show who answered. The unit
    is the one the person sat in when answering, so results stay with the department they came
    from after an April transfer.
    """

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit when answering"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "fiscal_year"], name="surveyresponse_once_a_year"
            )
        ]
        indexes = [
            models.Index(fields=["questionnaire", "fiscal_year"], name="surveyresponse_year")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.fiscal_year}/{self.pk}"


class SurveyAnswer(models.Model):
    """The answer to one item: a rating for a Likert item, a text for a free-text one."""

    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    item = models.ForeignKey(
        QuestionnaireItem,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LIKERT_MIN), MaxValueValidator(LIKERT_MAX)],
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="surveyanswer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=LIKERT_MIN, rating__lte=LIKERT_MAX),
                name="surveyanswer_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.item_id}"


class MaturityAssessment(models.Model):
    """A department's digital-maturity self-assessment for one fiscal year.

    Four axes (IT literacy, in-house systems, organisation, will to improve), each a level from
    1 to 5 whose meaning is written out in ``surveys.maturity``. Entered by HR or the
    department's manager, once per year (a second entry in the same year corrects the first),
    so the yearly trend shows whether a department is moving.
    """

    department = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    it_literacy = models.PositiveSmallIntegerField(
        _("IT literacy"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    in_house_systems = models.PositiveSmallIntegerField(
        _("In-house systems"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("Organisation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    will_to_improve = models.PositiveSmallIntegerField(
        _("Will to improve"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    AXES = ("it_literacy", "in_house_systems", "organisation", "will_to_improve")

    class Meta:
        verbose_name = _("digital-maturity self-assessment")
        verbose_name_plural = _("digital-maturity self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "fiscal_year"], name="maturity_once_a_year"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{axis}__gte": 1, f"{axis}__lte": 5}),
                    name=f"maturity_{axis}_level",
                )
                for axis in ("it_literacy", "in_house_systems", "organisation", "will_to_improve")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.fiscal_year}"

    def levels(self) -> tuple[int, ...]:
        return tuple(getattr(self, axis) for axis in self.AXES)
