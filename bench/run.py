"""Throughput benchmark of the public site (``make bench``): a benchmark, not a test.

One run:
1. makes sure the PostgreSQL database ``souk_bench`` exists, migrates it, seeds a 10,000-product demo
   catalogue (idempotent) and collects the static files;
2. finds the pages to measure in the database (home, a category listing, a product, a seller) and adds
   the ceiling, ``/bench/ceiling``: a constant response through the whole middleware stack;
3. for each pass (page cache off, then on) serves the app with gunicorn on a free loopback port, warms
   every page, then loads each page for a fixed time with ``wrk`` (or, where wrk cannot be had, a
   labelled Python load generator), both only ever aimed at 127.0.0.1;
4. counts the SQL queries of each page in-process (Django's test client, same database and settings);
5. prints a table beside the goals and writes it as JSON to ``bench/results/bench.json``.

gunicorn is always stopped at the end, on error and on Ctrl-C too.

Internal sub-commands, run as separate processes by the bench itself: ``_probe`` (find the pages),
``_queries`` (count queries, optionally profile) and ``_loadgen`` (the Python load generator).

This module is the command line and the run; the parts it runs are ``bench.harness`` (environment,
database, set-up, sub-processes), ``bench.server`` (gunicorn), ``bench.load`` (wrk or the Python load
generator), ``bench.pages`` (the pages, seen from inside Django) and ``bench.report`` (goals, table, JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime

<<<<<<< HEAD
REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "bench"
RESULTS_DIR = BENCH_DIR / "results"
MEDIA_ROOT = BENCH_DIR / ".media"
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn") if (VENV_BIN / "gunicorn").exists() else (shutil.which("gunicorn") or "gunicorn")

HOST = "127.0.0.1"  # the only address this bench ever sends traffic to
DEFAULT_DATABASE_NAME = "souk_bench"
SETTINGS_MODULE = "config.settings.production"
JSON_MARKER = "BENCH-JSON "

GOALS = {"uncached_pct_of_ceiling": 10.0, "cached_pct_of_ceiling": 50.0, "max_queries": 10}
PASSES = {"uncached": 0, "cached": 300}  # pass name -> PAGE_CACHE_SECONDS

# Variables the settings read that must not leak from the caller's shell into a reproducible run.
ENV_DROPPED = (
    "DJANGO_SETTINGS_MODULE",
    "GUNICORN_CMD_ARGS",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "PAGE_CACHE_SECONDS",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX",
    "EMAIL_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "MEDIA_ROOT",
    "SERVE_MEDIA",
    "LOG_LEVEL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
)


class BenchError(RuntimeError):
    pass


def say(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------------
# Environment, database, set-up
# --------------------------------------------------------------------------------------------------


def app_env(database_url: str, *, cache_seconds: int, redis_url: str = "") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ENV_DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        SECRET_KEY="bench-only",  # noqa: S106 (not a secret: bench only)
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(MEDIA_ROOT),
        SERVE_MEDIA="true",
        LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS=str(cache_seconds),
        # Tasks (rendition warming on publish) run in the web process, even when the cache is Redis.
        CELERY_BROKER_URL="memory://",
        # The load generator is one client address: the search API's per-address limit would answer 429.
        RATE_LIMIT_SEARCH="100000000/m",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _database_urls() -> list[str]:
    override = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if override:
        return [override]
    users = ["postgres"]
    current = getpass.getuser()
    if current not in users:
        users.append(current)
    return [f"postgres://{user}@{HOST}:5432/{DEFAULT_DATABASE_NAME}" for user in users]


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urllib.parse.urlunsplit(parts)


def ensure_database() -> str:
    """The URL of a reachable bench database, created if missing (psycopg first, then createdb)."""
    errors = []
    for url in _database_urls():
        name = _connect_params(url)["dbname"]
        params = _connect_params(url, dbname="postgres")
        try:
            import psycopg
            from psycopg import sql

            with psycopg.connect(autocommit=True, **params) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    say(f"Created database {name}.")
            return url
        except ImportError:
            command = ["createdb", "-h", str(params["host"]), "-p", str(params["port"]), "-U", params["user"], name]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode == 0 or "already exists" in done.stderr:
                return url
            errors.append(f"{_redact(url)}: createdb: {done.stderr.strip()}")
        except Exception as error:  # try the next candidate user, report them all at the end
            errors.append(f"{_redact(url)}: {type(error).__name__}: {error}")
    raise BenchError("No usable PostgreSQL for the bench (set BENCH_DATABASE_URL):\n  " + "\n  ".join(errors))


def _connect_params(url: str, *, dbname: str | None = None) -> dict:
    parts = urllib.parse.urlsplit(url)
    params = {
        "host": parts.hostname or HOST,
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or getpass.getuser()),
        "dbname": dbname or parts.path.lstrip("/") or DEFAULT_DATABASE_NAME,
        "connect_timeout": 5,
    }
    if parts.password:
        params["password"] = urllib.parse.unquote(parts.password)
    return params


def analyze_database(url: str) -> tuple[float, str]:
    """ANALYZE the bench database; returns (seconds, the server's autovacuum setting).

    seed_demo bulk-inserts tens of thousands of rows; until the planner has statistics it plans for
    empty tables (nested loops over 10,000 rows). Production has autovacuum to gather them; this
    machine's PostgreSQL may not, so the bench gathers them itself.
    """
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(autocommit=True, **_connect_params(url)) as conn:
        autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        conn.execute("ANALYZE")
    return time.perf_counter() - started, autovacuum


def manage(args: list[str], env: dict[str, str], *, capture: bool) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed (exit {done.returncode}):\n{(done.stdout or '')[-3000:]}")
    return seconds, done.stdout or ""


def setup_database(env: dict[str, str], products: int, *, analyze: bool) -> dict[str, float]:
    timings = {}
    say("== set-up")
    seconds, out = manage(["migrate", "--noinput"], env, capture=True)
    applied = sum(1 for line in out.splitlines() if line.strip().startswith("Applying "))
    timings["migrate_s"] = round(seconds, 1)
    say(f"migrate: {applied} migration(s) applied in {seconds:.1f} s")
    say(f"seed_demo --products {products}:")
    seconds, _ = manage(["seed_demo", "--products", str(products)], env, capture=False)
    timings["seed_demo_s"] = round(seconds, 1)
    say(f"seed_demo took {seconds:.1f} s")
    if analyze:
        seconds, autovacuum = analyze_database(env["DATABASE_URL"])
        timings["analyze_s"] = round(seconds, 1)
        say(f"ANALYZE: {seconds:.1f} s (the server's autovacuum is {autovacuum})")
    else:
        say("ANALYZE skipped (--no-analyze): query plans may be those for empty tables")
    seconds, out = manage(["collectstatic", "--noinput"], env, capture=True)
    last = [line for line in out.splitlines() if line.strip()][-1:] or [""]
    timings["collectstatic_s"] = round(seconds, 1)
    say(f"collectstatic: {last[0].strip()} ({seconds:.1f} s)")
    return timings


def django_subcommand(name: str, env: dict[str, str], *args: str) -> dict:
    """Run ``python -m bench.run <name>`` with the app's environment; return the JSON it prints."""
    done = subprocess.run(
        [PYTHON, "-m", "bench.run", name, *args], cwd=REPO, env=env, text=True, capture_output=True, timeout=900
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(JSON_MARKER):
            return json.loads(line[len(JSON_MARKER) :])
    raise BenchError(f"bench.run {name} failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


# --------------------------------------------------------------------------------------------------
# gunicorn
# --------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], *, workers: int, log_path: Path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        command = [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
        ]
        if "--no-control-socket" in _gunicorn_help():
            command.append("--no-control-socket")  # the default socket path is shared by every gunicorn of the user
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                response = requests.get(f"{self.base_url}/healthz", timeout=10)
            except requests.RequestException:
                time.sleep(0.25)
                continue
            if response.status_code != 200:
                say(f"  warning: /healthz answered {response.status_code}: {response.text[:400]}")
            return
        raise BenchError(f"gunicorn did not answer on {self.base_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


_GUNICORN_HELP: str | None = None


def _gunicorn_help() -> str:
    global _GUNICORN_HELP
    if _GUNICORN_HELP is None:
        try:
            _GUNICORN_HELP = subprocess.run([GUNICORN, "--help"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            _GUNICORN_HELP = ""
    return _GUNICORN_HELP


def gunicorn_version() -> str:
    try:
        return subprocess.run([GUNICORN, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


# --------------------------------------------------------------------------------------------------
# Load generation
# --------------------------------------------------------------------------------------------------


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


def parse_wrk(output: str) -> dict:
    result = {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "errors": 0, "non_2xx_3xx": 0}
    for line in output.splitlines():
        line = line.strip()
        if match := re.match(r"(50|99)%\s+(\S+)$", line):
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


def run_wrk(wrk: str, url: str, *, duration: int, connections: int, threads: int) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def run_python_loadgen(url: str, *, duration: int, connections: int) -> dict:
    done = subprocess.run(
        [PYTHON, "-m", "bench.run", "_loadgen", url, str(duration), str(connections)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(JSON_MARKER):
            return json.loads(line[len(JSON_MARKER) :])
    raise BenchError(f"the Python load generator failed:\n{done.stderr[-2000:]}")


def loadgen_main(url: str, duration: float, connections: int) -> None:
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

    def worker(index: int) -> None:
        conn = None
        while time.monotonic() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, parts.port, timeout=10)
                started = time.perf_counter()
                conn.request("GET", path, headers={"Host": f"{HOST}:{parts.port}"})
                response = conn.getresponse()
                response.read()
                latencies[index].append((time.perf_counter() - started) * 1000)
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

    print(
        JSON_MARKER
        + json.dumps(
            {
                "requests": len(merged),
                "rps": round(len(merged) / elapsed, 2),
                "p50_ms": percentile(0.50),
                "p99_ms": percentile(0.99),
                "errors": sum(errors),
                "non_2xx_3xx": sum(non_ok),
            }
        )
    )


# --------------------------------------------------------------------------------------------------
# In-process Django work: page discovery, query counts, profiles
# --------------------------------------------------------------------------------------------------


def _django_setup() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def probe_main() -> None:
    _django_setup()
    from catalog.models import CategoryIndexPage, HomePage, Product, ProductPage, SellerPage
    from sellers.models import Seller

    def english(model):
        return model.objects.live().filter(locale__language_code="en").order_by("path")

    def path_of(page, fallback=None):
        if page is None:
            return fallback
        parts = page.get_url_parts()
        return parts[2] if parts else fallback

    verified = Seller.Status.VERIFIED
    category = (
        english(CategoryIndexPage).filter(slug="textiles-and-weaving").first() or english(CategoryIndexPage).first()
    )
    pages = {
        "home": path_of(english(HomePage).first(), "/en/"),
        "category": path_of(category),
        "product": path_of(english(ProductPage).filter(product__seller__status=verified).first()),
        "seller": path_of(english(SellerPage).filter(seller__status=verified).first()),
    }
    print(
        JSON_MARKER
        + json.dumps(
            {
                "pages": pages,
                "products": Product.objects.count(),
                "product_pages": ProductPage.objects.count(),
                "sellers": Seller.objects.filter(status=verified).count(),
            }
        )
    )


def _sql_shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)+\)", "(?...)", sql)


def queries_main(pages_json: str) -> None:
    """Query count (and in-process render time) of each page after warming; cProfile with BENCH_PROFILE=1."""
    _django_setup()
    from collections import Counter

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pages = json.loads(pages_json)
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)

    def get(path):
        client.cookies.clear()  # like the load generator: an anonymous visitor without cookies
        return client.get(path)

    report = {}
    for name, path in pages.items():
        for _ in range(3):
            get(path)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = get(path)
        # Copied now: the next request's request_started signal empties the log that captured_queries slices.
        sqls = [query["sql"] for query in captured.captured_queries]
        shapes = Counter(_sql_shape(sql) for sql in sqls)
        timings = []
        for _ in range(10):
            started = time.perf_counter()
            get(path)
            timings.append((time.perf_counter() - started) * 1000)
        report[name] = {
            "status": response.status_code,
            "queries": len(sqls),
            "repeated": [{"count": count, "sql": sql[:300]} for sql, count in shapes.most_common() if count > 1],
            "sql": [sql[:300] for sql in sqls],
            "render_ms_median": round(statistics.median(timings), 2),
        }
    if os.environ.get("BENCH_PROFILE") == "1":
        import cProfile
        import io
        import pstats

        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        for name, path in pages.items():
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                get(path)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            out.write(f"# {name} {path}: 20 requests, in-process (Django test client)\n\n## by cumulative time\n")
            stats.sort_stats("cumulative").print_stats(40)
            out.write("\n## by own time\n")
            stats.sort_stats("tottime").print_stats(25)
            target = RESULTS_DIR / f"profile-{name}.txt"
            target.write_text(out.getvalue())
            report[name]["profile"] = str(target.relative_to(REPO))
    print(JSON_MARKER + json.dumps(report))


# --------------------------------------------------------------------------------------------------
# The bench
# --------------------------------------------------------------------------------------------------


def warm(base_url: str, pages: dict[str, str], rounds: int) -> dict[str, dict]:
    import requests

    seen = {}
    for name, path in pages.items():
        response = None
        for _ in range(rounds):
            response = requests.get(base_url + path, timeout=120, allow_redirects=False)  # no session: no cookies
        info = {
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
=======
from .harness import (
    HOST,
    MEDIA_ROOT,
    PASSES,
    REPO,
    RESULTS_DIR,
    SETTINGS_MODULE,
    BenchError,
    app_env,
    code_fingerprint,
    django_subcommand,
    ensure_database,
    git_revision,
    redact,
    say,
    setup_database,
)
from .load import describe_loadgen, find_wrk, load_url, loadgen_main, warm
from .pages import probe_main, queries_main
from .report import GOALS, print_results, score_pass, write_json
from .server import Gunicorn, gunicorn_version
>>>>>>> u-bench


def run_pass(
    pass_name: str,
    cache_seconds: int,
    *,
    database_url: str,
    redis_url: str,
    pages: dict[str, str],
    args,
    wrk: str | None,
) -> tuple[list[dict], dict]:
    env = app_env(database_url, cache_seconds=cache_seconds, redis_url=redis_url)
    server = Gunicorn(env, workers=args.workers, log_path=RESULTS_DIR / f"gunicorn-{pass_name}.log")
    rows = []
    say(f"\n== pass '{pass_name}' (PAGE_CACHE_SECONDS={cache_seconds})")
    try:
        server.start()
        say(f"gunicorn on {server.base_url}, {args.workers} sync workers")
        warmed = warm(server.base_url, pages, args.warm)
        for name, path in pages.items():
            url = server.base_url + path
            load_before = os.getloadavg()[0]
            result = load_url(
                url, wrk=wrk, duration=args.duration, connections=args.connections, threads=args.wrk_threads
            )
            result.update({"page": name, "path": path, "pass": pass_name, "loadavg_1min_before": round(load_before, 2)})
            result.update({f"warm_{key}": value for key, value in warmed[name].items()})
            rows.append(result)
            say(
                f"  {name:<9} {path:<60} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms"
            )
    finally:
        server.stop()
    # Query counts with the server stopped, so the two do not share the CPU.
    queries_env = dict(env, BENCH_PROFILE="1" if args.profile and cache_seconds == 0 else "0")
    queries = django_subcommand("bench.run", "_queries", queries_env, json.dumps(pages))
    return rows, queries


def bench(args) -> int:
    started_wall = time.perf_counter()
    revision_at_start, fingerprint_at_start = git_revision(), code_fingerprint()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    redis_url = os.environ.get("BENCH_REDIS_URL", "").strip()

    database_url = ensure_database()
    say(
        f"Database: {redact(database_url)}   media: {MEDIA_ROOT.relative_to(REPO)}   cache: "
        + (f"Redis {redis_url}" if redis_url else "per-process local memory (set BENCH_REDIS_URL for Redis)")
    )
    setup_env = app_env(database_url, cache_seconds=0, redis_url=redis_url)
    timings = {} if args.skip_setup else setup_database(setup_env, args.products, analyze=args.analyze)

    probe = django_subcommand("bench.run", "_probe", setup_env)
    missing = [name for name, path in probe["pages"].items() if not path]
    if missing:
        raise BenchError(f"No live English page for: {', '.join(missing)} (is the database seeded?)")
    pages = {"ceiling": "/bench/ceiling", **probe["pages"]}
    say(
        f"\nCatalogue: {probe['products']} products, {probe['product_pages']} product pages, {probe['sellers']} verified sellers"
    )
    for name, path in pages.items():
        say(f"  {name:<9} {path}")

    wrk = None if args.python_loadgen else find_wrk(allow_install=True)
    loadgen = describe_loadgen(wrk, connections=args.connections, threads=args.wrk_threads)
    cores = os.cpu_count() or 1
    say(f"\nLoad: {loadgen}, {args.duration} s per page per pass, loopback {HOST} only.")
    say(
        f"Server: gunicorn {gunicorn_version()}, {args.workers} sync workers, settings {SETTINGS_MODULE}; "
        f"machine: {cores} cores shared by gunicorn AND the load generator."
    )

    load = os.getloadavg()
    say(
        f"Load average before the passes: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        + (
            "  -- WARNING: something else is using the CPU; numbers will be low and noisy"
            if load[0] > 0.5 * cores
            else ""
        )
    )
    rows, queries = [], {}
    for pass_name in args.passes:
        pass_rows, pass_queries = run_pass(
            pass_name,
            PASSES[pass_name],
            database_url=database_url,
            redis_url=redis_url,
            pages=pages,
            args=args,
            wrk=wrk,
        )
        score_pass(pass_rows, pass_queries)
        rows += pass_rows
        queries[pass_name] = pass_queries

    total = time.perf_counter() - started_wall
    revision_at_end, fingerprint_at_end = git_revision(), code_fingerprint()
    code_changed = fingerprint_at_end != fingerprint_at_start
    print_results(rows, queries, loadgen=loadgen, workers=args.workers, cores=cores)
    say(f"\nCode: {revision_at_start}" + (f" -> {revision_at_end}" if revision_at_end != revision_at_start else ""))
    if code_changed:
        say("WARNING: the app's code changed while the bench ran (someone edited or committed): results mix versions.")
    say(f"Total wall time: {total:.1f} s")

    report = {
        "started_at": started_at,
        "wall_time_s": round(total, 1),
        "code": {"at_start": revision_at_start, "at_end": revision_at_end, "changed_during_run": code_changed},
        "machine": {
            "cores": cores,
            "loadavg_before": [round(value, 2) for value in load],
            "note": "gunicorn and the load generator share these cores",
        },
        "server": {
            "gunicorn": gunicorn_version(),
            "workers": args.workers,
            "worker_class": "sync",
            "settings": SETTINGS_MODULE,
        },
        "load_generator": {
            "tool": "wrk" if wrk else "python-fallback",
            "description": loadgen,
            "connections": args.connections,
            "duration_s": args.duration,
            "target": HOST,
        },
        "database": redact(database_url),
        "cache": redis_url or "locmem (per process)",
        "catalogue": {key: probe[key] for key in ("products", "product_pages", "sellers")},
        "setup_timings": timings,
        "goals": GOALS,
        "pages": pages,
        "results": rows,
        "queries_detail": queries,
    }
    write_json(report)
    return 0


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="Throughput benchmark of the public site.")
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", 10)),
        help="seconds of load per page per pass (default 10)",
    )
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 8)))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)), help="gunicorn sync workers"
    )
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", 10_000)))
    parser.add_argument("--warm", type=int, default=8, help="requests per page before measuring (default 8)")
    parser.add_argument("--passes", default="uncached,cached", help="comma-separated: uncached, cached")
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="do not ANALYZE the database after seeding (to see plans without statistics)",
    )
    parser.add_argument("--skip-setup", action="store_true", help="skip migrate, seed_demo and collectstatic")
    parser.add_argument(
        "--python-loadgen", action="store_true", help="use the Python load generator even if wrk exists"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile 20 in-process requests per page (uncached) into bench/results/profile-*.txt",
    )
    args = parser.parse_args(argv)
    args.passes = [name.strip() for name in args.passes.split(",") if name.strip()]
    unknown = [name for name in args.passes if name not in PASSES]
    if unknown:
        parser.error(f"unknown pass(es): {', '.join(unknown)}")
    return args


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop gunicorn


def main(argv: list[str]) -> int:
    if argv[:1] == ["_probe"]:
        probe_main()
        return 0
    if argv[:1] == ["_queries"]:
        queries_main(argv[1])
        return 0
    if argv[:1] == ["_loadgen"]:
        loadgen_main(argv[1], float(argv[2]), int(argv[3]))
        return 0
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return bench(args)
    except BenchError as error:
        say(f"\nbench failed: {error}")
        return 1
    except KeyboardInterrupt:
        say("\ninterrupted: gunicorn stopped")
        return 130
    except SystemExit as stop:
        if stop.code == 128 + signal.SIGTERM:
            say("\nterminated: gunicorn stopped")
        raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
