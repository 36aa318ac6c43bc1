"""Who may see and change whose data: the one place that answers it.

Every view, selector, service, task and admin screen that touches a person's records asks
here; no other module states a scope rule. The rules:

- everyone sees themselves; nobody who is signed out or deactivated sees anything;
- HR (the ``HR`` group) and superusers see everyone and manage the organisation;
- a manager sees everyone under the units they manage: the unit they sit in when their
  position is a manager position (部長, 課長 ...), plus any explicit ``ManagerAssignment``;
  for those units (their 「担当の所属」) they read the submitted worksheets (deciding on
  them only when also their DX PRO) and the DX plans, and send 受講のお願い;
- a DX PRO sees everyone under the units they are appointed to for the fiscal year, and
  reviews their SVO worksheets; a worksheet whose author sits where no DX PRO is appointed
  goes to HR instead; nobody reviews their own;
- a DX execution plan is seen and changed by its worksheet's author, its owner and a DX PRO
  of the author's unit; HR reads every plan, a manager the plans of their units' people;
- content editors and everyone else see nobody but themselves;
- HR changes people through the roster import, but never anyone "above HR" (``above_hr``):
  superusers, Django admin (``is_staff``) accounts, and whoever holds a permission, page or
  collection right that the HR group does not; else HR could take over such an account by
  changing its e-mail address and asking for a password reset. For the same reason HR's
  first sign-in codes (``can_issue_activation_codes``) are never issued for them.

Scopes become a handful of path prefixes (``org.paths.under``), so "people I may see" stays
one indexed query whatever the size of the city. What a request asks several times is kept
on the user object for that request (``memo``); the user is loaded afresh for every request.

The rules are stated in terms of people and units only, so apps above (courses, lms, surveys)
apply them to their own rows by naming the field that leads to the person (``author=...``).
Services that change data call ``require`` before they act (Wagtail's check, then execute);
a service called without a person (``by=None``) is the system acting: a task, a command.

The package is split by concern, and everyone imports it as ``org.access``: ``roles`` (who
holds which role, the memo, ``require``), ``people`` (people, units and what may be done to
them), ``worksheets`` (review, reading and marking), ``plans`` (DX execution plans) and
``heads`` (the managers and DX PROs over many people at once).
"""

from __future__ import annotations

from .heads import Heads, managers_of
from .people import (
    can_assess_department,
    can_choose_language,
    can_issue_activation_codes,
    can_read_roster_files,
    can_schedule_reports,
    can_send_reminders,
    can_view_person,
    can_view_unit,
    can_view_units,
    hr_required,
    manages,
    reminder_scope,
    visible_people,
    visible_units,
)
from .plans import (
    can_create_plan_for,
    can_edit_plan,
    can_view_plan,
    sees_plan_list,
    visible_plans,
)
from .roles import (
    above_hr,
    can_view_page,
    dx_pro_unit_paths,
    is_above_hr,
    is_dx_pro,
    is_editor,
    is_hr,
    is_manager,
    managed_unit_names,
    managed_unit_paths,
    memo,
    require,
    role_labels,
)
from .worksheets import (
    can_read_worksheets_of,
    can_review_worksheets_of,
    in_managed_units,
    is_dx_pro_of,
    markable,
    readable,
    reviewable,
    reviewers_of,
    sees_review_queue,
)

__all__ = [
    "Heads",
    "above_hr",
    "can_assess_department",
    "can_choose_language",
    "can_create_plan_for",
    "can_edit_plan",
    "can_issue_activation_codes",
    "can_read_roster_files",
    "can_read_worksheets_of",
    "can_review_worksheets_of",
    "can_schedule_reports",
    "can_send_reminders",
    "can_view_page",
    "can_view_person",
    "can_view_plan",
    "can_view_unit",
    "can_view_units",
    "dx_pro_unit_paths",
    "hr_required",
    "in_managed_units",
    "is_above_hr",
    "is_dx_pro",
    "is_dx_pro_of",
    "is_editor",
    "is_hr",
    "is_manager",
    "managed_unit_names",
    "managed_unit_paths",
    "managers_of",
    "manages",
    "markable",
    "memo",
    "readable",
    "reminder_scope",
    "require",
    "reviewable",
    "reviewers_of",
    "role_labels",
    "sees_plan_list",
    "sees_review_queue",
    "visible_people",
    "visible_plans",
    "visible_units",
]
