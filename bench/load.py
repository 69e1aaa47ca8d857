"""The load generator: ``wrk`` where it can be had, else a labelled Python one; and warming the pages first.

Both only ever load 127.0.0.1. The Python load generator runs in its own process, as the internal
sub-command ``python -m bench.run _loadgen URL SECONDS CONNECTIONS``, so that its threads do not share
a GIL with the bench.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse

from .harness import HOST, PYTHON, REPO, BenchError, emit, json_result, say


def find_wrk(allow_install: bool) -> str | None:
    wrk = shutil.which("wrk")
    if wrk or not allow_install:
        return wrk
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    say("wrk is missing: apt-get install -y wrk")
    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=apt_env, capture_output=True, timeout=300).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=apt_env, capture_output=True, timeout=300)
        subprocess.run(install, env=apt_env, capture_output=True, timeout=300)
    return shutil.which("wrk")


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


# Counts the responses the page cache served (X-Page-Cache: hit) over all of wrk's threads. wrk hands
# the headers to Lua only when a response() function exists; the header names keep their case.
HITS_SCRIPT = REPO / "bench" / "page_cache_hits.lua"
HITS_LINE = "page-cache-hits"


def parse_wrk(output: str) -> dict:
    result = {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "errors": 0, "non_2xx_3xx": 0,
              "cache_hits": None, "cache_counted": None}
    for line in output.splitlines():
        line = line.strip()
        if match := re.match(rf"{HITS_LINE} (\d+) of (\d+)$", line):
            result["cache_hits"], result["cache_counted"] = int(match.group(1)), int(match.group(2))
        elif match := re.match(r"(50|99)%\s+(\S+)$", line):
            result[f"p{match.group(1)}_ms"] = round(_ms(match.group(2)), 2)
        elif match := re.match(r"Requests/sec:\s+([\d.]+)", line):
            result["rps"] = float(match.group(1))
        elif match := re.match(r"(\d+) requests in", line):
            result["requests"] = int(match.group(1))
        elif match := re.match(r"Non-2xx or 3xx responses:\s+(\d+)", line):
            result["non_2xx_3xx"] = int(match.group(1))
        elif line.startswith("Socket errors:"):
            result["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
    return result


def describe_loadgen(wrk: str | None, *, connections: int, threads: int) -> str:
    return (
        f"wrk ({threads} thread, {connections} connections)"
        if wrk
        else f"Python fallback load generator (threads + http.client keep-alive, {connections} connections)"
        " -- NOT wrk: its own CPU use lowers every number"
    )


def hit_ratio(result: dict) -> float | None:
    """The share of responses served from the page cache, in %."""
    if not result.get("cache_counted"):
        return None
    return round(100.0 * result["cache_hits"] / result["cache_counted"], 1)


def load_url(url: str, *, wrk: str | None, duration: int, connections: int, threads: int = 1, cookie: str = "") -> dict:
    """Load one URL for ``duration`` seconds: with wrk, or with the Python load generator where ``wrk`` is None.
    ``cookie``: the Cookie header every request sends (a shopper's session and currency)."""
    if wrk:
        return run_wrk(wrk, url, duration=duration, connections=connections, threads=threads, cookie=cookie)
    return run_python_loadgen(url, duration=duration, connections=connections, cookie=cookie)


def run_wrk(wrk: str, url: str, *, duration: int, connections: int, threads: int, cookie: str = "") -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
               "-s", str(HITS_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def run_python_loadgen(url: str, *, duration: int, connections: int, cookie: str = "") -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.run", "_loadgen", url, str(duration), str(connections), cookie],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    result = json_result(done.stdout)
    if result is None:
        raise BenchError(f"the Python load generator failed:\n{done.stderr[-2000:]}")
    return result


def loadgen_main(url: str, duration: float, connections: int, cookie: str = "") -> None:
    """Threads + http.client with keep-alive (reconnecting when the server closes): the fallback load generator."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    if parts.hostname != HOST:
        raise SystemExit(f"refusing to load {parts.hostname}: the bench only targets {HOST}")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    non_ok = [0] * connections
    hits = [0] * connections
    headers = {"Host": f"{HOST}:{parts.port}", **({"Cookie": cookie} if cookie else {})}

    def worker(index: int) -> None:
        conn = None
        while time.monotonic() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, parts.port, timeout=10)
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                latencies[index].append((time.perf_counter() - started) * 1000)
                hits[index] += response.getheader("X-Page-Cache") == "hit"
                if response.status >= 400:
                    non_ok[index] += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    merged = sorted(value for per_thread in latencies for value in per_thread)

    def percentile(q: float) -> float | None:
        return round(merged[min(len(merged) - 1, int(q * len(merged)))], 2) if merged else None

    emit(
        {
            "requests": len(merged),
            "rps": round(len(merged) / elapsed, 2),
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
            "errors": sum(errors),
            "non_2xx_3xx": sum(non_ok),
            "cache_hits": sum(hits),
            "cache_counted": len(merged),
        }
    )



def warm(base_url: str, pages: dict[str, str], rounds: int, cookie: str = "") -> dict[str, dict]:
    import requests

    seen = {}
    headers = {"Cookie": cookie} if cookie else {}
    for name, path in pages.items():
        response = None
        for _ in range(rounds):
            # a requests.get, not a Session: no cookie but ``cookie`` is ever sent
            response = requests.get(base_url + path, timeout=120, allow_redirects=False, headers=headers)
        info = {
            "page_cache": response.headers.get("X-Page-Cache", ""),
            "status": response.status_code,
            "bytes": len(response.content),
            "cache_control": response.headers.get("Cache-Control", ""),
            "set_cookie": "Set-Cookie" in response.headers,
        }
        images = re.findall(r'src="(/media/[^"]+)"', response.text)
        if images:
            info["image_status"] = requests.get(base_url + images[0], timeout=60).status_code
        seen[name] = info
        if response.status_code != 200:
            say(f"  warning: {path} answered {response.status_code}")
    return seen
