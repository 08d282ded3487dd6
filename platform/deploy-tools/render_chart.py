"""Lint and render the Helm chart offline, write one file per manifest, and check what a schema
validator cannot: that the objects of the chart fit together.

Used by platform/check-deploy.sh:

    render_chart.py OUT_DIR

writes OUT_DIR/k8s/<scenario>/<kind>-<name>.yaml for the built-in Kubernetes kinds (checked next
by kubernetes-validate and checkov) and OUT_DIR/crd/<scenario>/… for custom resources
(ServiceMonitor), which no offline schema covers and which are checked structurally here instead.

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
