"""Demo data: the city (people, units, roles), its content and what its staff did with it."""

from .city import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_city_plan, demo_city_seed, minimum_staff
from .content import demo_content_seed

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "demo_city_plan",
    "demo_city_seed",
    "demo_content_seed",
    "minimum_staff",
]
