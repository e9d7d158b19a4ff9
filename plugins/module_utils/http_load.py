# -*- coding: utf-8 -*-
# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bounded HTTP load run from the controller: the autoscaling demo's load generator.

The talk's upstream walkthrough (HorizontalPodAutoscaler Walkthrough) runs
``while sleep 0.01; do wget -q -O- http://php-apache; done`` in a pod until
the presenter presses Ctrl-C. Here the load has a fixed duration and a fixed
number of workers, and every request has a timeout, so the run always ends by
itself: at most ``duration + timeout`` seconds.

Pure logic: the HTTP call goes through a ``fetch(url, timeout)`` callable
that returns the HTTP status (unit tests give a fake); ``clock`` and the
thread count are parameters.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import time

try:
    from ansible.module_utils.urls import open_url
except ImportError:  # pragma: no cover - the module always runs with ansible-core
    open_url = None


class LoadError(ValueError):
    """The load run cannot start; the message says why."""


def urllib_fetch(url, timeout):
    """GET url, read the whole answer, return the HTTP status."""
    with open_url(url, timeout=timeout) as resp:
        resp.read()
        return resp.status


def check_args(url, duration, concurrency, timeout):
    if not str(url).startswith(("http://", "https://")):
        raise LoadError("the url must be http:// or https://, got %r" % (url,))
    if not 0 < duration <= 3600:
        raise LoadError("duration must be between 1 and 3600 seconds, got %r" % (duration,))
    if not 0 < concurrency <= 64:
        raise LoadError("concurrency must be between 1 and 64 workers, got %r" % (concurrency,))
    if not 0 < timeout <= 300:
        raise LoadError("timeout must be between 1 and 300 seconds, got %r" % (timeout,))


def summarize(statuses, errors, started, ended):
    """The run's numbers: requests sent, answered 2xx, not answered 2xx, rate.

    (``not_ok``, not ``failed``: Ansible reads a result's ``failed`` as the task's.)
    """
    elapsed = max(ended - started, 1e-9)
    ok = sum(1 for status in statuses if 200 <= status < 300)
    return {
        "requests": len(statuses) + len(errors),
        "ok": ok,
        "not_ok": len(statuses) - ok + len(errors),
        "errors": sorted(set(errors))[:5],
        "seconds": round(elapsed, 1),
        "rate": round((len(statuses) + len(errors)) / elapsed, 1),
    }


def run_load(url, duration, concurrency=1, timeout=10, fetch=None, clock=time.monotonic):
    """GET url from ``concurrency`` workers until ``duration`` seconds have passed; return the summary."""
    check_args(url, duration, concurrency, timeout)
    fetch = fetch or urllib_fetch
    started = clock()
    deadline = started + duration
    statuses, errors = [], []
    lock = threading.Lock()

    def worker():
        while clock() < deadline:
            try:
                status, error = fetch(url, timeout), None
            except Exception as exc:  # pylint: disable=broad-except
                # Any failure of one request (refused, reset, timed out, HTTP error) is
                # counted, never fatal: the load must run its full duration.
                status, error = None, "%s: %s" % (type(exc).__name__, exc)
            with lock:
                if error is None:
                    statuses.append(status)
                else:
                    errors.append(error)

    threads = [threading.Thread(target=worker, name="load-%d" % i) for i in range(concurrency)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join(duration + timeout + 5)
    return summarize(statuses, errors, started, clock())
