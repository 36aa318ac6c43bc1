"""The question bank: questions are snippets, filed in categories, with ordered answers.

One ``Question`` model covers every type; what the ``Answer`` rows mean depends on the type:

* single / multiple choice and true/false: each answer is a choice with a ``fraction``
  (percentage of the points it earns, negative for a penalty) and feedback. True/false has
  exactly two answers whose text is ``true`` and ``false``.
* short answer: each answer is an accepted text (``*`` is a wildcard) with its fraction;
  learner and accepted texts are compared after normalisation (``courses.grading.normalise``).
* numeric: each answer is a ``value`` with a ``tolerance`` (a range a..b is stored as its
  midpoint and half-width); an answer with no value and the text ``*`` matches any number (as
  Moodle's GIFT ``{#3:2~#feedback}`` stores its wrong-answer feedback).
* matching: each answer is a pair, ``text`` (the item on the left) and ``match_text`` (its
  answer); a pair with no ``text`` only adds a wrong answer to the lists.
* essay: no answers; a marker scores it by hand (``courses.marking``).
* description: no answers and no points; text shown between the questions of a quiz.

Quizzes never grade against these rows directly: an attempt copies what it needs when it
starts (see ``courses.quiz.draw``), so editing the bank never changes a past grade.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True/false")
    SHORT = "short", _("Short answer")
    NUMERIC = "numeric", _("Numeric")
    MATCHING = "matching", _("Matching")
    ESSAY = "essay", _("Essay (marked by hand)")
    DESCRIPTION = "description", _("Description (text only)")


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)
#: Types that have no answer rows.
NO_ANSWER_TYPES = (QuestionType.ESSAY, QuestionType.DESCRIPTION)


def answers_problem(qtype: str, answers: list[dict]) -> str | None:
    """What is missing from the answers (dicts of ``Answer`` fields) a question of ``qtype``
    needs to be answerable, or None. Essays and descriptions need none."""
    right = [a for a in answers if (a.get("fraction") or 0) > 0]
    if qtype in CHOICE_TYPES and (len(answers) < 2 or not right):
        return _("A choice question needs at least two answers, one of them with credit.")
    if qtype == QuestionType.SHORT and not any(a.get("text") for a in right):
        return _("A short-answer question needs an accepted answer with credit.")
    if qtype == QuestionType.NUMERIC and not any(a.get("value") is not None for a in right):
        return _("A numeric question needs a numeric value with credit.")
    if qtype == QuestionType.MATCHING and (
        sum(1 for a in answers if a.get("text")) < 2
        or not all(a.get("match_text") for a in answers)
    ):
        return _("A matching question needs at least two pairs, each with its matching answer.")
    return None


class QuestionForm(WagtailAdminModelForm):
    """The question editor: the answers must fit the type (``answers_problem``)."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        answers = [
            form.cleaned_data
            for form in self.formsets["answers"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problem = answers_problem(self.cleaned_data["qtype"], answers)
        if problem:
            self.add_error(None, problem)
            return False
        return True


class QuestionCategory(models.Model):
    """A shelf of the bank; quizzes draw random questions from a category."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.name


class Question(index.Indexed, ClusterableModel):
    """A question of any supported type, with its points and feedback."""

    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    name = models.CharField(
        _("name"), max_length=255, help_text=_("A short name editors recognise it by.")
    )
    qtype = models.CharField(
        _("type"), max_length=16, choices=QuestionType.choices, default=QuestionType.SINGLE
    )
    text = models.TextField(_("question text"))
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=True,
        help_text=_(
            "Multiple choice: give part of the points for a partly right selection. "
            "When off, only the exact set of right choices scores."
        ),
    )
    ignore_case = models.BooleanField(
        _("ignore upper/lower case"),
        default=True,
        help_text=_("Short answer: “DX”, “dx” and “ＤＸ” count as the same."),
    )
    ignore_kana = models.BooleanField(
        _("ignore hiragana/katakana"),
        default=True,
        help_text=_("Short answer: “でじたる” and “デジタル” count as the same."),
    )
    general_feedback = models.TextField(
        _("general feedback"), blank=True, help_text=_("Shown after grading, whatever the answer.")
    )
    correct_feedback = models.TextField(_("feedback when right"), blank=True)
    incorrect_feedback = models.TextField(_("feedback when wrong"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("qtype"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("points"), FieldPanel("partial_credit")]),
        FieldRowPanel([FieldPanel("ignore_case"), FieldPanel("ignore_kana")]),
        InlinePanel(
            "answers",
            label=_("Answers"),
            help_text=_("Essay and description questions have none."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("general_feedback"),
                FieldPanel("correct_feedback"),
                FieldPanel("incorrect_feedback"),
            ],
            heading=_("Feedback"),
        ),
    ]
    base_form_class = QuestionForm
    search_fields = [
        index.SearchField("name"),
        index.SearchField("text"),
        index.FilterField("category"),
        index.FilterField("qtype"),
    ]

    class Meta:
        ordering = ["category__name", "name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["category", "name"])]

    def __str__(self) -> str:
        # Editors recognise a question by what it asks; the name is a column beside it.
        return Truncator(" ".join(self.text.split())).chars(60) or self.name


class Answer(Orderable):
    """One choice, accepted text or numeric value of a question (see the module docstring)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(
        _("text"), max_length=1000, blank=True, help_text=_("Choice or accepted answer.")
    )
    fraction = models.DecimalField(
        _("credit (%)"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text=_("100 for a right answer, 0 for a wrong one, negative for a penalty."),
    )
    match_text = models.CharField(
        _("matching answer"),
        max_length=1000,
        blank=True,
        help_text=_("Matching: the answer paired with the text on the left."),
    )
    value = models.DecimalField(
        _("numeric value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=6, default=Decimal("0")
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("match_text")]),
        FieldRowPanel([FieldPanel("fraction"), FieldPanel("value"), FieldPanel("tolerance")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        if self.value is not None:
            return f"{self.value}±{self.tolerance}"
        if self.match_text:
            return f"{self.text} → {self.match_text}"
        return self.text
