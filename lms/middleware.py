"""Request middleware of the lms app."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class JapaneseFirstLocaleMiddleware(LocaleMiddleware):
    """Japanese unless the person chose another language with the switch in the header.

    Django's own middleware follows the browser's Accept-Language, so a PC set up in English
    would show a city hall's training in English. Here only the language cookie (set by the
    switch) overrides ``LANGUAGE_CODE``.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
