"""The demo's content and training: the guidebook, the courses, and what staff did with them.

Each app's demo content has a module of its own here (``guidebook``, ``courses``, ``svo``,
``training``, ``reading``); this module runs them in dependency order, so ``seed_demo`` stays
one command.
"""

from __future__ import annotations

from typing import Any

from core.fiscal import current_fiscal_year

from .courses import courses_seed
from .guidebook import guidebook_seed
from .reading import reading_demo_seed
from .svo import svo_demo_seed
from .training import training_demo_seed


def demo_content_seed() -> dict[str, Any]:
    """Seed the guidebook, the courses built on its summary edition, demo SVO worksheets,
    then assign the mandatory course to everyone with a spread of progress, and record the
    guidebook reading that goes with that progress. Idempotent."""
    guidebook = guidebook_seed(fiscal_year=current_fiscal_year())
    courses = courses_seed()
    worksheets = svo_demo_seed()
    training = training_demo_seed()
    return {
        "guidebook": guidebook,
        "courses": courses,
        "worksheets": worksheets,
        "training": training,
        "reading": reading_demo_seed(),
    }
