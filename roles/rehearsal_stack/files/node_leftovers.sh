#!/usr/bin/env bash
# List what the rehearsal stack's real node may leave on its host, one line per
# item, independently of the role (the role's own check is the module
# indydevops.k8s_talk.rehearsal_node_host, action=leftovers). Prints nothing
# and exits 0 on a clean host; exits 1 when something is left.
# Usage: node_leftovers.sh STACK_DIR [BRIDGE] [INTERFACE]
set -u
dir="${1:?usage: $0 STACK_DIR [BRIDGE] [INTERFACE]}"
node="${dir%/}/node"
bridge="${2:-k8s-talk-br0}"
iface="${3:-k8s-talk0}"
found=0
say() { echo "$1"; found=1; }
grep -lsF "$node" /proc/[0-9]*/cmdline | cut -d/ -f3 | while read -r pid; do
  # The grep itself has exited by now: its command line reads empty.
  cmd="$(tr '\0' ' ' 2>/dev/null </proc/"$pid"/cmdline | cut -c1-120)"
  [ -n "$cmd" ] && [ "$pid" != "$$" ] && echo "process $pid: $cmd"
done > "${TMPDIR:-/tmp}/node_leftovers.$$"
if [ -s "${TMPDIR:-/tmp}/node_leftovers.$$" ]; then cat "${TMPDIR:-/tmp}/node_leftovers.$$"; found=1; fi
rm -f "${TMPDIR:-/tmp}/node_leftovers.$$"
for cg in /sys/fs/cgroup/kubepods /sys/fs/cgroup/*/kubepods; do
  [ -d "$cg" ] && find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | while read -r pid; do
    echo "process $pid in $cg: $(tr '\0' ' ' 2>/dev/null </proc/"$pid"/cmdline | cut -c1-80)"
  done
done
while read -r _ point _; do
  case "$point" in "$node"|"$node"/*|/run/containerd|/run/containerd/*|/var/lib/kubelet/*) say "mount $point";; esac
done </proc/self/mounts
for ns in /var/run/netns/cni-*; do [ -e "$ns" ] && say "netns $ns"; done
for link in "$bridge" "$iface"; do ip link show dev "$link" >/dev/null 2>&1 && say "link $link"; done
ip -o link show type veth 2>/dev/null | grep -q "master $bridge" && say "veths on $bridge"
for tool in iptables ip6tables; do
  command -v "$tool-save" >/dev/null || continue
  for table in filter nat mangle raw; do
    for chain in $("$tool-save" -t "$table" 2>/dev/null | sed -n 's/^:\(KUBE-[^ ]*\|CNI-[^ ]*\) .*/\1/p'); do
      say "$tool $table chain $chain"
    done
  done
done
for cg in /sys/fs/cgroup/kubepods /sys/fs/cgroup/*/kubepods; do [ -d "$cg" ] && say "cgroup $cg"; done
for path in /var/log/containers /var/log/pods /var/lib/kubelet /var/lib/cni /run/containerd /etc/cni /opt/cni; do
  [ -e "$path" ] && say "path $path (was it there before the node started?)"
done
exit "$found"
