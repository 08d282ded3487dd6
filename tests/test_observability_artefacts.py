"""The Grafana dashboards and Prometheus rules under platform/observability/ name only metrics that
exist: exported by this application (read from its live registry, scrape-time collectors
included) or by an exporter listed in exporters.yml. Rules carry a summary, a description and a
runbook link whose section exists in docs/observability.md; promtool checks and unit-tests them
when it is installed (Debian's `prometheus` package)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
OBSERVABILITY = ROOT / "platform" / "observability"
RULES = OBSERVABILITY / "prometheus-rules.yml"
DASHBOARDS = sorted((OBSERVABILITY / "grafana").glob("*.json"))
DOC = ROOT / "docs" / "observability.md"

pytestmark = pytest.mark.django_db

# --- a small PromQL tokenizer --------------------------------------------------------------------

KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right"}
    | {"inf", "nan", "start", "end"}
    | {"sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group"}
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+")
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_LABEL_LIST = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_TOKEN = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*|\d[\w.]*|\S")


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers that are not functions (followed by `(`),
    keywords, label names (inside `{}` or grouping clauses), durations or numbers."""
    text = _STRING.sub('""', expr)
    text = _GRAFANA_VARIABLE.sub("1m", text)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _LABEL_LIST.sub(" ", text)
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    names = set()
    for index, token in enumerate(tokens):
        if not re.fullmatch(r"[A-Za-z_:][A-Za-z0-9_:]*", token) or token.lower() in KEYWORDS:
            continue
        if index + 1 < len(tokens) and tokens[index + 1] == "(":
            continue  # a function or an aggregation
        names.add(token)
    return names


def test_tokenizer_finds_metrics_and_nothing_else():
    expr = (
        'sum by (namespace, le) (rate(django_http_requests_latency_seconds_by_view_method_bucket{view!~"a|b",'
        'namespace="$namespace"}[$__rate_interval] offset 5m)) / on (namespace) group_left(pod) '
        'max(up{job="x"}) or vector(0) and bool label_replace(sso_logins_total, "m", "${1}", "p", "(.*)") > 0.5'
    )
    assert metric_names(expr) == {
        "django_http_requests_latency_seconds_by_view_method_bucket",
        "up",
        "sso_logins_total",
    }
    assert metric_names("histogram_quantile(0.95, sum(rate(x_bucket[5m])) by (le))") == {"x_bucket"}
    assert metric_names("max(a) - max(b:recorded)") == {"a", "b:recorded"}


# --- the artefacts ---------------------------------------------------------------------------------


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def dashboard_expressions(path: Path) -> Iterator[str]:
    dashboard = json.loads(path.read_text())
    for panel in _panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            if target.get("expr"):
                yield target["expr"]
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        query = query.get("query") if isinstance(query, dict) else query
        if variable.get("type") == "query" and query:
            # label_values(<selector>, <label>): only the selector names a metric
            match = re.fullmatch(r"\s*label_values\((?:(?P<selector>.*),)?\s*\w+\s*\)\s*", query)
            yield match.group("selector") or "" if match else query


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def exporter_metrics() -> set[str]:
    document = yaml.safe_load((OBSERVABILITY / "exporters.yml").read_text())
    return {name for exporter in document["exporters"] for name in exporter["metrics"]}


SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("_sum", "_count", ""),
    "gauge": ("",),
    "info": ("_info",),
    "unknown": ("",),
}


@pytest.fixture(scope="module")
def families(django_db_setup, django_db_blocker) -> dict[str, str]:
    """Every metric family the application exports (name -> type), read from its registries."""
    import config.urls  # noqa: F401  (views import their metric modules)
    from lib.metrics import registry
    from lib.metrics.endpoint import web_collectors

    found: dict[str, str] = {}
    up: dict[str, float] = {}
    with django_db_blocker.unblock():
        # one request through the middleware stack creates django-prometheus' request metrics
        Client(HTTP_HOST="localhost").get("/api/branding/")
        for family in registry.scrape_registry(web_collectors()).collect():
            found[family.name] = family.type
            up.update({s.labels["collector"]: s.value for s in family.samples if s.name == "metrics_collector_up"})
    assert up and all(up.values()), f"a scrape-time collector failed: {up}"
    return found


@pytest.fixture(scope="module")
def exported(families) -> set[str]:
    """Every series name those families produce (counters as `_total`, histograms' three series)."""
    return {name + suffix for name, kind in families.items() for suffix in SUFFIXES[kind]}


def test_there_are_dashboards_and_rules():
    assert DASHBOARDS, "no Grafana dashboard under platform/observability/grafana/"
    assert len(rules()) >= 10


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_names_only_exported_metrics(path, exported):
    known = exported | exporter_metrics()
    expressions = list(dashboard_expressions(path))
    assert expressions
    unknown = {(name, expr) for expr in expressions for name in metric_names(expr) if name not in known}
    assert not unknown, "\n".join(f"{name}: {expr}" for name, expr in sorted(unknown))


def test_dashboard_is_importable_grafana_json():
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        assert dashboard["uid"] and dashboard["title"] and dashboard["schemaVersion"] >= 36
        ids = [panel["id"] for panel in _panels(dashboard["panels"])]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate panel ids"
        for panel in _panels(dashboard["panels"]):
            assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
            assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24


def test_rules_name_only_exported_metrics(exported):
    known = exported | exporter_metrics()
    unknown = {(name, rule["alert"]) for rule in rules() for name in metric_names(rule["expr"]) if name not in known}
    assert not unknown, sorted(unknown)


def test_every_listed_exporter_metric_is_used():
    used: set[str] = set()
    for rule in rules():
        used |= metric_names(rule["expr"])
    for path in DASHBOARDS:
        for expr in dashboard_expressions(path):
            used |= metric_names(expr)
    assert exporter_metrics() - used == set(), "exporters.yml lists metrics nothing reads"


def _doc_anchors() -> set[str]:
    """GitLab/GitHub heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for line in DOC.read_text().splitlines():
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading:
            text = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def test_every_alert_has_severity_summary_description_and_a_runbook_section():
    anchors = _doc_anchors()
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names))
    for rule in rules():
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        annotations = rule["annotations"]
        assert annotations["summary"] and annotations["description"], rule["alert"]
        path, _, anchor = annotations["runbook_url"].partition("#")
        assert path == "docs/observability.md", rule["alert"]
        assert anchor == rule["alert"].lower(), rule["alert"]
        assert anchor in anchors, f"docs/observability.md has no section for {rule['alert']}"


def test_every_exported_application_metric_is_documented(families):
    doc = DOC.read_text()
    runtime = ("python_", "process_")  # the client library's own, absent in multi-process mode
    expected = {name + ("_total" if kind == "counter" else "") for name, kind in families.items()}
    missing = sorted(name for name in expected if not name.startswith(runtime) and f"`{name}`" not in doc)
    assert not missing, f"undocumented metrics: {missing}"


PROMTOOL = shutil.which("promtool")


@pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (Debian package `prometheus`)")
def test_promtool_checks_and_unit_tests_the_rules():
    check = subprocess.run([PROMTOOL, "check", "rules", str(RULES)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    unit = subprocess.run(
        [PROMTOOL, "test", "rules", "prometheus-rules.test.yml"],
        cwd=OBSERVABILITY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unit.returncode == 0, unit.stdout + unit.stderr
