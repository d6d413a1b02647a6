"""What /healthz costs: a real granian server (tests/live_server.py: SQLite in a fresh data directory, one worker),
N requests on one kept-alive connection after a warm-up, milliseconds per request (median, 95th percentile, mean).

    .venv/bin/python bench/healthz.py [N]
"""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import start_live_server  # noqa: E402 - after the path


def main(count: int = 500) -> None:
    with tempfile.TemporaryDirectory(prefix="healthz-bench-") as data_dir:
        server, process = start_live_server(Path(data_dir))
        try:
            connection = server.connection()
            timings = []
            for index in range(count + 50):
                started = time.perf_counter()
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                body = json.loads(response.read())
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status == 200, body
                if index >= 50:  # the warm-up is not counted
                    timings.append(elapsed)
            connection.close()
        finally:
            process.terminate()
            process.wait(timeout=15)
    timings.sort()
    print(f"/healthz, {count} requests on one connection (granian, 1 worker, SQLite): "
          f"median {statistics.median(timings):.2f} ms, p95 {timings[int(len(timings) * 0.95)]:.2f} ms, "
          f"mean {statistics.fmean(timings):.2f} ms; last answer's checks: "
          + ", ".join(f"{name} {check['ms']} ms" for name, check in body["checks"].items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
