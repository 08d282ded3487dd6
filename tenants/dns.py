"""DNS TXT lookups for custom-domain verification, behind an injectable resolver.

Production uses the system resolver; tests point `TENANT_DNS_NAMESERVERS` at a DNS server they run
on 127.0.0.1, so verification is exercised over real DNS packets.
"""

from __future__ import annotations

from typing import Protocol

import dns.exception
import dns.resolver
from django.conf import settings


class TxtResolver(Protocol):
    def txt_records(self, name: str) -> list[str]: ...


class DnsPythonResolver:
    def __init__(self, nameservers: list[str] | None = None, timeout: float | None = None) -> None:
        servers = nameservers if nameservers is not None else settings.TENANT_DNS_NAMESERVERS
        self.resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            self.resolver.nameservers = [s.rsplit(":", 1)[0] if ":" in s else s for s in servers]
            ports = {s.rsplit(":", 1)[1] for s in servers if ":" in s}
            if ports:
                self.resolver.port = int(ports.pop())
        self.resolver.lifetime = timeout if timeout is not None else float(settings.TENANT_DNS_TIMEOUT_SECONDS)

    def txt_records(self, name: str) -> list[str]:
        try:
            answer = self.resolver.resolve(name, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
            return []
        except dns.exception.Timeout:
            raise
        records: list[str] = []
        for rdata in answer:
            records.append(b"".join(rdata.strings).decode("utf-8", errors="replace"))
        return records


_override: TxtResolver | None = None


def get_resolver() -> TxtResolver:
    return _override or DnsPythonResolver()


def set_resolver(resolver: TxtResolver | None) -> None:
    """Inject a resolver (tests, or a deployment with a DNS-over-HTTPS client)."""
    global _override
    _override = resolver
