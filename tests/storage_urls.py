"""Helpers to tamper with presigned URLs, for SigV4 (`X-Amz-Signature`) and SigV2 (`Signature`)."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, quote, unquote, urlsplit


def signature_of(url: str) -> str:
    match = re.search(r"(?:X-Amz-Signature|[?&]Signature)=([^&]+)", url)
    assert match, url
    return match.group(1)


def tamper_signature(url: str) -> str:
    """Change one character of the signature (keeping it well-formed)."""
    raw = signature_of(url)
    signature = unquote(raw)
    first = "A" if signature[0] != "A" else "B"
    if re.fullmatch(r"[0-9a-f]+", signature):
        first = "0" if signature[0] != "0" else "1"
    return url.replace(raw, quote(first + signature[1:], safe=""))


def seconds_valid(url: str) -> float:
    query = parse_qs(urlsplit(url).query)
    if "X-Amz-Expires" in query:
        return float(query["X-Amz-Expires"][0])
    return float(query["Expires"][0]) - time.time()
