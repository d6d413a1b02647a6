"""wrk over loopback, read back as numbers: the one load runner the benchmark scripts share.

``run_wrk(url, connections=2, threads=2, duration=20, headers={"Cookie": ...})`` runs ``wrk --latency`` with a
small Lua script that counts every response by status class and adds up the body sizes, and returns a dict:

    requests, duration_s, rps, latency_ms {p50, p75, p90, p99, max, mean}, status {"2xx": n, "3xx": n, ...},
    non_2xx (every response that was not 2xx: a redirect to the login page counts here), errors
    {connect, read, write, timeout}, body_bytes {mean, min, max}, load_1m [before, after]
    and, given the server's worker pids, server_cpu_s and server_cpu_ms_per_request

wrk counts only the requests that completed within ``duration``: a page slower than the run is 0 req/s.

The percentiles come from wrk's own histogram (``done()`` in the Lua script), not from parsing its text, so they are
exact to the microsecond. ``timed_request`` makes one plain request with http.client and returns its status, body
size and wall time: the "single request" column; ``median_request`` repeats it;
``warm_up`` loads a page briefly before it is measured. ``cpu_seconds``, ``child_pids`` and
``memory_mib`` read a server's workers from /proc (CPU time used, RSS now and at peak). Only for 127.0.0.1; every run
is bounded by ``duration``.
"""

import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

MARKER = "WRKJSON "

# Each wrk thread counts in its own Lua state; done() reads every thread's counters back through thread:get().
LUA = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  s2, s3, s4, s5, other = 0, 0, 0, 0, 0
  body_total, body_min, body_max, responses = 0, -1, 0, 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then s2 = s2 + 1
  elseif status >= 300 and status < 400 then s3 = s3 + 1
  elseif status >= 400 and status < 500 then s4 = s4 + 1
  elseif status >= 500 then s5 = s5 + 1
  else other = other + 1 end
  local size = #body
  body_total = body_total + size
  responses = responses + 1
  if body_min < 0 or size < body_min then body_min = size end
  if size > body_max then body_max = size end
end

function done(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, s4 = 0, s5 = 0, other = 0, body_total = 0, body_min = -1, body_max = 0, responses = 0}
  for _, thread in ipairs(threads) do
    for _, key in ipairs({"s2", "s3", "s4", "s5", "other", "body_total", "responses"}) do
      t[key] = t[key] + (thread:get(key) or 0)
    end
    local tmin = thread:get("body_min") or -1
    if tmin >= 0 and (t.body_min < 0 or tmin < t.body_min) then t.body_min = tmin end
    local tmax = thread:get("body_max") or 0
    if tmax > t.body_max then t.body_max = tmax end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p75": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"status": {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d, "other": %d}, ' ..
    '"responses": %d, "body_total": %d, "body_min": %d, "body_max": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean,
    t.s2, t.s3, t.s4, t.s5, t.other, t.responses, t.body_total, t.body_min, t.body_max))
end
"""


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes ``pids`` have used so far (from /proc/<pid>/stat), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total / ticks


def child_pids(pid: int) -> list[int]:
    """The direct children of ``pid`` (an app server's workers under its master), from /proc."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            children += [int(child) for child in (task / "children").read_text().split()]
    return sorted(children)


def memory_mib(pid: int) -> dict:
    """Resident memory of ``pid`` now (VmRSS) and at its peak (VmHWM), in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"pid": pid, "rss_mib": values.get("VmRSS"), "peak_rss_mib": values.get("VmHWM")}


def run_wrk(url: str, *, connections: int = 2, threads: int = 2, duration: int = 20,
            headers: dict[str, str] | None = None, timeout: int = 30, server_pids: list[int] | None = None) -> dict:
    """One wrk run against ``url`` (GET), as numbers. ``duration`` in seconds (keep it ≤ 20 on this machine);
    ``timeout`` is wrk's per-request timeout: a request slower than that counts in errors.timeout.

    With ``server_pids`` (the app server's worker processes) the result also has the CPU time those processes used
    during the run per request (``server_cpu_ms_per_request``): unlike req/s it hardly moves when other work
    shares the cores. It includes the work on requests still in flight when wrk stopped (not counted as
    requests), so for pages slower than a few hundred ms it reads high: time single requests for the exact figure.
    ``load_1m`` is the machine's load average before and after the run."""
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"wrk runs only against loopback, not {url}")
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed")
    threads = min(threads, connections)
    with tempfile.TemporaryDirectory(prefix="wrk-") as tmp:
        script = Path(tmp) / "count.lua"
        script.write_text(LUA, encoding="utf-8")
        command = [wrk, f"-c{connections}", f"-t{threads}", f"-d{duration}s", f"--timeout={timeout}s",
                   "--latency", "-s", str(script)]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(url)
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server_pids or [])
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + timeout + 30)
        cpu_used = cpu_seconds(server_pids or []) - cpu_before
        load_after = os.getloadavg()[0]
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    result = parse_wrk(completed.stdout, connections=connections, threads=threads)
    result["load_1m"] = [round(load_before, 2), round(load_after, 2)]
    if server_pids:
        result["server_cpu_s"] = round(cpu_used, 2)
        requests = result["requests"]
        result["server_cpu_ms_per_request"] = round(cpu_used * 1000 / requests) if requests else None
    return result


def warm_up(url: str, *, headers: dict[str, str] | None = None, seconds: int = 3, connections: int = 4) -> None:
    """Load ``url`` for ``seconds`` and throw the figures away, so that every worker of the server has served the
    page (templates compiled, imports done, caches filled) before it is measured: a cold worker's first requests
    cost 0.3–0.6 s and, landing in a short run, made its p99 (issue 13). Both projects get the same warm-up.
    Then it waits as long as the slowest warm-up request took, so that requests still in flight when wrk stopped
    are done before anything is timed (their CPU would count against the next measurement)."""
    run = run_wrk(url, connections=connections, threads=min(2, connections), duration=seconds, headers=headers,
                  timeout=max(30, seconds))
    slowest_ms = (run.get("latency_ms") or {}).get("max") or 1000
    time.sleep(min(15.0, slowest_ms / 1000 + 0.3))


def parse_wrk(output: str, *, connections: int, threads: int) -> dict:
    """The dict run_wrk returns, from wrk's stdout with the Lua script's WRKJSON line."""
    line = next((line for line in output.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary line:\n{output}")
    raw = json.loads(line[len(MARKER):])
    seconds = raw["duration_us"] / 1e6
    requests = raw["requests"]
    responses = raw["responses"] or 0
    status = raw["status"]
    errors = {key: raw["errors"][key] for key in ("connect", "read", "write", "timeout")}
    return {
        "connections": connections,
        "threads": threads,
        "requests": requests,
        "duration_s": round(seconds, 2),
        "rps": round(requests / seconds, 2) if seconds else 0.0,
        # No request finished: wrk's histogram is empty and its zeros are no latency.
        "latency_ms": {key: round(value / 1000, 1) if requests else None for key, value in raw["latency_us"].items()},
        "status": status,
        "non_2xx": responses - status["2xx"],
        "errors": errors,
        "error_total": sum(errors.values()),
        "body_bytes": {
            "mean": round(raw["body_total"] / responses) if responses else 0,
            "min": max(raw["body_min"], 0),
            "max": raw["body_max"],
        },
        "wire_bytes_per_request": round(raw["bytes"] / requests) if requests else 0,
    }


def timed_request(url: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                  body: bytes | None = None, timeout: float = 120) -> dict:
    """One request over a fresh connection: status, body size, the Location of a redirect, and wall time (s)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    return {
        "status": response.status,
        "bytes": len(content),
        "seconds": round(elapsed, 3),
        "location": response.getheader("Location"),
        "content_type": response.getheader("Content-Type"),
        "content_disposition": response.getheader("Content-Disposition"),
        "body": content,
    }


def median_request(url: str, *, runs: int = 3, **kwargs) -> dict:
    """``timed_request`` ``runs`` times in a row; the last response's fields with the median and every time."""
    results = [timed_request(url, **kwargs) for _ in range(runs)]
    times = [result["seconds"] for result in results]
    last = dict(results[-1])
    last.pop("body")
    last["seconds"] = round(statistics.median(times), 3)
    last["all_seconds"] = times
    return last
