"""A bare Django app for the routing-overhead benchmark: the same branding JSON, no tenant middleware.

Served by gunicorn with the same settings as the real app: `gunicorn bench.bare_app:application`.
"""

from __future__ import annotations

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"],
    INSTALLED_APPS=[],
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

DOCUMENT = {
    "display_name": "Acme Fashion",
    "logo_url": None,
    "favicon_url": None,
    "primary_color": "#0F766E",
    "accent_color": "#F59E0B",
    "support_email": None,
    "metrika_id": None,
    "tenant": {"slug": "acme", "kind": "corporate", "name": "Acme Fashion"},
}


def branding(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(DOCUMENT)
    response["Cache-Control"] = "public, max-age=60"
    return response


def progress(request: HttpRequest, lesson_id: int) -> JsonResponse:
    """Baseline for the heartbeat benchmark: parse the JSON body, answer JSON, nothing else."""
    import json

    body = json.loads(request.body or b"{}")
    return JsonResponse({"position_seconds": body.get("position_seconds", 0), "completed": False})


urlpatterns = [
    path("api/branding/", branding),
    path("api/learning/lessons/<int:lesson_id>/progress/", csrf_exempt(progress)),
]
application = get_wsgi_application()
