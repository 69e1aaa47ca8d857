"""The bench's harness: the app's environment, the bench database and its set-up, sub-processes.

Shared by ``bench.run``, ``bench.search`` and ``bench.orders``; everything here only ever talks to
127.0.0.1.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

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

PASSES = {"uncached": 0, "cached": 300, "shopper": 300, "orders": 300}  # pass name -> PAGE_CACHE_SECONDS
# Passes whose requests carry a shopper's cookies: a session holding a basket, a currency, the basket count.
SHOPPER_PASSES = ("shopper", "orders")
# The "orders" pass: orders placed per second while the pages are loaded, through a cache all processes
# share (a sale's stamp must reach gunicorn's workers): BENCH_REDIS_URL, else this Redis database.
ORDERS_PER_SECOND = 2.0
ORDERS_REDIS_URL = "redis://127.0.0.1:6379/3"
ORDERS_PASSES = ("orders",)

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


def redact(url: str) -> str:
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
            errors.append(f"{redact(url)}: createdb: {done.stderr.strip()}")
        except Exception as error:  # try the next candidate user, report them all at the end
            errors.append(f"{redact(url)}: {type(error).__name__}: {error}")
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


# --------------------------------------------------------------------------------------------------
# Sub-processes: Django set up in a child process, its result printed as one JSON line
# --------------------------------------------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def emit(result: dict) -> None:
    """Print a sub-command's result where ``json_result`` finds it."""
    print(JSON_MARKER + json.dumps(result))


def json_result(stdout: str) -> dict | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(JSON_MARKER):
            return json.loads(line[len(JSON_MARKER) :])
    return None


def django_subcommand(module: str, name: str, env: dict[str, str], *args: str, timeout: float = 900) -> dict:
    """Run ``python -m <module> <name>`` with the app's environment; return the JSON it prints."""
    done = subprocess.run(
        [PYTHON, "-m", module, name, *args], cwd=REPO, env=env, text=True, capture_output=True, timeout=timeout
    )
    result = json_result(done.stdout)
    if result is None:
        raise BenchError(
            f"{module} {name} failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return result


# --------------------------------------------------------------------------------------------------
# The code measured
# --------------------------------------------------------------------------------------------------


def git_revision() -> str:
    """HEAD, with '+dirty' when tracked files differ from it: other people edit the tree while the bench runs."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True
        ).stdout
        code = head.strip() or "?"
        return code + ("+dirty" if dirty.strip() else "")
    except OSError:
        return "?"


def code_fingerprint() -> str:
    """A hash of the app's Python and template files, to notice edits made while the bench runs."""
    digest = hashlib.sha256()
    skip = {".venv", ".git", "bench", "media", "staticfiles", "node_modules", ".ruff_cache", "test-media"}
    for path in sorted(REPO.rglob("*")):
        relative = path.relative_to(REPO)
        if relative.parts[0] in skip or "__pycache__" in relative.parts or path.suffix not in (".py", ".html"):
            continue
        try:
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:12]
