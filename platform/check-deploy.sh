#!/usr/bin/env bash
# Offline checks of the deployment artefacts (DESIGN.md §8): the Dockerfile, the Helm chart, the
# Terraform configuration and .gitlab-ci.yml. Part of `make test` (platform/test-all.sh); runnable
# alone after `make .tools/deploy-venv/.installed`:
#
#   bash platform/check-deploy.sh
#
# What can be checked without a network or a cluster is checked; what cannot (pulling base
# images, `terraform validate` with downloaded providers, a real `helm install`) runs in GitLab CI.
set -uo pipefail
cd "$(dirname "$0")/.."
TOOLS=.tools/deploy-venv/bin
# Kubernetes versions to validate against: the oldest the chart accepts (Chart.yaml kubeVersion)
# and the newest schema kubernetes-validate ships.
KUBE_VERSIONS="${KUBE_VERSIONS:-1.29.0 1.37.0}"

if [ ! -x "$TOOLS/checkov" ]; then
  echo "deployment tools missing: run 'make .tools/deploy-venv/.installed' (part of 'make test')"
  exit 1
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
FAILED=()
SUMMARY=()

step() {
  local name="$1"; shift
  echo "── $name"
  local started=$SECONDS
  if "$@"; then
    SUMMARY+=("PASS  $name ($((SECONDS - started)) s)")
  else
    SUMMARY+=("FAIL  $name ($((SECONDS - started)) s)")
    FAILED+=("$name")
  fi
}

hadolint_dockerfile() {
  # rules are ignored only inline in the Dockerfile, each with its reason
  "$TOOLS/hadolint" --failure-threshold info platform/Dockerfile && echo "platform/Dockerfile: clean"
}

entrypoint_syntax() {
  sh -n platform/docker-entrypoint.sh && echo "platform/docker-entrypoint.sh: sh syntax ok"
}

render_chart() {
  # helm lint + render (default, production, every optional feature) + cross-object checks
  "$TOOLS/python" platform/deploy-tools/render_chart.py "$OUT"
}

validate_manifests() {
  # Built-in kinds only: CRDs (the ServiceMonitor) have no offline schema and were checked
  # structurally by render_chart.py (written to $OUT/crd, not $OUT/k8s).
  local version rc=0
  for version in $KUBE_VERSIONS; do
    "$TOOLS/kubernetes-validate" --strict --quiet -k "$version" "$OUT"/k8s/*/*.yaml || rc=1
    echo "kubernetes $version: $(find "$OUT/k8s" -name '*.yaml' | wc -l) manifests validated (strict)"
  done
  return $rc
}

checkov_manifests() {
  # accepted findings: helm/checkov.yaml (global) and checkov.io/skip annotations, see helm/README.md
  "$TOOLS/checkov" --config-file helm/checkov.yaml -d "$OUT/k8s" 2>&1 | { grep -v '^$' || true; }
}

checkov_terraform() {
  # accepted findings: inline #checkov:skip comments, see terraform/README.md
  "$TOOLS/checkov" --config-file terraform/checkov.yaml -d terraform 2>&1 | { grep -v '^$' || true; }
}

terraform_fmt() {
  # TF_CLI_CONFIG_FILE may point at a file that does not exist; terraform then only warns
  terraform fmt -check -recursive -diff terraform/ 2>/dev/null && echo "terraform/: formatted"
}

gitlab_ci_schema() {
  "$TOOLS/check-jsonschema" --builtin-schema vendor.gitlab-ci --data-transform gitlab-ci .gitlab-ci.yml
}

step "hadolint platform/Dockerfile" hadolint_dockerfile
step "entrypoint syntax" entrypoint_syntax
step "helm lint + render + object checks" render_chart
if [ -d "$OUT/k8s" ]; then
  step "kubernetes-validate --strict" validate_manifests
  step "checkov (rendered manifests)" checkov_manifests
else
  SUMMARY+=("FAIL  kubernetes-validate / checkov (nothing rendered)")
  FAILED+=("manifests")
fi
step "checkov (terraform/)" checkov_terraform
if command -v terraform >/dev/null; then
  step "terraform fmt -check" terraform_fmt
else
  echo
  echo "!!!!!! SKIPPED terraform fmt -check: no terraform binary on PATH (CI job terraform:validate runs it) !!!!!!"
  SUMMARY+=("SKIP  terraform fmt -check (no terraform binary)")
fi
step "GitLab CI schema" gitlab_ci_schema

echo
echo "── deployment artefacts: summary"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "FAILED: ${FAILED[*]}"
  exit 1
fi
