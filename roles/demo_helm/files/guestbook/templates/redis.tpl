{{ include "guestbook.redis" (dict "root" $ "role" "leader" "image" .Values.leader.image "replicas" 1) }}
---
{{ include "guestbook.redis" (dict "root" $ "role" "follower" "image" .Values.follower.image "replicas" .Values.follower.replicas) }}
