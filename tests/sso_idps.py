"""Independent identity providers on 127.0.0.1 for the SSO tests.

`SamlIdP` is pysaml2's own IdP (`saml2.server.Server`, signing through Debian's `xmlsec1`) in a
small threaded WSGI server: it verifies our signed AuthnRequest against the SP certificate in our
metadata, signs assertions with RSA-SHA256, and answers with the HTTP-POST form a browser would
auto-submit. A `mode` query parameter lets a test ask it for a deliberately bad response (SHA-1,
unsigned, wrong audience or destination) — the IdP still builds and signs it with its real keys.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ATTRIBUTE_NAMES = ["email", "firstName", "lastName", "groups", "employeeNumber", "department", "managerEmail", "title"]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        return


def _key_pair(directory: Path, name: str) -> tuple[Path, Path]:
    key, cert = directory / f"{name}.key", directory / f"{name}.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "365",
            "-subj",
            f"/CN={name}",
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


class SamlIdP:
    def __init__(self, name: str, users: dict[str, dict[str, list[str]]]) -> None:
        self.name = name
        self.users = users
        self.dir = Path(tempfile.mkdtemp(prefix=f"idp-{name}-"))
        (self.dir / "maps").mkdir()
        (self.dir / "maps" / "plain.py").write_text(
            f"_N = {ATTRIBUTE_NAMES!r}\n"
            "MAP = {'identifier': 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',"
            " 'fro': {n: n for n in _N}, 'to': {n: n for n in _N}}\n"
        )
        self.key, self.cert = _key_pair(self.dir, name)
        self.server = make_server("127.0.0.1", 0, self._app, server_class=_ThreadingWSGIServer, handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.entity_id = f"{self.base}/metadata"
        self.sp_metadata: dict[str, str] = {}
        self._idp: Any = None
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def trust_sp(self, sp_metadata_xml: str) -> None:
        """Load the SP's metadata (ours, as served at /sso/saml/metadata/); a newer document of
        the same entity replaces the old one (each test's SP has a fresh key)."""
        entity = re.search(r'entityID="([^"]+)"', sp_metadata_xml)
        assert entity, sp_metadata_xml[:300]
        self.sp_metadata[entity.group(1)] = sp_metadata_xml
        self._idp = None

    def _server(self) -> Any:
        if self._idp is None:
            from saml2 import BINDING_HTTP_REDIRECT
            from saml2.config import IdPConfig
            from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_UNSPECIFIED
            from saml2.server import Server

            config = IdPConfig()
            config.load(
                {
                    "entityid": self.entity_id,
                    "service": {
                        "idp": {
                            "endpoints": {
                                "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)],
                                "single_logout_service": [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)],
                            },
                            "policy": {
                                "default": {
                                    "lifetime": {"minutes": 5},
                                    "attribute_restrictions": None,
                                    "name_form": NAME_FORMAT_BASIC,
                                }
                            },
                            "name_id_format": [NAMEID_FORMAT_UNSPECIFIED],
                            "want_authn_requests_signed": True,
                        }
                    },
                    "key_file": str(self.key),
                    "cert_file": str(self.cert),
                    "xmlsec_binary": "/usr/bin/xmlsec1",
                    "attribute_map_dir": str(self.dir / "maps"),
                    "metadata": {"inline": list(self.sp_metadata.values())},
                }
            )
            self._idp = Server(config=config)
        return self._idp

    def metadata(self) -> str:
        from saml2.metadata import create_metadata_string

        value = create_metadata_string(None, config=self._server().config, sign=False)
        return value.decode() if isinstance(value, bytes) else str(value)

    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata().encode()]
        if path == "/sso":
            try:
                form = self.login(query, query.get("user", ""), query.get("mode", "ok"))
            except Exception as exc:  # the test sees the IdP's reason
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"{type(exc).__name__}: {exc}".encode()]
            start_response("200 OK", [("Content-Type", "text/html")])
            return [form.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def login(self, query: dict[str, str], user: str, mode: str = "ok") -> str:
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_UNSPECIFIED, NameID
        from saml2.xmldsig import DIGEST_SHA1, DIGEST_SHA256, SIG_RSA_SHA1, SIG_RSA_SHA256

        server = self._server()
        request = server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        message = request.message
        acs = message.assertion_consumer_service_url
        if user not in self.users:
            raise ValueError(f"unknown user {user!r}")
        sha1 = mode == "sha1"
        response = server.create_authn_response(
            identity=self.users[user],
            in_response_to=None if mode == "unsolicited" else message.id,
            destination="http://evil.test/sso/saml/acs/" if mode == "wrong_destination" else acs,
            sp_entity_id="http://other-sp.test/metadata" if mode == "wrong_audience" else message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_UNSPECIFIED, text=f"{self.name}-{user}"),
            sign_assertion=mode != "unsigned",
            sign_response=False,
            sign_alg=SIG_RSA_SHA1 if sha1 else SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA1 if sha1 else DIGEST_SHA256,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        )
        args = server.apply_binding(
            BINDING_HTTP_POST, str(response), destination=acs, relay_state=query.get("RelayState", ""), response=True
        )
        return str(args["data"])


def post_form(html_text: str) -> tuple[str, dict[str, str]]:
    """(action, fields) of the auto-submitting form a SAML IdP returns."""
    action = re.search(r'action="([^"]+)"', html_text)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html_text))
    assert action, html_text[:500]
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}


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
