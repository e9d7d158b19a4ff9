# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive presenter mode through a pseudo-terminal, as the presenter on stage would.

Runs `ansible-playbook playbooks/talk.yml --tags <tags> -e k8s_talk_presenter=true` in a pty
(pexpect) and, for each selected stage of the talk in order: expects its narration and the
Enter prompt, checks the play is paused (no output for --quiet seconds), presses Enter,
then expects the real output of the stage's shown commands (every node's name after
inspect, the Deployment and Service after hello). At the end: the recap with failed=0
(and changed=0 unless --allow-changes: presenter mode on a converged talk changes nothing).

Usage: python tests/presenter/drive.py --kubeconfig PATH [--inventory DIR] [--tags inspect,hello]
       [--quiet SECONDS] [--timeout SECONDS] [--log FILE] [-- extra ansible-playbook arguments]
Prints one PASSED or FAILED line per check; exits 1 when one failed.
"""

import argparse
import os
import re
import sys
import time

import pexpect
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STAGES_FILE = os.path.join(ROOT, "roles", "k8s_talk", "defaults", "main", "stages.yml")


class Checks:
    def __init__(self):
        self.failed = 0

    def report(self, ok, what, detail=""):
        print("%s: %s%s" % ("PASSED" if ok else "FAILED", what, (" (%s)" % detail) if detail else ""), flush=True)
        if not ok:
            self.failed += 1
        return ok


def literal_prefix(template):
    """The text of a template up to its first expression: what the driver can expect verbatim."""
    return " ".join(template.split("{{", 1)[0].split())


def checked(template):
    """How a report names a command: the text checked, '...' where a template value follows."""
    return literal_prefix(template) + (" ..." if "{{" in template else "")


def role_default(role, var):
    with open(os.path.join(ROOT, "roles", role, "defaults", "main.yml")) as handle:
        return yaml.safe_load(handle)[var]


def node_names(kubeconfig):
    from kubernetes import client, config  # the venv's Kubernetes client (requirements.txt)

    api = config.new_client_from_config(config_file=kubeconfig)
    return sorted(node.metadata.name for node in client.CoreV1Api(api).list_node().items)


def selected(tags):
    """The talk's stages (not those tagged always) that these --tags select, in the talk's order."""
    with open(STAGES_FILE) as handle:
        stages = yaml.safe_load(handle)["k8s_talk_stages"]
    wanted = set(tags)
    return [s for s in stages if "always" not in s["tags"] and ("all" in wanted or wanted & set(s["tags"]))]


def expected_after(stage, kubeconfig):
    """Patterns that must appear after the stage, beyond its commands' lines: names of real objects."""
    if stage["name"] == "inspect":
        return [("node %s" % name, r"\n\s*%s\s" % re.escape(name)) for name in node_names(kubeconfig)]
    if stage["name"] == "hello":
        name = re.escape(role_default("demo_hello", "demo_hello_name"))
        return [("the Deployment", r"deployment\.apps/%s\s" % name), ("the Service", r"service/%s\s" % name),
                ("its description", r"Name:\s+%s\s" % name)]
    return []


def expect(child, checks, what, pattern, exact=False):
    """Wait for pattern in the terminal; report it; False when it never came."""
    try:
        (child.expect_exact if exact else child.expect)(pattern)
    except (pexpect.TIMEOUT, pexpect.EOF) as exc:
        return checks.report(False, what, "%s waiting for %r" % (type(exc).__name__, pattern))
    return checks.report(True, what)


def present(child, checks, stage, args):
    """One stage: its narration and commands, the pause, Enter, its commands' real output."""
    name = stage["name"]
    commands = stage.get("commands") or []
    narration = "[presenter] %s: %s" % (name, literal_prefix(stage.get("narration") or ""))
    if not expect(child, checks, "%s: the narration is shown before the stage" % name, narration, exact=True):
        return False
    for command in commands:
        if not expect(child, checks, "%s: the prompt lists %s" % (name, checked(command["cmd"])),
                      "    $ %s" % literal_prefix(command["cmd"]), exact=True):
            return False
    # The prompt's last line and its colon, then nothing until Enter.
    if not expect(child, checks, "%s: it asks for Enter" % name, "[presenter] press Enter to run %s:" % name,
                  exact=True):
        return False
    paused = child.expect([pexpect.TIMEOUT, r"\S"], timeout=args.quiet) == 0
    checks.report(paused, "%s: the play waits for Enter (nothing printed for %g s)" % (name, args.quiet),
                  "" if paused else "printed: %r" % (child.before + child.after))
    child.send("\r")
    # The stage runs, then presenter mode's last task prints the shown commands' output
    # (before the stage the same task was skipped).
    if not expect(child, checks, "%s: the stage ran and its commands' output is printed" % name,
                  r"Presenter \| Show what they print\] \**\r?\nok: "):
        return False
    if not expect(child, checks, "%s: the play goes on after the output" % name, r"\n(PLAY|TASK) "):
        return False
    shown = child.before
    for command in [c for c in commands if c.get("show")]:
        checks.report("$ %s" % literal_prefix(command["cmd"]) in shown,
                      "%s: after the stage, %s ran" % (name, checked(command["cmd"])))
    for what, pattern in expected_after(stage, args.kubeconfig):
        checks.report(re.search(pattern, shown) is not None, "%s: its real output shows %s" % (name, what))
    return True


def recap(child, checks, args):
    """The play recap: failed=0 (and changed=0), and ansible-playbook's exit status."""
    if not expect(child, checks, "the play recap is printed", r"RECAP \*+"):
        return
    if not expect(child, checks, "the recap counts", r"ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)"):
        return
    ok, changed, unreachable, failed = (int(n) for n in child.match.groups())
    checks.report(failed == 0 and unreachable == 0, "the recap has failed=0",
                  "ok=%d changed=%d failed=%d" % (ok, changed, failed))
    if not args.allow_changes:
        checks.report(changed == 0, "presenter mode changed nothing (changed=0)", "changed=%d" % changed)
    child.expect(pexpect.EOF)
    child.close()
    checks.report(child.exitstatus == 0, "ansible-playbook exited 0", "exit %s" % child.exitstatus)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True, help="the talk's kubeconfig (k8s_talk_kubeconfig)")
    parser.add_argument("--inventory", default=os.path.join(ROOT, "inventories", "rehearsal"))
    parser.add_argument("--tags", default="inspect,hello")
    parser.add_argument("--quiet", type=float, default=4.0, help="seconds the paused play must stay silent")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds each step may take")
    parser.add_argument("--log", help="write the whole terminal transcript here")
    parser.add_argument("--allow-changes", action="store_true", help="do not require changed=0 in the recap")
    parser.add_argument("extra", nargs="*", help="more ansible-playbook arguments (after --)")
    args = parser.parse_args(argv)

    checks = Checks()
    stages = selected(args.tags.split(","))
    if not checks.report(bool(stages), "--tags %s selects stages of the talk" % args.tags):
        return 1
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    command = [playbook, "-i", args.inventory, os.path.join(ROOT, "playbooks", "talk.yml"),
               "--tags", args.tags, "-e", "k8s_talk_presenter=true"] + args.extra
    # No colours: the checks read the text as the presenter sees it, without escape sequences.
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PYTHONUNBUFFERED="1")
    print("driving: %s" % " ".join(command), flush=True)
    started = time.monotonic()
    child = pexpect.spawn(command[0], command[1:], cwd=ROOT, env=env, encoding="utf-8",
                          codec_errors="replace", timeout=args.timeout, dimensions=(50, 200))
    if args.log:
        os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
    log = open(args.log, "w") if args.log else None
    child.logfile_read = log
    try:
        if all(present(child, checks, stage, args) for stage in stages):
            recap(child, checks, args)
    finally:
        if child.isalive():
            child.terminate(force=True)
        if log:
            log.close()
    print("%s: %d stage(s) of the talk presented in %d s" % (
        "FAILED" if checks.failed else "PASSED", len(stages), time.monotonic() - started), flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
