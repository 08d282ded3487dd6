{{/*
Shared snippets. Every workload of the chart is the same image with a different first argument
(platform/docker-entrypoint.sh), so the pod template is built here once and every Deployment/Job
only adds its command, probes and resources.
*/}}

{{- define "ffs.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ffs.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ffs.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Call with (dict "ctx" $ "component" "web"). */}}
{{- define "ffs.labels" -}}
helm.sh/chart: {{ include "ffs.chart" .ctx }}
{{ include "ffs.selectorLabels" . }}
app.kubernetes.io/version: {{ include "ffs.imageTag" .ctx | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: fashion-factory
{{- end -}}

{{/* Selector labels: stable across upgrades (never put the version here). */}}
{{- define "ffs.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ffs.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- if .queue }}
fashion-factory/queue: {{ .queue }}
{{- end }}
{{- end -}}

{{- define "ffs.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "ffs.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "ffs.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is given (immutable reference). */}}
{{- define "ffs.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (include "ffs.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{/* Environment of every container: plain settings, then secret references. */}}
{{- define "ffs.env" -}}
- name: BASE_DOMAIN
  value: {{ .Values.baseDomain | quote }}
{{- range $name, $value := merge (dict) .Values.extraEnv .Values.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range .Values.secretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ default $.Values.existingSecret .secretName }}
      key: {{ default .name .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by Deployments and Jobs. */}}
{{- define "ffs.podSpecCommon" -}}
serviceAccountName: {{ include "ffs.serviceAccountName" . }}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
  {{- if .Values.mediaVolume.existingClaim }}
  - name: media
    persistentVolumeClaim:
      claimName: {{ .Values.mediaVolume.existingClaim }}
  {{- end }}
{{- end -}}

{{/* Container-level settings shared by every container.
Call with (dict "ctx" $ "env" (dict "NAME" "value") "secretEnv" (list (dict "name" … "secretName" … "key" …))):
env and secretEnv add process-specific variables. */}}
{{- define "ffs.containerCommon" -}}
{{- $ctx := .ctx -}}
image: {{ include "ffs.image" $ctx | quote }}
imagePullPolicy: {{ $ctx.Values.image.pullPolicy }}
securityContext:
  {{- toYaml $ctx.Values.securityContext | nindent 2 }}
env:
  {{- include "ffs.env" $ctx | nindent 2 }}
  {{- range $name, $value := .env }}
  - name: {{ $name }}
    value: {{ $value | toString | quote }}
  {{- end }}
  {{- range .secretEnv }}
  - name: {{ .name }}
    valueFrom:
      secretKeyRef:
        name: {{ .secretName }}
        key: {{ .key }}
  {{- end }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- if $ctx.Values.mediaVolume.existingClaim }}
  - name: media
    mountPath: /app/var/media
  {{- end }}
{{- end -}}

{{/* HTTP probes of a gunicorn container. Call with (dict "probes" .Values.web.probes). */}}
{{- define "ffs.httpProbes" -}}
{{- with .probes.startup }}
startupProbe:
  httpGet: {path: {{ .path }}, port: http}
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
{{- end }}
{{- with .probes.liveness }}
livenessProbe:
  httpGet: {path: {{ .path }}, port: http}
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
{{- end }}
{{- with .probes.readiness }}
readinessProbe:
  httpGet: {path: {{ .path }}, port: http}
  periodSeconds: {{ .periodSeconds }}
  timeoutSeconds: {{ .timeoutSeconds }}
  failureThreshold: {{ .failureThreshold }}
{{- end }}
{{- end -}}

{{/* The workers' metrics port (values metrics.workers.port) when the monitors are on, else "":
CELERY_METRICS_PORT, the container port `metrics`, the PodMonitor and its NetworkPolicy. */}}
{{- define "ffs.workerMetricsPort" -}}
{{- if and .Values.serviceMonitor.enabled .Values.metrics.workers.port -}}
{{- .Values.metrics.workers.port | int -}}
{{- end -}}
{{- end -}}

{{/* Secret holding the bearer token of /metrics, for the ServiceMonitor and the PodMonitor alike
(by default the app's own Secret, so Prometheus and the pods always agree). */}}
{{- define "ffs.metricsTokenSecret" -}}
name: {{ default .Values.existingSecret .Values.serviceMonitor.tokenSecret.name }}
key: {{ .Values.serviceMonitor.tokenSecret.key }}
{{- end -}}

{{/* Merged settings of one worker queue. Call with (dict "ctx" $ "queue" "default"); returns YAML. */}}
{{- define "ffs.workerConfig" -}}
{{- $own := index .ctx.Values.workers .queue | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .ctx.Values.workerDefaults) $own) -}}
{{- end -}}

{{/* Outbound rules shared by every NetworkPolicy of the chart (values networkPolicy.egress). */}}
{{- define "ffs.egressRules" -}}
{{- $e := .Values.networkPolicy.egress -}}
# DNS, to whatever resolver the cluster uses (CoreDNS, NodeLocal DNSCache)
- ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
# managed PostgreSQL (direct and pooler ports)
- to:
    {{- range $e.databaseCIDRs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    {{- range $e.databasePorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
# managed Redis (cache, routing cache, Celery broker)
- to:
    {{- range $e.redisCIDRs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    {{- range $e.redisPorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
# SMTP relay, S3, identity providers (metadata, JWKS, token endpoints), payment APIs
- to:
    {{- range $e.httpsCIDRs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    - {protocol: TCP, port: 443}
    {{- range $e.smtpPorts }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- with $e.extra }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* topologySpreadConstraints from values, each selecting the pods of one Deployment.
Call with (dict "ctx" $ "component" "web" ["queue" "default"]). */}}
{{- define "ffs.topologySpread" -}}
{{- $sel := include "ffs.selectorLabels" . -}}
{{- with .ctx.Values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- range . }}
  - {{- toYaml (omit . "labelSelector") | nindent 4 }}
    labelSelector:
      matchLabels:
        {{- $sel | nindent 8 }}
  {{- end }}
{{- end }}
{{- end -}}
