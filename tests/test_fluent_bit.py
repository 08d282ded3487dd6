"""The Fluent Bit configuration (platform/observability/fluent-bit/) parses, ships to Elasticsearch
with daily indices and bounded retries, and its parser decodes a real line of the application's log.

No Fluent Bit binary is needed: the classic configuration format is read here, and the parser's two
steps (the CRI line format of containerd, then the JSON decoder with its time format) are applied to
a line captured from the real LOGGING configuration. With `fluent-bit` on PATH, its own dry run
checks the files as well.
"""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from lib.logs.config import logging_config
from tests.conftest import HostClient

DIR = Path(__file__).resolve().parent.parent / "platform" / "observability" / "fluent-bit"
Section = tuple[str, dict[str, list[str]]]
# the line format containerd writes (Fluent Bit's built-in `cri` parser reads the same four parts)
CRI_LINE = re.compile(r"^(?P<time>.+?) (?P<stream>stdout|stderr) (?P<_p>F|P) (?P<log>.*)$")


def read_sections(path: Path) -> list[Section]:
    """Fluent Bit's classic format: `[SECTION]` headers, indented `Key value` lines, `#` comments.
    Keys are case-insensitive (lower-cased here); a repeated key keeps every value."""
    sections: list[Section] = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([A-Z_]+)\]", line)
        if header:
            sections.append((header.group(1), {}))
            continue
        assert sections and raw[:1] in {" ", "\t"}, f"{path.name}:{number}: a key outside a section"
        key, _, value = line.partition(" ")
        assert value.strip(), f"{path.name}:{number}: {key} has no value"
        sections[-1][1].setdefault(key.lower(), []).append(value.strip())
    return sections


def one(sections: list[Section], kind: str, name: str) -> dict[str, str]:
    found = [keys for section, keys in sections if section == kind and keys.get("name") == [name]]
    assert len(found) == 1, f"expected one [{kind}] {name}"
    return {key: values[-1] for key, values in found[0].items()}


@pytest.fixture(scope="module")
def config() -> list[Section]:
    return read_sections(DIR / "fluent-bit.conf")


@pytest.fixture(scope="module")
def parsers() -> list[Section]:
    return read_sections(DIR / "parsers.conf")


def test_sections_and_pipeline(config):
    service = [keys for section, keys in config if section == "SERVICE"]
    assert len(service) == 1
    assert (DIR / service[0]["parsers_file"][0]).exists()
    tail = one(config, "INPUT", "tail")
    assert tail["path"].startswith("/var/log/containers/") and "cri" in tail["multiline.parser"]
    assert tail["db"] and tail["mem_buf_limit"] and tail["tag"] == "kube.*"
    kubernetes = one(config, "FILTER", "kubernetes")
    assert kubernetes["match"] == "kube.*" and kubernetes["kube_tag_prefix"] == "kube.var.log.containers."
    decode = one(config, "FILTER", "parser")
    assert decode["key_name"] == "log" and decode["parser"] == "ffs_json" and decode["reserve_data"] == "On"
    # filters run in file order: metadata first, then the JSON decoding
    names = [keys["name"][0] for section, keys in config if section == "FILTER"]
    assert names.index("kubernetes") < names.index("parser")


def test_elasticsearch_output_uses_daily_indices_and_bounded_retries(config):
    es = one(config, "OUTPUT", "es")
    assert es["match"] == "kube.*"
    assert es["logstash_format"] == "On"
    prefix = es["logstash_prefix"]
    assert re.fullmatch(r"[a-z0-9-]+", prefix)
    date_format = es["logstash_dateformat"]
    assert datetime(2026, 1, 31, 23, 59, tzinfo=UTC).strftime(date_format) == "2026.01.31"  # one index a day
    assert 1 <= int(es["retry_limit"]) <= 20  # never `no_limits`: a dead cluster must not fill the node
    assert es["tls"] == "On" and es["tls.verify"] == "On"
    assert es["http_passwd"] == "${ES_PASSWORD}"  # from a Secret, never in the file
    template = json.loads((DIR / "elasticsearch-index-template.json").read_text())
    assert template["index_patterns"] == [f"{prefix}-*"]
    mapped = template["template"]["mappings"]["properties"]
    for field in ("request_id", "tenant", "level", "logger", "path", "method"):
        assert mapped[field]["type"] == "keyword", field
    assert mapped["status"]["type"] == "short" and mapped["duration_ms"]["type"] == "float"
    policy = json.loads((DIR / "elasticsearch-ilm-policy.json").read_text())
    assert template["template"]["settings"]["index.lifecycle.name"] == "ffs-logs"
    assert "delete" in policy["policy"]["phases"]


def test_every_environment_variable_is_documented(config):
    text = (DIR / "fluent-bit.conf").read_text()
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for variable in set(re.findall(r"\$\{([A-Z_]+)\}", text)):
        assert variable in header, variable


@pytest.mark.django_db
def test_parser_decodes_a_real_application_line(parsers):
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config("json", "INFO"))
    try:
        logging.getLogger().handlers[0].setStream(buffer)  # type: ignore[attr-defined]
        HostClient("acme.localhost").get("/api/branding/", HTTP_X_REQUEST_ID="fluent-bit-0001")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    line = next(text for text in buffer.getvalue().splitlines() if '"ffs.access"' in text)
    # as containerd stores it on the node, then as Fluent Bit's tail + cri parser hand it on
    stored = f"2026-01-31T10:00:00.123456789Z stdout F {line}"
    match = CRI_LINE.match(stored)
    assert match and match.group("log") == line

    parser = one(parsers, "PARSER", "ffs_json")
    assert parser["format"] == "json"
    record = json.loads(match.group("log"))
    moment = datetime.strptime(record[parser["time_key"]], parser["time_format"].replace("%L", "%f"))
    assert abs((moment.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds()) < 300  # it is UTC
    assert record["request_id"] == "fluent-bit-0001" and record["tenant"] == "acme" and record["level"] == "INFO"
    assert record["status"] == 200 and record["path"] == "/api/branding/"


@pytest.mark.skipif(shutil.which("fluent-bit") is None, reason="no fluent-bit binary")
def test_fluent_bit_dry_run():
    env = {"FFS_NAMESPACE": "ffs", "FFS_ENVIRONMENT": "test", "ES_HOST": "es", "ES_PORT": "9200"}
    env |= {"ES_USER": "u", "ES_PASSWORD": "p"}
    done = subprocess.run(
        ["fluent-bit", "--dry-run", "-c", str(DIR / "fluent-bit.conf")],
        cwd=DIR,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
