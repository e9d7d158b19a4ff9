# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print, as JSON, what the rehearsal holds: AWS resources in the emulator,
Kubernetes objects by kind, files under the state directory and the stack's
processes. Two snapshots around a refused run must be equal.

Usage: snapshot.py <aws endpoint> <region> <kubeconfig> <state dir> [--settle] [--against FILE]

--settle   take snapshots until two in a row are equal (a stack that has just
           started still has controllers creating their objects), print the last
--against  compare with an earlier snapshot saved in FILE: print what differs,
           exit 1 if anything does
"""

import json
import os
import sys
import time

import boto3
from kubernetes import config
from kubernetes import dynamic

# Objects the cluster makes on its own, whatever we do (events come and go).
VOLATILE = {"Event"}


def aws(endpoint, region):
    kw = dict(endpoint_url=endpoint, region_name=region,
              aws_access_key_id="AKIDREHEARSALFAKE", aws_secret_access_key="snapshot-fake")
    ec2 = boto3.client("ec2", **kw)
    s3 = boto3.client("s3", **kw)
    r53 = boto3.client("route53", **kw)
    cfn = boto3.client("cloudformation", **kw)
    out = {
        "vpcs": sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]),
        "subnets": len(ec2.describe_subnets()["Subnets"]),
        "security_groups": len(ec2.describe_security_groups()["SecurityGroups"]),
        "route_tables": len(ec2.describe_route_tables()["RouteTables"]),
        "nat_gateways": sorted(n["NatGatewayId"] + ":" + n["State"]
                               for n in ec2.describe_nat_gateways()["NatGateways"]),
        "stacks": sorted(s["StackName"] + ":" + s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]),
        "buckets": {},
        "zones": {},
    }
    for bucket in s3.list_buckets().get("Buckets", []):
        keys = s3.list_objects_v2(Bucket=bucket["Name"]).get("Contents", [])
        out["buckets"][bucket["Name"]] = sorted(k["Key"] for k in keys)
    for zone in r53.list_hosted_zones()["HostedZones"]:
        records = r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        out["zones"][zone["Name"]] = sorted(r["Name"] + " " + r["Type"] for r in records)
    return out


def kubernetes(kubeconfig):
    api = dynamic.DynamicClient(config.new_client_from_config(config_file=kubeconfig))
    counts = {}
    for resource in api.resources.search():
        # Subresources and the *List pseudo-kinds are not objects of their own.
        if ("list" not in (resource.verbs or []) or "/" in resource.name or resource.kind in VOLATILE
                or resource.kind.endswith("List")):
            continue
        try:
            items = api.get(resource).items
        except Exception:  # noqa: BLE001 - an API nobody serves is not ours to count
            continue
        counts["%s/%s" % (resource.group_version, resource.kind)] = sorted(
            "%s/%s" % (i.metadata.namespace or "", i.metadata.name) for i in items)
    return counts


def files(state_dir):
    out = []
    for root, dirs, names in os.walk(state_dir):
        dirs[:] = [d for d in dirs if d not in ("logs",)]
        for name in names:
            if name.endswith(".log"):
                continue
            out.append(os.path.relpath(os.path.join(root, name), state_dir))
    return sorted(out)


def processes(state_dir):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                cmd = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # This snapshot (and the command that runs it) is not the stack.
        if state_dir in cmd and "snapshot.py" not in cmd:
            found.append(pid + " " + cmd.strip())
    return sorted(found)


def snapshot(endpoint, region, kubeconfig, state_dir):
    return {"aws": aws(endpoint, region), "kubernetes": kubernetes(kubeconfig),
            "files": files(state_dir), "processes": processes(state_dir)}


def differences(before, after, path=""):
    """Every leaf that differs between two snapshots, as 'path: before -> after'."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after)):
            out += differences(before.get(key), after.get(key), path + "/" + key)
        return out
    if isinstance(before, list) and isinstance(after, list):
        gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
        return ["%s: gone %s, new %s" % (path, gone, new)] if gone or new else []
    return [] if before == after else ["%s: %r -> %r" % (path, before, after)]


def main(argv):
    endpoint, region, kubeconfig, state_dir = argv[1:5]
    flags = argv[5:]
    current = snapshot(endpoint, region, kubeconfig, state_dir)
    if "--settle" in flags:
        deadline = time.monotonic() + 120
        while True:
            time.sleep(5)
            previous, current = current, snapshot(endpoint, region, kubeconfig, state_dir)
            if current == previous:
                break
            if time.monotonic() > deadline:
                sys.exit("the rehearsal did not settle in 120 s: %s" % differences(previous, current))
    if "--against" in flags:
        with open(flags[flags.index("--against") + 1]) as handle:
            changed = differences(json.load(handle), current)
        print("\n".join(changed) or "no difference")
        sys.exit(1 if changed else 0)
    print(json.dumps(current, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
