"""The SSRF-safe fetcher: tunnelled IPv6 forms are judged by the IPv4 address they carry, and one
deadline bounds the whole exchange (a server trickling bytes cannot hold a worker)."""

from __future__ import annotations

import socket
import threading
import time

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


def test_one_deadline_bounds_a_server_that_trickles_bytes(settings) -> None:
    settings.SSO_ALLOW_PRIVATE_URLS = True
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        while not stop.is_set():  # one byte every 0.2 s: a per-read timeout of 1 s never fires
            try:
                connection.sendall(b"x")
            except OSError:
                break
            time.sleep(0.2)
        connection.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with pytest.raises(safe_http.FetchFailed):
            safe_http.fetch(f"http://127.0.0.1:{port}/", timeout=1.0)
        assert time.monotonic() - started < 2.5
    finally:
        stop.set()
        listener.close()


def test_one_deadline_also_bounds_a_server_that_trickles_its_headers(settings) -> None:
    settings.SSO_ALLOW_PRIVATE_URLS = True
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def trickle_headers() -> None:
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():  # one header byte every 0.2 s, never the end of the headers
            try:
                connection.sendall(b"X")
            except OSError:
                break
            time.sleep(0.2)
        connection.close()

    threading.Thread(target=trickle_headers, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(safe_http.FetchFailed):
            safe_http.fetch(f"http://127.0.0.1:{port}/", timeout=1.0)
        assert time.monotonic() - started < 2.5
    finally:
        stop.set()
        listener.close()
