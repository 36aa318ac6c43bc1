"""Staff members: the custom user model and the profile fields HR's roster carries."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.people import EmploymentType, Position, normalize_employee_number


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, employee_number: str, password: str | None, **fields) -> "User":
        if not employee_number:
            raise ValueError("An employee number is required.")
        fields["email"] = self.normalize_email(fields.get("email", "")).lower()
        user = self.model(employee_number=normalize_employee_number(employee_number), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, employee_number: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(employee_number, password, **fields)

    def create_superuser(self, employee_number: str, password: str | None = None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(employee_number, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff, or a service account such as the administrator.

    Staff sign in with their employee number (職員番号) or e-mail address. The roster import
    owns the profile fields; a person who leaves is deactivated, never deleted, so their
    completions and reviews remain in the records.
    """

    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    display_name = models.CharField(_("name"), max_length=100)
    kana = models.CharField(_("name in kana"), max_length=100, blank=True)
    position = models.CharField(
        _("position"), max_length=32, choices=Position.choices, default=Position.CLERK
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=16,
        choices=EmploymentType.choices,
        default=EmploymentType.REGULAR,
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("May sign in to the Django admin site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The roster's 入庁日 and the day the roster import first saw the person in their current
    # unit: the dates a relative due date counts from (``Assignment.due_rule``).
    joined_on = models.DateField(_("joined the city on"), null=True, blank=True)
    unit_since = models.DateField(_("in the unit since"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    # Chosen with the language switch while signed in: the screens follow the person to any
    # PC, and their notices are written in it. Blank: the city's language (LANGUAGE_CODE).
    # A database default too: bulk writers (the benchmark's COPY) name only roster fields.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        db_default="",
        choices=settings.LANGUAGES,
    )
    # Only people HR's roster brought in are deactivated when a full roster leaves them out:
    # the administrator and other service accounts are never touched by an import.
    from_roster = models.BooleanField(
        _("from the roster"),
        default=False,
        help_text=_(
            "Created or updated by a roster import; deactivated when a full roster "
            "no longer lists them."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "employee_number"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_unique_email_ci"
            ),
        ]
        indexes = [models.Index(fields=["unit", "is_active"], name="user_unit_active")]

    def __str__(self) -> str:
        return (
            f"{self.display_name} ({self.employee_number})"
            if self.display_name
            else (self.employee_number)
        )

    def clean(self) -> None:
        super().clean()
        self.employee_number = normalize_employee_number(self.employee_number)
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name
