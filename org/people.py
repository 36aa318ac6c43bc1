"""What the roster says about a person: the position (職名), the employment type (雇用区分)
and the one spelling of an employee number (職員番号). The user model (``lms.User``) keeps
these; the roster import and the scope rules read them."""

import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Position(models.TextChoices):
    """職名, highest first. The order is used for sorting and for "manager" positions."""

    DIRECTOR_GENERAL = "director_general", _("Director-General (局長)")
    DIRECTOR = "director", _("Director (部長)")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy Director (次長)")
    SECTION_CHIEF = "section_chief", _("Section Chief (課長)")
    ASSISTANT_CHIEF = "assistant_chief", _("Assistant Section Chief (課長補佐)")
    UNIT_CHIEF = "unit_chief", _("Unit Chief (係長)")
    SENIOR_STAFF = "senior_staff", _("Senior Staff (主任)")
    CLERK = "clerk", _("Clerk (主事)")
    ENGINEER = "engineer", _("Engineer (技師)")
    OTHER = "other", _("Other")


#: Positions whose holders manage the unit they belong to (and everything below it).
MANAGER_POSITIONS = frozenset(
    {
        Position.DIRECTOR_GENERAL,
        Position.DIRECTOR,
        Position.DEPUTY_DIRECTOR,
        Position.SECTION_CHIEF,
    }
)


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("Regular staff (正規職員)")
    REAPPOINTED = "reappointed", _("Re-appointed (再任用)")
    FIXED_TERM = "fixed_term", _("Fixed-term (会計年度任用職員)")


def normalize_employee_number(value: str) -> str:
    """Full-width digits and letters become ASCII, spaces go, letters are upper-cased.

    The usual plain number skips the Unicode work (a roster calls this 100,000 times)."""
    if value and value.isascii() and value.isalnum():
        return value.upper()
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()
