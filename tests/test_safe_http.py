"""The SSRF-safe fetcher: tunnelled IPv6 forms are judged by the IPv4 address they carry, and one
deadline bounds the whole exchange (a server trickling bytes cannot hold a worker)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lib import safe_http


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of the cloud metadata address 169.254.169.254
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("2a00:1450:4001:80b::200e", True),
    ],
)
def test_tunnelled_ipv6_forms_are_judged_by_their_ipv4_address(address: str, public: bool) -> None:
    assert safe_http._is_public(address) is public


@contextmanager
def _trickling_server(head: bytes, drip: bytes) -> Iterator[int]:
    """A server that sends `head`, then one `drip` every 0.2 s forever: a per-read timeout of 1 s
    never fires, only a deadline over the whole exchange does. Yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(head)
        while not stop.is_set():
            try:
                connection.sendall(drip)
            except OSError:
                break
            time.sleep(0.2)
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


def test_one_deadline_bounds_a_server_that_trickles_bytes(settings) -> None:
    settings.SSO_ALLOW_PRIVATE_URLS = True
    with _trickling_server(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", b"x") as port:
        started = time.monotonic()
        with pytest.raises(safe_http.FetchFailed):
            safe_http.fetch(f"http://127.0.0.1:{port}/", timeout=1.0)
        assert time.monotonic() - started < 2.5


def test_one_deadline_also_bounds_a_server_that_trickles_its_headers(settings) -> None:
    settings.SSO_ALLOW_PRIVATE_URLS = True
    with _trickling_server(b"HTTP/1.1 200 OK\r\n", b"X") as port:  # never the end of the headers
        started = time.monotonic()
        with pytest.raises(safe_http.FetchFailed):
            safe_http.fetch(f"http://127.0.0.1:{port}/", timeout=1.0)
        assert time.monotonic() - started < 2.5
