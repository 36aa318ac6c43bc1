"""The language a person reads the platform in: chosen with the switch in the header.

Django's ``set_language`` keeps the choice in a cookie, i.e. on one PC. A signed-in person's
choice is also kept on their record (``User.language``), so the screens follow them to any PC
and their notices (``core.notices.rendering.recipient_language``) are written in it.
"""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from org import access

from ..models import User


def language_choose(*, user: User, language: str) -> bool:
    """Keep ``language`` as the signed-in ``user``'s own; True when it changed. There is no
    other person to name: nobody chooses a language for someone else (the roster's 言語
    column only starts one, ``org.roster``)."""
    access.require(access.can_choose_language(user))
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


@require_POST
def set_language(request):
    """Django's switch (cookie and redirect), and the choice kept for the person signed in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if access.can_choose_language(request.user):
        language_choose(user=request.user, language=language)
    return response
