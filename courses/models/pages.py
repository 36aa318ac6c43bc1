"""The course tree authored in Wagtail.

    HomePage (content) > CourseIndexPage (/courses/) > CoursePage
        > LessonPage, QuizPage, and the SVO exercise page (its own issue), in the order editors
          arrange them

Pages give editors preview, revisions and the review workflow; everything a learner does is
stored outside the pages (``attempts``) and points back to them. A quiz's settings and slots
live in its revisions, and an attempt pins the revision it started on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import LessonBodyBlock
from .questions import Question, QuestionCategory

if TYPE_CHECKING:
    from django.http import HttpRequest

#: Page types that may be parts of a course. The SVO exercise issue appends its page type here
#: ("courses.SvoExercisePage"); CoursePage.subpage_types is this list.
COURSE_PART_TYPES: list[str] = [
    "courses.LessonPage",
    "courses.QuizPage",
    "courses.SvoExercisePage",
    "courses.VideoLessonPage",
    "courses.ScormLessonPage",
]


class CourseIndexPage(Page):
    """The list of courses (/courses/). One per site, under the home page."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).live().public().order_by("path")
        return context


class CoursePageForm(WagtailAdminPageForm):
    """The course editor's form: publishing (or submitting for review) a completion rule
    that names a part the course does not have is refused, with the missing part named.

    Saving a draft is not refused: a new course has no parts until it is saved, and editors
    add the parts after it. Wagtail defers validation only for a draft save.
    """

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.is_deferred_validation:
            return cleaned_data
        rule = {
            name: cleaned_data.get(name)
            for name in ("require_lessons", "require_quiz", "require_worksheet")
        }
        for field_name, message in self.instance.completion_rule_errors(**rule).items():
            self.add_error(field_name, message)
        return cleaned_data


class CoursePage(Page):
    """A course: description, settings and its parts as ordered child pages.

    The completion rule says which parts must be done (``courses.selectors.CourseProgress``);
    ``lms`` applies it to enrollments when it hears one of ``courses.signals``.
    ``trains_dx_pros`` is business meaning editors set, not a slug: a section whose people
    completed such a course counts as covered on HR's dashboard.
    """

    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=30)
    require_lessons = models.BooleanField(_("all lessons must be read"), default=True)
    require_quiz = models.BooleanField(_("the quizzes must be passed"), default=True)
    require_worksheet = models.BooleanField(_("the SVO worksheet must be approved"), default=False)
    certificate = models.BooleanField(_("issue a certificate on completion"), default=True)
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave blank for a certificate that never expires. With a period, the certificate "
            "shows its expiry date and assignments can re-enrol people before it runs out."
        ),
    )
    trains_dx_pros = models.BooleanField(
        _("trains DX PROs"),
        default=False,
        help_text=_(
            "Completing this course counts towards the goal of a trained DX PRO in every "
            "section (the coverage on HR's dashboard)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("estimated_minutes"),
        MultiFieldPanel(
            [
                FieldPanel("require_lessons"),
                FieldPanel("require_quiz"),
                FieldPanel("require_worksheet"),
                FieldPanel("certificate"),
                FieldPanel("certificate_valid_months"),
                FieldPanel("trains_dx_pros"),
            ],
            heading=_("Completion"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = COURSE_PART_TYPES
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")

    def parts(self):
        """Live parts in the order editors gave them."""
        return self.get_children().live().specific().order_by("path")

    def completion_rule_errors(
        self,
        *,
        require_lessons: bool | None = None,
        require_quiz: bool | None = None,
        require_worksheet: bool | None = None,
    ) -> dict[str, str]:
        """The conditions of the completion rule that the course's published parts cannot
        meet, as field name -> message (one query; empty when the rule holds on the content).

        ``CourseProgress`` never counts a named condition as met without its part; this
        keeps editors from publishing such a rule. Arguments override the page's own values
        (the form's cleaned data).
        """
        named = {
            "require_lessons": (
                self.require_lessons if require_lessons is None else require_lessons,
                LessonPage,
                _(
                    "The rule asks for every lesson to be read, but this course has no "
                    "published lesson. Add a lesson, or untick this condition."
                ),
            ),
            "require_quiz": (
                self.require_quiz if require_quiz is None else require_quiz,
                QuizPage,
                _(
                    "The rule asks for the quiz to be passed, but this course has no "
                    "published quiz. Add a quiz, or untick this condition."
                ),
            ),
            "require_worksheet": (
                self.require_worksheet if require_worksheet is None else require_worksheet,
                SvoExercisePage,
                _(
                    "The rule asks for an approved SVO worksheet, but this course has no "
                    "published SVO exercise. Add an SVO exercise (save the course as a draft "
                    "first), or untick this condition."
                ),
            ),
        }
        if not any(required for required, _model, _message in named.values()):
            return {}
        present: set[type] = set()
        if self.pk:
            present = set(self.get_children().live().values_list("content_type__model", flat=True))
        # A part's subclasses count as that part (a video lesson is a lesson).
        return {
            name: message
            for name, (required, model, message) in named.items()
            if required and not present & _model_names_of(model)
        }

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        # The learner's progress comes from the ``courses_progress`` template tags, so that the
        # models do not depend on the selectors that read them. The apps above add their panels
        # (the completion and the questionnaire) through the "course_page_panels" hook:
        # ``fn(request, course) -> html``.
        context = super().get_context(request, *args, **kwargs)
        context["parts"] = list(self.parts())
        context["panels"] = [
            html for hook in hooks.get_hooks("course_page_panels") if (html := hook(request, self))
        ]
        return context


def _model_names_of(model: type[Page]) -> set[str]:
    """The content type names of ``model`` and of its page subclasses."""
    return {model._meta.model_name} | {
        sub._meta.model_name for sub in model.__subclasses__() if not sub._meta.abstract
    }


class LessonPage(Page):
    """A lesson: a body with text and video, and optionally guidebook chapters to read.

    Without chapters the learner marks the lesson read; with chapters it counts as read when
    every linked chapter was read to the end (``content.signals.chapter_read``).
    """

    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(LessonBodyBlock(), blank=True, verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        InlinePanel("chapter_links", label=_("Guidebook chapters to read")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    #: Whether the learner marks it read with a button (kinds of lesson that report their own
    #: completion, such as SCORM and video, say False, and ``done_when`` says how it is done).
    read_by_button = True
    done_when = _("This lesson counts as done when you finish it.")

    class Meta:
        verbose_name = _("lesson")

    def chapter_ids(self) -> list[int]:
        return [link.chapter_id for link in self.chapter_links.all() if link.chapter_id]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        return context


class LessonChapter(Orderable):
    """A guidebook chapter a lesson asks the learner to read."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="chapter_links")
    chapter = models.ForeignKey(
        "content.ChapterPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("chapter"),
    )

    panels = [FieldPanel("chapter")]

    class Meta(Orderable.Meta):
        verbose_name = _("guidebook chapter")


class ReviewPolicy(models.TextChoices):
    SCORE = "score", _("Score and pass/fail only")
    RESPONSES = "responses", _("Also which answers were right, with feedback")
    FULL = "full", _("Also the right answers")


class QuizPage(Page):
    """A quiz: fixed questions and/or random draws from categories, with its rules.

    Learners start an attempt from this page; taking, saving and grading happen in
    ``courses.views`` and ``courses.services``.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts per fiscal year"), default=0, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    review_policy = models.CharField(
        _("after grading, learners see"),
        max_length=16,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.RESPONSES,
    )
    review_full_after_pass = models.BooleanField(
        _("show the right answers once passed"), default=True
    )
    markers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="marked_quizzes",
        verbose_name=_("markers of essay questions"),
        help_text=_(
            "Who marks the essay answers of this quiz, besides the DX PROs of each learner's "
            "unit (who mark them by default)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("slots", label=_("Questions"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
                FieldPanel("time_limit_minutes"),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("review_policy"),
                FieldPanel("review_full_after_pass"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("markers"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")

    def attempts_left_after(self, used: int) -> int | None:
        """The attempt limit: how many more attempts a learner who has started ``used`` this
        fiscal year may start; None when there is no limit. Starting an attempt is refused at
        0 (``courses.services.attempt_start``) and the quiz page shows the same figure."""
        if not self.max_attempts:
            return None
        return max(0, self.max_attempts - used)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        context["login_url"] = resolve_url(settings.LOGIN_URL)  # the sign-in page is lms's
        return context


class QuizSlot(Orderable):
    """One line of a quiz: a fixed question, or ``count`` random questions of a category."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("question"),
    )
    category = models.ForeignKey(
        QuestionCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("random from category"),
    )
    count = models.PositiveSmallIntegerField(_("how many random questions"), default=1)

    panels = [FieldPanel("question"), FieldRowPanel([FieldPanel("category"), FieldPanel("count")])]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")

    def clean(self) -> None:
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(_("Choose either one question or a category to draw from."))


class SvoExercisePage(Page):
    """The SVO exercise of a course: staff describe their own work as statements.

    Each statement is WHAT (subject - verb - object, with medium and volume), then WHY
    (purpose, beneficiary), then HOW (an improvement idea for that WHY). The page holds what
    editors decide - instructions, a worked example, how many statements and which fields are
    required; the worksheets themselves are ``SvoWorksheet`` rows outside the page. The review
    rule is fixed: a DX PRO of the author's unit (or the DX office for a unit without one)
    returns or approves, and approval completes this part of the course.
    """

    instructions = RichTextField(
        _("instructions"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    worked_example = RichTextField(
        _("worked example"), blank=True, features=["bold", "italic", "ol", "ul"]
    )
    min_statements = models.PositiveSmallIntegerField(
        _("minimum number of statements"), default=3, validators=[MinValueValidator(1)]
    )
    max_statements = models.PositiveSmallIntegerField(
        _("maximum number of statements"), default=10, validators=[MinValueValidator(1)]
    )
    require_medium = models.BooleanField(_("medium is required"), default=False)
    require_volume = models.BooleanField(
        _("count per year and minutes per case are required"), default=False
    )
    require_beneficiary = models.BooleanField(_("beneficiary is required"), default=False)
    require_idea = models.BooleanField(
        _("an improvement idea is required for each statement"), default=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("instructions"),
        FieldPanel("worked_example"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_statements"), FieldPanel("max_statements")]),
                FieldPanel("require_medium"),
                FieldPanel("require_volume"),
                FieldPanel("require_beneficiary"),
                FieldPanel("require_idea"),
            ],
            heading=_("Rules"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("SVO exercise")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific
        return context

    def clean(self) -> None:
        super().clean()
        if (
            self.min_statements
            and self.max_statements
            and self.min_statements > self.max_statements
        ):
            raise ValidationError(
                {"max_statements": _("The maximum must not be below the minimum.")}
            )
