"""Language selection per request: Russian first, English second.

A lean replacement for Django's LocaleMiddleware (which also handles URL language prefixes and a
language cookie we do not use): the SPA sends `Accept-Language`, and parsing one header through an
LRU cache is a fraction of the cost (measured in docs/performance.md, routing benchmark).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


@lru_cache(maxsize=512)
def choose_language(accept_language: str) -> str:
    supported = {code for code, _ in settings.LANGUAGES}
    for tag, _quality in parse_accept_lang_header(accept_language[:255]):
        base = tag.split("-")[0].lower()
        if base in supported:
            return base
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = choose_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if "Content-Language" not in response:
            response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response
