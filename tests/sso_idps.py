"""Independent identity providers on 127.0.0.1 for the SSO tests: the development SAML IdP
(platform/devidp/saml_idp.py, pysaml2) and panva's oidc-provider (platform/oidc-provider, npm)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform" / "devidp"))

from saml_idp import SamlIdP, post_form  # type: ignore[import-not-found]

__all__ = ["OidcProvider", "SamlIdP", "post_form"]


class OidcProvider:
    """panva's `oidc-provider` (npm) on 127.0.0.1 with PKCE required, started from
    platform/oidc-provider. Its development interactions are a login form (any password for a
    known account) and a consent page; `login()` drives them as a browser would."""

    def __init__(self, clients: list[dict[str, Any]], accounts: dict[str, dict[str, Any]]) -> None:
        import json
        import os
        import socket
        import time
        import urllib.request

        root = Path(__file__).resolve().parents[1] / "platform" / "oidc-provider"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{port}"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        config = {"port": port, "issuer": self.issuer, "clients": clients, "accounts": accounts}
        self.log = Path(tempfile.mkdtemp(prefix="oidc-")) / "oidc.log"
        self.process = subprocess.Popen(
            ["node", str(root / "server.mjs")],
            env={**os.environ, "OIDC_CONFIG": json.dumps(config)},
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.discovery_url, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oidc-provider did not start: " + self.log.read_text()[-1000:])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def login(self, authorization_url: str, account: str) -> str:
        """Follow the authorization request through login and consent; returns the redirect to our
        callback (with code and state) without following it."""
        import requests

        session = requests.Session()
        answer = session.get(authorization_url, allow_redirects=True, timeout=10)
        for _ in range(6):
            if answer.status_code in (302, 303) and "/sso/oidc/callback/" in answer.headers.get("Location", ""):
                return str(answer.headers["Location"])
            page = answer.text
            action = re.search(r'<form[^>]*action="([^"]+)"', page)
            assert action, page[:800]
            fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
            if 'name="login"' in page:
                fields.update({"login": account, "password": "any"})
            target = action.group(1)
            if target.startswith("/"):
                target = self.issuer + target
            answer = session.post(target, data=fields, allow_redirects=False, timeout=10)
            while answer.status_code in (302, 303) and "/sso/oidc/callback/" not in answer.headers["Location"]:
                location = answer.headers["Location"]
                answer = session.get(
                    location if location.startswith("http") else self.issuer + location,
                    allow_redirects=False,
                    timeout=10,
                )
        raise AssertionError("the provider never redirected back")
