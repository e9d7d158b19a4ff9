{{/* Labels every object of the release carries. */}}
{{- define "guestbook.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* What a component's Deployment selects and its Service routes to: (list $ "frontend"). */}}
{{- define "guestbook.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ $root.Chart.Name }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/*
A redis Deployment and its Service; the follower image replicates from the
Service redis-leader by name (the guestbook's images look both up in DNS).
(dict "root" $ "role" "leader" "image" ... "replicas" 1)
*/}}
{{- define "guestbook.redis" -}}
{{- $name := printf "redis-%s" .role -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "guestbook.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ $name }}
spec:
  replicas: {{ .replicas }}
  selector:
    matchLabels:
      {{- include "guestbook.selector" (list .root $name) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "guestbook.selector" (list .root $name) | nindent 8 }}
    spec:
      containers:
        - name: {{ .role }}
          image: {{ .image }}
          ports:
            - name: redis
              containerPort: 6379
          resources:
            {{- toYaml .root.Values.resources.redis | nindent 12 }}
          readinessProbe:
            exec:
              command: ["redis-cli", "ping"]
            periodSeconds: 5
          livenessProbe:
            tcpSocket: {port: redis}
            initialDelaySeconds: 10
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "guestbook.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ $name }}
spec:
  selector:
    {{- include "guestbook.selector" (list .root $name) | nindent 4 }}
  ports:
    - name: redis
      port: 6379
      targetPort: redis
{{- end -}}
