"""Keep secrets out of logs: passwords, tokens, cookies, SAML messages, OIDC codes, card data.

Three layers, because no single one is enough:

1. Keys. A value logged under a sensitive name (`password`, `*token*`, `authorization`, `cookie`,
   `SAMLResponse`, `code`, `cvv`, …) in `extra=` dicts, mapping arguments or `key=value` text is
   replaced, whatever it looks like.
2. Shapes. JWTs, `Bearer …` credentials, SAML XML, long base64 blobs (an encoded SAMLResponse), PEM
   keys, random-looking tokens and Luhn-valid card numbers are replaced wherever they appear.
3. The current request's own secrets. The values of its Authorization header, its cookies, its
   sensitive query parameters and sensitive URL arguments (an invitation token in the path) are
   replaced verbatim, so even a message that quotes them out of any recognisable context is clean.

`RedactionFilter` applies all three to each record once, before any handler formats it; LOGGING
puts it on every handler (config: `lib.logs.config`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import context

if TYPE_CHECKING:
    from django.http import HttpRequest

REDACTED = "[REDACTED]"

# Key names: a substring match for unambiguous words, an exact match for short ones that are also
# ordinary words inside other names (`code` but not `status_code`, `pan` but not `company`).
_KEY_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "authorization",
    "cookie",
    "samlresponse",
    "samlrequest",
    "saml_response",
    "saml_request",
    "assertion",
    "signature",
    "credential",
    "apikey",
    "api_key",
    "private_key",
    "privatekey",
    "cvv",
    "cvc",
    "card_number",
    "cardnumber",
    "refresh",
    "csrf",
    "jwt",
    "accesskey",
    "access_key",
)
# `args`/`kwargs`/`body`: Celery writes a task's arguments into its log records, and task payloads
# (an e-mail body with an invitation link) carry secrets as often as request bodies do.
_KEY_EXACT = frozenset(
    {"code", "otp", "pan", "pin", "csc", "access", "session", "sessionid", "auth", "test", "state", "nonce"}
    | {"args", "kwargs", "body"}
)


def is_sensitive_key(key: object) -> bool:
    name = str(key).strip().lower().replace("-", "_")
    return name in _KEY_EXACT or any(word in name for word in _KEY_WORDS)


# `key=value`, `key: value`, `"key": "value"` in free text (messages, URLs, headers quoted in
# exception texts): any key is matched, and `_key_value` redacts the value when the key is sensitive
# (the regex stays simple and fast; the key test is `is_sensitive_key`). A quoted value ends at its
# closing quote, a bare one at whitespace, a quote or a separator.
_KEY_VALUE = re.compile(
    r"(?<![\w.-])(?P<key>[\w.-]{1,80})"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?!\[REDACTED)"
    r"(?P<value>(?P<quote>[\"'])(?:\\.|(?!(?P=quote)).)*(?P=quote)|[\"']?[^\s\"'&,;}\]]+)"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_AUTH_SCHEME = re.compile(r"\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE)
_SAML_XML = re.compile(
    r"<(?:[\w-]+:)?(Response|Assertion|EncryptedAssertion|AuthnRequest|LogoutRequest|LogoutResponse)\b"
    r".*?(?:</(?:[\w-]+:)?\1\s*>|\Z)",
    re.DOTALL,
)
_PEM = re.compile(r"-----BEGIN [A-Z ]+-----.*?(?:-----END [A-Z ]+-----|\Z)", re.DOTALL)
# An encoded SAML message, a key or any other long opaque payload (base64 or base64url) mixing
# upper case, lower case and digits (a long URL path of words does not).
_MIXED = r"(?=[A-Za-z0-9+/_-]*[A-Z])(?=[A-Za-z0-9+/_-]*[a-z])(?=[A-Za-z0-9+/_-]*\d)"
_BLOB = re.compile(r"(?<![A-Za-z0-9+/_-])" + _MIXED + r"(?:[A-Za-z0-9+/]{120,}={0,2}|[A-Za-z0-9_-]{120,})")
# Random-looking tokens (token_urlsafe and friends): long runs mixing upper case, lower case and
# digits (`_token_like`). Identifiers, slugs, UUIDs and hex digests do not mix all three.
_LONG_RUN = re.compile(r"[A-Za-z0-9_-]{24,}")
# A card security code after its name, even without `=`/`:` ("cvv 737").
_CVV = re.compile(r"(?<![\w-])(cvv2?|cvc2?|csc|cid)(\W{1,3})\d{3,4}(?!\d)", re.IGNORECASE)
# 13–19 digits, optionally grouped by spaces or dashes: redacted when the Luhn check passes.
_FOUR_DIGITS = re.compile(r"\d{4}")  # every card number format has a group of four
_PAN_CANDIDATE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
_MIN_SECRET_LENGTH = 6  # shorter request values are too likely to occur by chance (ids, "true")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _pan(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[REDACTED:card]" if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _token_like(match: re.Match[str]) -> str:
    run = match.group(0)
    mixed = not run.islower() and not run.isupper() and any(char.isdigit() for char in run)
    return "[REDACTED:token]" if mixed else run


def _key_value(match: re.Match[str]) -> str:
    key, sep, value = match.group("key"), match.group("sep"), match.group("value")
    if not is_sensitive_key(key.strip("\"'")):
        # not sensitive: keep it, but look inside its value (`next=/x?code=…`)
        return key + sep + _KEY_VALUE.sub(_key_value, value)
    quote = match.group("quote") or ""
    return f"{key}{sep}{quote}{REDACTED}{quote}"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret the patterns (and `secrets`, verbatim values) recognise replaced."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _MIN_SECRET_LENGTH and secret in text:
            text = text.replace(secret, REDACTED)
    if "<" in text:
        text = _SAML_XML.sub("[REDACTED:saml]", text)
    if "-----BEGIN" in text:
        text = _PEM.sub("[REDACTED:pem]", text)
    lower = text.lower()
    if "eyj" in lower:
        text = _JWT.sub("[REDACTED:jwt]", text)
    if len(text) >= 120:
        text = _BLOB.sub("[REDACTED:blob]", text)
    if any(scheme in lower for scheme in ("bearer", "basic", "token", "digest")):
        text = _AUTH_SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    if "=" in text or ":" in text:
        text = _KEY_VALUE.sub(_key_value, text)
    if any(name in lower for name in ("cvv", "cvc", "csc", "cid")):
        text = _CVV.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _LONG_RUN.sub(_token_like, text)
    if _FOUR_DIGITS.search(text):
        text = _PAN_CANDIDATE.sub(_pan, text)
    return text


def redact_value(value: Any, secrets: Iterable[str] = (), depth: int = 0) -> Any:
    """A copy of `value` (dicts, lists and strings, recursively) with sensitive keys and
    recognisable secrets replaced; other types are returned as they are."""
    if isinstance(value, str):
        return scrub(value, secrets)
    if depth > 6:  # deep or self-referencing structures: give up on detail, never on safety
        return REDACTED
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_sensitive_key(key) else redact_value(item, secrets, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact_value(item, secrets, depth + 1) for item in value]
    if isinstance(value, bytes):
        return scrub(value.decode("utf-8", "replace"), secrets)
    return value


def request_secrets() -> list[str]:
    """The current request's own secret values: the Authorization credentials, every cookie value,
    sensitive query parameters and sensitive URL arguments (an invitation token in the path)."""
    request = context.current_request()
    if request is None:
        return []
    found: list[str] = []
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        found.append(authorization.split(None, 1)[-1])
    found.extend(request.COOKIES.values())
    found.extend(value for key, values in request.GET.lists() if is_sensitive_key(key) for value in values)
    post = request.__dict__.get("_post")  # only if already parsed: logging never reads the body
    if post is not None:
        found.extend(value for key, values in post.lists() if is_sensitive_key(key) for value in values)
    match = getattr(request, "resolver_match", None)
    if match is not None:
        found.extend(str(value) for key, value in match.kwargs.items() if is_sensitive_key(key))
    return [value for value in found if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH]


def sanitized_path(request: HttpRequest) -> str:
    """The request path fit for a log line: sensitive URL arguments (an invitation or reset token)
    and anything shaped like a secret replaced. Never the query string."""
    match = getattr(request, "resolver_match", None)
    secrets = [str(v) for k, v in match.kwargs.items() if is_sensitive_key(k)] if match is not None else []
    return scrub(request.path, secrets)


# Attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys() | {"message", "asctime", "taskName"}
)
# Context fields stamped by `ContextFilter`: set by the platform, never by callers' secrets.
CONTEXT_ATTRIBUTES = frozenset({"request_id", "tenant", "user_id"})


class RedactionFilter(logging.Filter):
    """Redacts a record in place (message, arguments, exception text, extras), once.

    The message is rendered here with its arguments so a secret passed as an argument is caught;
    `args` is then cleared so no formatter renders the raw values again."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.__dict__.get("_ffs_redacted"):
            return True
        secrets = request_secrets()
        if isinstance(record.args, Mapping):
            record.args = redact_value(record.args, secrets)  # type: ignore[assignment]
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, drop the arguments
            message = f"{record.msg} (unformattable arguments)"
        record.msg = scrub(str(message), secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info, secrets)
        for key in [k for k in record.__dict__ if k not in STANDARD_ATTRIBUTES and k not in CONTEXT_ATTRIBUTES]:
            value = record.__dict__[key]
            record.__dict__[key] = REDACTED if is_sensitive_key(key) else redact_value(value, secrets)
        record._ffs_redacted = True
        return True
