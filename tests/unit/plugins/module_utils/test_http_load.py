# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bounded load run: ends by itself, counts every request, never fails on one."""

import http.server
import threading

import pytest
from ansible_collections.indydevops.k8s_talk.plugins.module_utils import http_load


class FakeClock:
    """Each call advances time by step: a run of duration d makes about d/step calls."""

    def __init__(self, step=1.0):
        self.now, self.step, self.lock = 0.0, step, threading.Lock()

    def __call__(self):
        with self.lock:
            self.now += self.step
            return self.now


@pytest.mark.parametrize("url, duration, concurrency, timeout, message", [
    ("ftp://x/", 10, 1, 5, "http:// or https://"),
    ("http://x/", 0, 1, 5, "duration must be between 1 and 3600"),
    ("http://x/", 3601, 1, 5, "duration must be between 1 and 3600"),
    ("http://x/", 10, 0, 5, "concurrency must be between 1 and 64"),
    ("http://x/", 10, 65, 5, "concurrency must be between 1 and 64"),
    ("http://x/", 10, 1, 0, "timeout must be between 1 and 300"),
])
def test_bad_arguments_are_refused_before_any_request(url, duration, concurrency, timeout, message):
    calls = []
    with pytest.raises(http_load.LoadError, match=message):
        http_load.run_load(url, duration, concurrency, timeout, fetch=lambda u, t: calls.append(u))
    assert calls == []


def test_the_run_stops_at_its_duration_and_counts_statuses():
    answers = iter([200, 200, 503, 200] * 100)
    result = http_load.run_load("http://svc/", 10, fetch=lambda url, timeout: next(answers),
                                clock=FakeClock(step=1.0))
    # Calls to the clock: start, then one per loop test; 10 s of 1 s steps is a handful of requests.
    assert 0 < result["requests"] < 10
    assert result["requests"] == result["ok"] + result["not_ok"]
    assert result["not_ok"] == sum(1 for i in range(result["requests"]) if i % 4 == 2)


def test_a_failing_request_is_counted_never_fatal():
    def fetch(url, timeout):
        raise ConnectionRefusedError("refused")

    result = http_load.run_load("http://svc/", 5, concurrency=2, fetch=fetch, clock=FakeClock(step=0.5))
    assert result["ok"] == 0 and result["not_ok"] == result["requests"] > 0
    assert result["errors"] == ["ConnectionRefusedError: refused"]


@pytest.mark.parametrize("statuses, errors, expected", [
    ([], [], {"requests": 0, "ok": 0, "not_ok": 0, "errors": []}),
    ([200, 204, 500], ["E: x", "E: x", "E: y"], {"requests": 6, "ok": 2, "not_ok": 4, "errors": ["E: x", "E: y"]}),
])
def test_summarize(statuses, errors, expected):
    result = http_load.summarize(statuses, errors, 0.0, 2.0)
    assert {key: result[key] for key in expected} == expected
    assert result["seconds"] == 2.0 and result["rate"] == round(expected["requests"] / 2.0, 1)


def test_a_real_server_is_loaded_for_about_the_duration():
    served = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            served.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"OK!")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = http_load.run_load("http://127.0.0.1:%d/" % server.server_port, 1, concurrency=2, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert result["ok"] == result["requests"] == len(served) > 0
    assert 1.0 <= result["seconds"] < 3.0
