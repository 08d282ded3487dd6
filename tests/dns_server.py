"""A real (tiny) authoritative DNS server on 127.0.0.1 for domain-verification tests.

It answers TXT queries from a dict over UDP, so the application's resolver is exercised with real
DNS packets instead of a mocked function.
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class LocalDnsServer:
    def __init__(self) -> None:
        self.records: dict[str, list[str]] = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self.queries: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LocalDnsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.sock.close()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(4096)
            except (TimeoutError, OSError):
                continue
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text().rstrip(".").lower()
            self.queries.append(name)
            values = self.records.get(name)
            if question.rdtype == dns.rdatatype.TXT and values:
                rrset = dns.rrset.from_text_list(
                    question.name, 60, dns.rdataclass.IN, dns.rdatatype.TXT, [f'"{v}"' for v in values]
                )
                response.answer.append(rrset)
            elif not values:
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(response.to_wire(), addr)


import dns.rcode  # noqa: E402  (after the class for readability)
