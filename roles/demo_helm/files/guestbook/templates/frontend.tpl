apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  labels:
    {{- include "guestbook.labels" . | nindent 4 }}
    app.kubernetes.io/component: frontend
spec:
  replicas: {{ .Values.frontend.replicas }}
  selector:
    matchLabels:
      {{- include "guestbook.selector" (list $ "frontend") | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "guestbook.selector" (list $ "frontend") | nindent 8 }}
    spec:
      containers:
        - name: php-redis
          image: {{ .Values.frontend.image }}
          env:
            - name: GET_HOSTS_FROM
              value: dns
          ports:
            - name: http
              containerPort: 80
          resources:
            {{- toYaml .Values.resources.frontend | nindent 12 }}
          readinessProbe:
            httpGet: {path: /, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /, port: http}
            initialDelaySeconds: 10
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  labels:
    {{- include "guestbook.labels" . | nindent 4 }}
    app.kubernetes.io/component: frontend
  {{- with .Values.frontend.service.hostname }}
  annotations:
    external-dns.alpha.kubernetes.io/hostname: {{ printf "%s." . | quote }}
  {{- end }}
spec:
  type: {{ .Values.frontend.service.type }}
  selector:
    {{- include "guestbook.selector" (list $ "frontend") | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
