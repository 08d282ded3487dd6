"""A development SAML identity provider: pysaml2's own IdP (`saml2.server.Server`, signing through
Debian's `xmlsec1`) in a small threaded WSGI server.

Used two ways: the SSO tests import `SamlIdP` (an independent IdP on 127.0.0.1 that verifies our
signed AuthnRequests and signs assertions with RSA-SHA256; a `mode` parameter asks it for a
deliberately bad response), and `make run` starts it as a process (`main()`) so a person can click
through a SAML login: without a `user` parameter it shows a page to pick one of its accounts.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode
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
    def __init__(
        self,
        name: str,
        users: dict[str, dict[str, list[str]]],
        *,
        port: int = 0,
        sp_metadata_urls: list[tuple[str, str]] | None = None,
    ) -> None:
        self.name = name
        self.pending_sp_metadata = list(sp_metadata_urls or [])  # (url, Host header), fetched on first use
        self.users = users
        self.dir = Path(tempfile.mkdtemp(prefix=f"idp-{name}-"))
        (self.dir / "maps").mkdir()
        (self.dir / "maps" / "plain.py").write_text(
            f"_N = {ATTRIBUTE_NAMES!r}\n"
            "MAP = {'identifier': 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',"
            " 'fro': {n: n for n in _N}, 'to': {n: n for n in _N}}\n"
        )
        self.key, self.cert = _key_pair(self.dir, name)
        self.server = make_server("127.0.0.1", port, self._app, server_class=_ThreadingWSGIServer, handler_class=_Quiet)
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
        while self.pending_sp_metadata:
            url, host = self.pending_sp_metadata[0]
            request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (a dev tool, local URL)
                    self.trust_sp(answer.read().decode())
            except OSError:
                break  # the SP is not up yet (make run starts the IdP first): try again on the next request
            self.pending_sp_metadata.pop(0)
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

    def _encrypt(self, response_xml: str, sp_entity_id: str) -> str:
        """Encrypt the (already signed) assertion to the SP's certificate from its metadata:
        AES-128-CBC content key, RSA-OAEP key transport, wrapped in saml:EncryptedAssertion."""
        import xmlsec
        from lxml import etree

        xml = self.sp_metadata[sp_entity_id]
        certificate = re.search(r"<ds:X509Certificate>([^<]+)</ds:X509Certificate>", xml)
        assert certificate, "SP metadata without a certificate"
        pem = "-----BEGIN CERTIFICATE-----\n" + "".join(certificate.group(1).split()) + "\n-----END CERTIFICATE-----\n"
        saml_ns = "urn:oasis:names:tc:SAML:2.0:assertion"
        document = etree.fromstring(response_xml.encode())
        assertion = document.find(f"{{{saml_ns}}}Assertion")
        assert assertion is not None
        manager = xmlsec.KeysManager()
        manager.add_key(xmlsec.Key.from_memory(pem.encode(), xmlsec.constants.KeyDataFormatCertPem, None))
        template = xmlsec.template.encrypted_data_create(
            document, xmlsec.constants.TransformAes128Cbc, type=xmlsec.constants.TypeEncElement, ns="xenc"
        )
        xmlsec.template.encrypted_data_ensure_cipher_value(template)
        key_info = xmlsec.template.encrypted_data_ensure_key_info(template, ns="ds")
        encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.constants.TransformRsaOaep)
        xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
        context = xmlsec.EncryptionContext(manager)
        context.key = xmlsec.Key.generate(xmlsec.constants.KeyDataAes, 128, xmlsec.constants.KeyDataTypeSession)
        encrypted = context.encrypt_xml(template, assertion)
        wrapper = etree.Element(f"{{{saml_ns}}}EncryptedAssertion")
        parent = encrypted.getparent()
        assert parent is not None
        parent.replace(encrypted, wrapper)
        wrapper.append(encrypted)
        return etree.tostring(document).decode()

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
        if path == "/sso" and not query.get("user"):
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [self._picker(query).encode()]
        if path == "/sso":
            try:
                form = self.login(query, query.get("user", ""), query.get("mode", "ok"))
            except Exception as exc:  # the test sees the IdP's reason
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"{type(exc).__name__}: {exc}".encode()]
            start_response("200 OK", [("Content-Type", "text/html")])
            return [form.encode()]
        if path == "/slo":
            try:
                location = self.answer_logout(query)
            except Exception as exc:  # the test sees the IdP's reason
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"{type(exc).__name__}: {exc}".encode()]
            start_response("302 Found", [("Location", location)])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def answer_logout(self, query: dict[str, str]) -> str:
        """The SP's signed LogoutRequest in, our signed LogoutResponse out (a redirect to its SLS)."""
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.xmldsig import SIG_RSA_SHA256

        server = self._server()
        request = server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT], sign=False)
        args = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination=response.destination,
            relay_state=query.get("RelayState", ""),
            response=True,
            sigalg=SIG_RSA_SHA256,
        )
        return str(dict(args["headers"])["Location"])

    def logout_request(self, sp_entity_id: str, sls_url: str, name_id: str, *, signed: bool = True) -> str:
        """An IdP-initiated logout of `name_id` at the SP: the URL the browser would be sent to."""
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_UNSPECIFIED, NameID
        from saml2.xmldsig import SIG_RSA_SHA256

        server = self._server()
        _request_id, request = server.create_logout_request(
            sls_url,
            sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_UNSPECIFIED, text=name_id),
            sign=False,
        )
        args = server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destination=sls_url,
            relay_state="",
            sigalg=SIG_RSA_SHA256 if signed else None,
            sign=signed,
        )
        return str(dict(args["headers"])["Location"])

    def _picker(self, query: dict[str, str]) -> str:
        """The development IdP's "login page": pick an account (no password: it is a dev tool)."""
        links = "".join(
            f'<li><a href="/sso?{html.escape(urlencode({**query, "user": user}))}">'
            f"{html.escape(attrs.get('email', [user])[0])}</a></li>"
            for user, attrs in self.users.items()
        )
        return (
            f"<!doctype html><title>{html.escape(self.name)} — sign in</title>"
            f"<h1>{html.escape(self.name)}</h1><p>Development identity provider: choose an account.</p>"
            f"<ul>{links}</ul>"
        )

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
        document = str(response)
        if mode == "encrypted":
            document = self._encrypt(document, message.issuer.text)
        args = server.apply_binding(
            BINDING_HTTP_POST, document, destination=acs, relay_state=query.get("RelayState", ""), response=True
        )
        return str(args["data"])


def post_form(html_text: str) -> tuple[str, dict[str, str]]:
    """(action, fields) of the auto-submitting form a SAML IdP returns."""
    action = re.search(r'action="([^"]+)"', html_text)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html_text))
    assert action, html_text[:500]
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in fields.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Development SAML IdP (pysaml2)")
    parser.add_argument("--name", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--users", required=True, help="JSON file: {account: {attribute: [values]}}")
    parser.add_argument("--sp-metadata", action="append", default=[], help="URL|Host of an SP's metadata")
    args = parser.parse_args()
    users = json.loads(Path(args.users).read_text())
    sps = [tuple(item.split("|", 1)) for item in args.sp_metadata]
    idp = SamlIdP(args.name, users, port=args.port, sp_metadata_urls=[(u, h) for u, h in sps])
    print(f"SAML IdP {args.name} at {idp.base} (metadata {idp.entity_id})", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
