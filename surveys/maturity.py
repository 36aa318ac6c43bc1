"""The digital-maturity scale: four axes, five levels each, with what each level looks like.

A department rates itself once a year. The descriptions are what makes the levels comparable
between departments and years: the person entering picks the description that fits, not a
number that feels right.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Axis:
    """One axis of the scale: the model field, its name, and a description per level 1-5."""

    field: str
    label: Promise
    question: Promise
    levels: tuple[Promise, Promise, Promise, Promise, Promise]

    def describe(self, level: int) -> Promise:
        return self.levels[level - 1]


AXES: tuple[Axis, ...] = (
    Axis(
        field="it_literacy",
        label=_("IT literacy"),
        question=_("How well do people in the department use everyday digital tools?"),
        levels=(
            _("Many people need help with e-mail, shared folders or the groupware."),
            _("Most people handle the basic tools alone; spreadsheets are used as paper."),
            _("People use spreadsheets, shared calendars and online forms without help."),
            _("Several people automate routine steps (formulas, templates, simple no-code apps)."),
            _("Most people pick the right tool for a task and teach colleagues."),
        ),
    ),
    Axis(
        field="in_house_systems",
        label=_("In-house systems"),
        question=_("How much of the department's work do its own people put into systems?"),
        levels=(
            _("Work runs on paper and on systems that only a vendor can change."),
            _("Some lists and forms are digital, kept by one person each."),
            _("The department keeps a few shared digital tools of its own up to date."),
            _(
                "The department builds and changes small apps itself, with the DX office as "
                "companion."
            ),
            _(
                "Processes are redesigned end to end, and the department's own apps serve "
                "residents."
            ),
        ),
    ),
    Axis(
        field="organisation",
        label=_("Organisation"),
        question=_("How well does the department organise improvement work?"),
        levels=(
            _("Nobody is in charge of improving how the work is done."),
            _("A contact person for DX exists, but has no time or mandate for it."),
            _("Each section has a DX PRO, and improvements are discussed in meetings."),
            _("Improvement work is planned, followed up and supported by the managers."),
            _("Results are measured every year and good practice spreads to other departments."),
        ),
    ),
    Axis(
        field="will_to_improve",
        label=_("Will to improve"),
        question=_("How do people in the department feel about changing the way they work?"),
        levels=(
            _("Change feels imposed; people wait to be told what to do."),
            _("A few people are interested, most stay on the side."),
            _('Asking "why do we do it this way?" is accepted in the department.'),
            _("People propose improvements of their own work on their own initiative."),
            _("Trying, measuring and improving is part of everyday work."),
        ),
    ),
)

AXIS_BY_FIELD = {axis.field: axis for axis in AXES}
