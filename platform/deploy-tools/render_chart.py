"""Lint and render the Helm chart offline, write one file per manifest, and check what a schema
validator cannot: that the objects of the chart fit together.

Used by platform/check-deploy.sh:

    render_chart.py OUT_DIR

writes OUT_DIR/k8s/<scenario>/<kind>-<name>.yaml for the built-in Kubernetes kinds (checked next
by kubernetes-validate and checkov) and OUT_DIR/crd/<scenario>/… for custom resources
(ServiceMonitor, PodMonitor), which no offline schema covers and which are checked structurally here
instead.

Scenarios: `default` (values.yaml), `production` (values.yaml + values-production.yaml) and
`features` (production + every optional template switched on), so every template is rendered.

The Helm engine is a real `helm` binary when one is on PATH, otherwise the one embedded in the
helm-python-sdk wheel (no helm binary is available from the registries this project reaches).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "fashion-factory"
RELEASE = "ffs"
NAMESPACE = "fashion-factory"
# API groups served by Kubernetes itself; anything else is a CRD.
BUILTIN_GROUPS = {"v1", "apps/v1", "batch/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1"}

FEATURES = {
    # every optional template on, with placeholder names, to render and validate them too
    "serviceMonitor": {"enabled": True},
    "bootstrap": {"enabled": True},
    "mediaVolume": {"existingClaim": "ffs-media"},
    "ingress": {"customDomains": ["learn.example.org", "academy.example.net"]},
    "image": {"digest": "sha256:" + "0" * 64},
}

errors: list[str] = []


def fail(message: str) -> None:
    errors.append(message)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def scenarios() -> dict[str, dict[str, Any]]:
    production = yaml.safe_load((CHART / "values-production.yaml").read_text()) or {}
    return {
        "default": {},
        "production": production,
        "features": deep_merge(production, FEATURES),
    }


# ---- the two Helm engines ----------------------------------------------------------------------


def lint_and_render_binary(helm: str, values: dict[str, Any]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as handle:
        yaml.safe_dump(values, handle)
        handle.flush()
        lint = subprocess.run(
            [helm, "lint", "--strict", "-n", NAMESPACE, "-f", handle.name, str(CHART)],
            capture_output=True,
            text=True,
            check=False,
        )
        if lint.returncode != 0:
            fail("helm lint:\n" + lint.stdout + lint.stderr)
        rendered = subprocess.run(
            [helm, "template", RELEASE, str(CHART), "-n", NAMESPACE, "-f", handle.name],
            capture_output=True,
            text=True,
            check=False,
        )
        if rendered.returncode != 0:
            fail("helm template:\n" + rendered.stderr)
        return rendered.stdout


def lint_and_render_sdk(values: dict[str, Any]) -> str:
    import helm_python as helm  # the wheel's embedded Helm engine

    report = helm.lint(str(CHART), values, strict=True, namespace=NAMESPACE)
    for message in report["messages"]:
        if message["severity"] >= 2:  # 2 = warning, 3 = error; 1 = info ("icon is recommended")
            fail(f"helm lint: {message['path']}: {message['error']}")
    for error in report["errors"]:
        fail(f"helm lint: {error}")
    chart = helm.Chart.load(str(CHART))
    try:
        files = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    finally:
        chart.close()
    return "\n---\n".join(body for path, body in sorted(files.items()) if not path.endswith("NOTES.txt"))


# ---- checks that need more than one object --------------------------------------------------------


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    if doc["kind"] in {"Deployment", "Job"}:
        return doc["spec"]["template"]["spec"]
    return None


def label_selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against a set of labels."""
    if not all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def env_value(container: dict[str, Any], name: str) -> str | None:
    for variable in container.get("env", []):
        if variable["name"] == name:
            return variable.get("value")
    return None


def check_pod_monitors(scenario: str, by_kind: dict[str, dict[str, dict[str, Any]]]) -> None:
    """The workers' PodMonitor (a CRD without an offline schema): it selects every worker and only
    pods, each selected container declares the scraped port and serves /metrics there
    (CELERY_METRICS_PORT), it authenticates with the ServiceMonitor's Secret, and the chart's
    NetworkPolicies let the scrape in while the workers accept nothing else."""
    deployments = by_kind.get("Deployment", {})
    pod_monitors = by_kind.get("PodMonitor", {})
    workers = {
        name: d for name, d in deployments.items() if d["metadata"]["labels"]["app.kubernetes.io/component"] == "worker"
    }
    service_credentials = [
        endpoint.get("authorization", {}).get("credentials")
        for monitor in by_kind.get("ServiceMonitor", {}).values()
        for endpoint in monitor["spec"]["endpoints"]
    ]
    policies = list(by_kind.get("NetworkPolicy", {}).values())
    scraped: set[str] = set()
    for monitor in pod_monitors.values():
        where = f"{scenario}: PodMonitor {monitor['metadata']['name']}"
        spec = monitor["spec"]
        if monitor["apiVersion"] != "monitoring.coreos.com/v1":
            fail(f"{where}: apiVersion {monitor['apiVersion']}")
        if spec.get("namespaceSelector", {}).get("matchNames") != [NAMESPACE]:
            fail(f"{where}: must watch the release namespace only")
        matched = {
            name: d
            for name, d in deployments.items()
            if label_selector_matches(spec["selector"], d["spec"]["template"]["metadata"]["labels"])
        }
        if not matched:
            fail(f"{where}: selects no pods")
        for name in sorted(set(matched) - set(workers)):
            fail(f"{where}: selects {name}, which is not a Celery worker")
        scraped |= set(matched)
        for endpoint in spec.get("podMetricsEndpoints") or [{}]:
            credentials = endpoint.get("authorization", {}).get("credentials", {})
            if endpoint.get("path") != "/metrics" or not credentials.get("name") or not credentials.get("key"):
                fail(f"{where}: must scrape /metrics with a bearer token from a Secret")
            if service_credentials and any(c != credentials for c in service_credentials):
                fail(f"{where}: token Secret {credentials} differs from the ServiceMonitor's {service_credentials}")
            for name, deployment in sorted(matched.items()):
                template = deployment["spec"]["template"]
                ports = [
                    (container, port)
                    for container in template["spec"]["containers"]
                    for port in container.get("ports", [])
                    if port.get("name") == endpoint.get("port")
                ]
                if not ports:
                    fail(f"{where}: port {endpoint.get('port')!r} missing on {name}")
                    continue
                container, port = ports[0]
                if env_value(container, "CELERY_METRICS_PORT") != str(port["containerPort"]):
                    fail(
                        f"{where}: {name} does not serve /metrics on port {port['containerPort']} (CELERY_METRICS_PORT)"
                    )
                if policies and not any(
                    label_selector_matches(policy["spec"]["podSelector"], template["metadata"]["labels"])
                    and any(
                        any(p.get("port") in {port["containerPort"], port["name"]} for p in rule.get("ports", []))
                        for rule in policy["spec"].get("ingress", [])
                    )
                    for policy in policies
                ):
                    fail(f"{where}: no NetworkPolicy lets Prometheus reach {name} on port {port['containerPort']}")
        unexpected = set(spec) - {"namespaceSelector", "selector", "podMetricsEndpoints", "jobLabel"}
        if unexpected:
            fail(f"{where}: unexpected fields {sorted(unexpected)}")

    for name, worker in sorted(workers.items()):
        template = worker["spec"]["template"]
        serves = any(env_value(c, "CELERY_METRICS_PORT") for c in template["spec"]["containers"])
        if pod_monitors and name not in scraped:
            fail(f"{scenario}: worker {name} is not scraped by the PodMonitor")
        if serves and not pod_monitors:
            fail(f"{scenario}: worker {name} serves metrics (CELERY_METRICS_PORT) but no PodMonitor scrapes it")
        # the workers take no traffic: the only inbound port any policy opens to them is the metrics port
        allowed = {
            port["containerPort"]
            for container in template["spec"]["containers"]
            for port in container.get("ports", [])
            if port.get("name") == "metrics"
        } | {"metrics"}
        for policy in policies:
            if not label_selector_matches(policy["spec"]["podSelector"], template["metadata"]["labels"]):
                continue
            for rule in policy["spec"].get("ingress", []):
                opened = {p.get("port") for p in rule.get("ports", [])} or {"every port"}
                if not opened <= allowed or not rule.get("from"):
                    fail(
                        f"{scenario}: NetworkPolicy {policy['metadata']['name']} opens {sorted(map(str, opened))} on {name}"
                    )


def check_objects(scenario: str, docs: list[dict[str, Any]]) -> None:
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
        if doc["metadata"].get("namespace") != NAMESPACE:
            fail(f"{scenario}: {doc['kind']} {doc['metadata']['name']} has no explicit namespace")
    deployments = by_kind.get("Deployment", {})
    services = by_kind.get("Service", {})

    # the security baseline, on every workload (the schema cannot say "must be set")
    for doc in docs:
        spec = pod_spec(doc)
        if spec is None:
            continue
        where = f"{scenario}: {doc['kind']} {doc['metadata']['name']}"
        if spec.get("automountServiceAccountToken") is not False:
            fail(f"{where}: mounts a service account token")
        if spec.get("securityContext", {}).get("seccompProfile", {}).get("type") != "RuntimeDefault":
            fail(f"{where}: no RuntimeDefault seccomp profile")
        for container in spec["containers"]:
            sc = container.get("securityContext", {})
            if not (sc.get("runAsNonRoot") and sc.get("readOnlyRootFilesystem")):
                fail(f"{where}: {container['name']} may run as root or write its root filesystem")
            if sc.get("allowPrivilegeEscalation") is not False or sc.get("capabilities", {}).get("drop") != ["ALL"]:
                fail(f"{where}: {container['name']} keeps privileges")
            limits = container.get("resources", {}).get("limits", {})
            if not {"cpu", "memory"} <= set(limits):
                fail(f"{where}: {container['name']} has no cpu/memory limits")
            if not any(m["mountPath"] == "/tmp" for m in container.get("volumeMounts", [])):
                fail(f"{where}: {container['name']} has no writable /tmp")

    # the HTTP processes have all three probes (checkov's probe checks are skipped for the
    # background processes, so they are asserted here for the ones that serve traffic)
    for doc in deployments.values():
        if doc["metadata"]["labels"]["app.kubernetes.io/component"] in {"web", "webhooks"}:
            container = doc["spec"]["template"]["spec"]["containers"][0]
            missing = {"startupProbe", "livenessProbe", "readinessProbe"} - set(container)
            if missing:
                fail(f"{scenario}: {doc['metadata']['name']} lacks {sorted(missing)}")

    # beat: one replica, never two at once
    beats = [d for d in deployments.values() if d["metadata"]["labels"]["app.kubernetes.io/component"] == "beat"]
    for beat in beats:
        if beat["spec"].get("replicas") != 1 or beat["spec"]["strategy"]["type"] != "Recreate":
            fail(f"{scenario}: beat must have 1 replica and the Recreate strategy")

    # every Celery queue the settings route to has its own worker Deployment
    settings = (ROOT / "config" / "settings.py").read_text()
    routed = set(re.findall(r"\"queue\":\s*\"(\w+)\"", settings))
    routed |= set(re.findall(r"CELERY_TASK_DEFAULT_QUEUE\s*=\s*\"(\w+)\"", settings))
    served = {
        d["metadata"]["labels"].get("fashion-factory/queue")
        for d in deployments.values()
        if d["metadata"]["labels"]["app.kubernetes.io/component"] == "worker"
    }
    for queue in sorted(routed - served):
        fail(f"{scenario}: queue {queue!r} is routed in config/settings.py but has no worker Deployment")

    # references between objects
    for hpa in by_kind.get("HorizontalPodAutoscaler", {}).values():
        target = hpa["spec"]["scaleTargetRef"]["name"]
        if target not in deployments:
            fail(f"{scenario}: HPA {hpa['metadata']['name']} targets missing Deployment {target}")
        elif deployments[target]["spec"].get("replicas") is not None:
            fail(f"{scenario}: Deployment {target} sets replicas although an HPA owns it")

    def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in selector.items())

    for pdb in by_kind.get("PodDisruptionBudget", {}).values():
        selector = pdb["spec"]["selector"]["matchLabels"]
        if not any(selects(selector, d["spec"]["template"]["metadata"]["labels"]) for d in deployments.values()):
            fail(f"{scenario}: PDB {pdb['metadata']['name']} selects no pods")
    for service in services.values():
        if not any(
            selects(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
            for d in deployments.values()
        ):
            fail(f"{scenario}: Service {service['metadata']['name']} selects no pods")
    for ingress in by_kind.get("Ingress", {}).values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]["name"]
                if backend not in services:
                    fail(f"{scenario}: Ingress {ingress['metadata']['name']} routes to missing Service {backend}")
        annotations = ingress["metadata"].get("annotations", {})
        if ingress["spec"].get("tls") and "cert-manager.io/cluster-issuer" not in annotations:
            fail(f"{scenario}: Ingress {ingress['metadata']['name']} has TLS but no cert-manager issuer")

    for job in by_kind.get("Job", {}).values():
        hook = job["metadata"].get("annotations", {}).get("helm.sh/hook", "")
        if job["metadata"]["labels"]["app.kubernetes.io/component"] == "migrate" and hook != "pre-install,pre-upgrade":
            fail(f"{scenario}: the migration Job must be a pre-install,pre-upgrade hook (is {hook!r})")

    # custom resources, checked structurally (no offline CRD schema)
    for monitor in by_kind.get("ServiceMonitor", {}).values():
        spec = monitor["spec"]
        if monitor["apiVersion"] != "monitoring.coreos.com/v1":
            fail(f"{scenario}: ServiceMonitor apiVersion {monitor['apiVersion']}")
        matched = [s for s in services.values() if selects(spec["selector"]["matchLabels"], s["metadata"]["labels"])]
        if not matched:
            fail(f"{scenario}: ServiceMonitor selects no Service")
        for endpoint in spec["endpoints"]:
            if not all(any(p["name"] == endpoint["port"] for p in s["spec"]["ports"]) for s in matched):
                fail(f"{scenario}: ServiceMonitor port {endpoint['port']!r} missing on a Service")
            credentials = endpoint.get("authorization", {}).get("credentials", {})
            if endpoint.get("path") != "/metrics" or not credentials.get("name") or not credentials.get("key"):
                fail(f"{scenario}: ServiceMonitor must scrape /metrics with a bearer token from a Secret")
        unexpected = set(spec) - {"namespaceSelector", "selector", "endpoints", "jobLabel"}
        if unexpected:
            fail(f"{scenario}: ServiceMonitor has unexpected fields {sorted(unexpected)}")
    check_pod_monitors(scenario, by_kind)


def main() -> int:
    out = Path(sys.argv[1])
    helm_binary = shutil.which("helm")
    engine = f"helm binary ({helm_binary})" if helm_binary else "helm-python-sdk (embedded Helm engine)"
    counts = []
    for scenario, values in scenarios().items():
        text = lint_and_render_binary(helm_binary, values) if helm_binary else lint_and_render_sdk(values)
        docs = [d for d in yaml.safe_load_all(text) if d]
        for doc in docs:
            kind, name = doc["kind"], doc["metadata"]["name"]
            folder = "k8s" if doc["apiVersion"] in BUILTIN_GROUPS else "crd"
            target = out / folder / scenario / f"{kind.lower()}-{name}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.safe_dump(doc, sort_keys=False))
        check_objects(scenario, docs)
        counts.append(f"{scenario}: {len(docs)}")
    print(f"rendered with {engine}: " + ", ".join(counts) + " manifests")
    for error in errors:
        print("ERROR", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
