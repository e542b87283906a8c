{{/* The chart name, or nameOverride. */}}
{{- define "herald.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release-qualified name of every object; fullnameOverride wins. */}}
{{- define "herald.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "herald.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "herald.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "herald.labels" -}}
helm.sh/chart: {{ include "herald.chart" . }}
{{ include "herald.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "herald.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "herald.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "herald.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/* "true" when the operator runs with leader election: asked for, or needed by replicaCount > 1. */}}
{{- define "herald.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
What the operator does with the Kubernetes API, and nothing more. dev.herald.helm.RbacCoverageTest
runs the real operator against a recording API server and fails when a request falls outside
these rules, or when a rule grants a verb the operator never used.
*/}}
{{- define "herald.rules" -}}
# the informers and the reconcilers' fresh reads; JOSDK adds and removes its finalizer by patch
- apiGroups: ["herald.dev"]
  resources: ["webhookendpoints"]
  verbs: ["get", "list", "watch", "patch"]
# endpoint status is written under optimistic locking (PUT with resourceVersion)
- apiGroups: ["herald.dev"]
  resources: ["webhookendpoints/status"]
  verbs: ["update"]
# generated Secrets carry an owner reference to their endpoint. The OwnerReferencesPermissionEnforcement
# admission plugin (on in OpenShift) asks for this only when blockOwnerDeletion is true, and Herald sets
# it false; granted anyway so that owner references never become a cluster-specific failure. It adds
# nothing to "patch" on webhookendpoints, which can already set finalizers.
- apiGroups: ["herald.dev"]
  resources: ["webhookendpoints/finalizers"]
  verbs: ["update"]
# deliveries: the informer, fresh reads, the herald.dev/endpoint and herald.dev/phase labels (merge
# patch), creation when a WebhookEvent fans out, and deletion by retention (ttlAfterFinished, keep,
# the budget of finished deliveries)
- apiGroups: ["herald.dev"]
  resources: ["webhookdeliveries"]
  verbs: ["get", "list", "watch", "patch", "create", "delete"]
# delivery status is replaced whole by a JSON patch
- apiGroups: ["herald.dev"]
  resources: ["webhookdeliveries/status"]
  verbs: ["patch"]
# events published once: the informer, status written after the fan-out, and deletion by retention
# (--event-ttl-after-finished, the budget of finished events)
- apiGroups: ["herald.dev"]
  resources: ["webhookevents"]
  verbs: ["list", "watch", "delete"]
- apiGroups: ["herald.dev"]
  resources: ["webhookevents/status"]
  verbs: ["patch"]
# digests: the informer, a read of the one due (the cache may predate our last write), and status
# (next run, last result) replaced by a JSON patch; a digest lists endpoints and deliveries
# (granted above) and reads its SMTP Secret by name (below)
- apiGroups: ["herald.dev"]
  resources: ["webhookdigests"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["herald.dev"]
  resources: ["webhookdigests/status"]
  verbs: ["patch"]
# signing keys: read by name (user Secrets too), generated ones created and deleted by name;
# never list, watch or deletecollection, so the operator cannot enumerate Secrets
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "delete"]
# spec.tls.caBundle.configMapName: a CA bundle, read only
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
