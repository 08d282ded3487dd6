"""Who may read the metrics: a bearer token, or a client address on an allow-list.

The metrics name every view, queue and task of the platform and tell how busy each tenant class
is; they are not for the public. Prometheus scrapes pods by IP with
`Authorization: Bearer $METRICS_TOKEN` (the Helm chart's ServiceMonitor does). For a scraper that
cannot send a header, `METRICS_ALLOWED_CIDRS` lists the networks it scrapes from.

- a correct token is accepted from anywhere (compared in constant time);
- a wrong token is refused with 403 even from an allowed address: a misconfigured scraper should
  fail loudly, not be rescued by where it happens to run;
- without a token, an allowed address is accepted unless the request came through a proxy
  (`X-Forwarded-For`/`Forwarded`/`X-Real-IP`): behind the ingress the address is the ingress
  controller's own, which must not open the endpoint to the Internet;
- everything else gets 404: the endpoint does not exist for the public.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# WSGI environ keys (and the same headers in http.server spelling) that mark a proxied request.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    status: int = 200
    code: str = ""
    message: str = ""


ALLOWED = Verdict(True)
NOT_FOUND = Verdict(False, 404, "not_found", "Not found.")
BAD_TOKEN = Verdict(False, 403, "forbidden", "The metrics token is not valid.")


@lru_cache(maxsize=8)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """`METRICS_ALLOWED_CIDRS` entries as networks; a bare address is a /32 (or /128)."""
    networks: list[IPNetwork] = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"METRICS_ALLOWED_CIDRS: {cidr!r} is not an address or network") from exc
    return tuple(networks)


def configured_networks() -> tuple[IPNetwork, ...]:
    return parse_networks(tuple(getattr(settings, "METRICS_ALLOWED_CIDRS", ())))


def _digest(value: str) -> bytes:
    # Comparing fixed-length digests: the comparison time reveals neither the token nor its length.
    return hashlib.sha256(value.encode()).digest()


def token_matches(presented: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(_digest(presented), _digest(expected))


def _address(raw: str | None) -> IPAddress | None:
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d
    return address


def address_allowed(raw: str | None, networks: Iterable[IPNetwork]) -> bool:
    address = _address(raw)
    return address is not None and any(address in network for network in networks)


def check(authorization: str | None, remote_addr: str | None, meta: Mapping[str, object]) -> Verdict:
    """Decide one request. `meta` is the WSGI environ (only the proxy headers are read)."""
    if authorization:
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() == "bearer" and token_matches(presented.strip(), getattr(settings, "METRICS_TOKEN", "")):
            return ALLOWED
        return BAD_TOKEN
    if any(meta.get(key) for key in PROXY_HEADERS):
        return NOT_FOUND
    if address_allowed(remote_addr, configured_networks()):
        return ALLOWED
    return NOT_FOUND
