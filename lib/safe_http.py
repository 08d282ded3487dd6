"""Fetching a URL that a tenant admin typed (SAML metadata, OIDC discovery) without SSRF.

The server must not become a proxy into its own network: the host is resolved once, every address
it resolves to must be public (no loopback, private, link-local, multicast, reserved or unspecified
ranges — the cloud metadata endpoint 169.254.169.254 is link-local), and the connection is made to
that vetted address (so a DNS answer cannot change between the check and the request). Redirects
are not followed; the body is limited in size and the whole exchange in time (one deadline,
not a per-read timeout). IPv6 forms that tunnel to an IPv4 address (mapped, NAT64, 6to4, Teredo)
are judged by that IPv4 address.

`settings.SSO_ALLOW_PRIVATE_URLS` lifts the address check for development and tests, where the
identity providers run on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from lib.errors import DomainError

DEFAULT_TIMEOUT = 5.0
DNS_TIMEOUT = 3.0
_RESOLVER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="safe-http-dns")
DEFAULT_MAX_BYTES = 1024 * 1024


class UnsafeURL(DomainError):
    code = "unsafe_url"


class FetchFailed(DomainError):
    status_code = 502
    code = "fetch_failed"


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content_type: str
    body: bytes


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form tunnels to: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96),
    6to4 (2002::/16) and Teredo (2001::/32 — the client's address). A resolver answering with one
    of these must not smuggle 127.0.0.1 or 169.254.169.254 past the check."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def _is_public(address: str) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def vet(url: str, *, allow_private: bool | None = None) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) or UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURL("Use an http(s) URL.", fields={"url": ["Use an http(s) URL."]})
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are not accepted.", fields={"url": ["No credentials in URLs."]})
    allow = settings.SSO_ALLOW_PRIVATE_URLS if allow_private is None else allow_private
    if parts.scheme == "http" and not allow:
        raise UnsafeURL("Use an https URL.", fields={"url": ["Use https."]})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        # the system resolver has no timeout of its own: a slow DNS server must not hold the worker
        infos = _RESOLVER.submit(socket.getaddrinfo, parts.hostname, port, type=socket.SOCK_STREAM).result(
            timeout=DNS_TIMEOUT
        )
    except FutureTimeout as exc:
        raise UnsafeURL("The host name did not resolve in time.", fields={"url": ["DNS timeout."]}) from exc
    except socket.gaierror as exc:
        raise UnsafeURL("The host name does not resolve.", fields={"url": ["Unknown host."]}) from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses:
        raise UnsafeURL("The host name does not resolve.", fields={"url": ["Unknown host."]})
    if not allow and not all(_is_public(address) for address in addresses):
        raise UnsafeURL(
            "This address is not reachable from the platform (private or local network).",
            fields={"url": ["Private, loopback and link-local addresses are refused."]},
        )
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the vetted address while verifying the certificate for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
    accept: str = "*/*",
) -> Fetched:
    return _request(
        "GET", url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, headers={"Accept": accept}
    )


def post_form(
    url: str,
    form: dict[str, str],
    *,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
) -> Fetched:
    """POST application/x-www-form-urlencoded (an OAuth token request); any status is returned."""
    from urllib.parse import urlencode

    return _request(
        "POST",
        url,
        body=urlencode(form).encode(),
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", **(headers or {})},
        any_status=True,
    )


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
) -> Fetched:
    """Any method, any status returned (the caller interprets it); used by the OIDC backend."""
    return _request(
        method,
        url,
        body=body,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
        headers={"Accept": "application/json", **(headers or {})},
        any_status=True,
    )


def _request(
    method: str,
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool | None,
    headers: dict[str, str],
    body: bytes | None = None,
    any_status: bool = False,
) -> Fetched:
    deadline = time.monotonic() + timeout  # for the whole exchange, not per socket read
    scheme, host, port, address = vet(url, allow_private=allow_private)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = _PinnedHTTPSConnection(host, address, port, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    # one deadline for connect, TLS, headers and body: per-read socket timeouts restart on every
    # byte, so a server trickling its status line or headers could otherwise hold the worker
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _abort, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": "ffs-lms/1", **headers},
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise FetchFailed("The URL redirects; give the final URL.", fields={"url": ["Redirects are not followed."]})
        if response.status != 200 and not any_status:
            raise FetchFailed(f"The server answered {response.status}.", fields={"url": [f"HTTP {response.status}"]})
        data = _read_until(response, connection, max_bytes + 1, deadline)
        if len(data) > max_bytes:
            raise FetchFailed("The document is too large.", fields={"url": [f"More than {max_bytes} bytes."]})
        return Fetched(
            url=url, status=response.status, content_type=response.getheader("Content-Type") or "", body=data
        )
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if time.monotonic() >= deadline:
            raise FetchFailed("The server is too slow.", fields={"url": ["Timed out."]}) from exc
        raise FetchFailed(f"Could not fetch the URL: {exc}.", fields={"url": ["Not reachable."]}) from exc
    finally:
        watchdog.cancel()
        connection.close()


def _abort(connection: http.client.HTTPConnection) -> None:
    """The deadline passed: shut the socket down, which wakes whatever read or write is blocked."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing left to wake
            sock.shutdown(socket.SHUT_RDWR)


def _read_until(
    response: http.client.HTTPResponse, connection: http.client.HTTPConnection, limit: int, deadline: float
) -> bytes:
    """Read at most `limit` bytes before `deadline`: a server trickling one byte per second would
    otherwise keep a worker busy forever, since a socket timeout restarts on every byte."""
    chunks: list[bytes] = []
    received = 0
    while received < limit:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed("The server is too slow.", fields={"url": ["Timed out."]})
        if connection.sock is not None:
            connection.sock.settimeout(remaining)
        chunk = response.read1(min(65536, limit - received))
        if not chunk:
            if time.monotonic() >= deadline:  # the watchdog closed the socket: not a complete body
                raise FetchFailed("The server is too slow.", fields={"url": ["Timed out."]})
            break
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)
