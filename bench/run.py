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
import subprocess
import sys
import time
from datetime import UTC, datetime

from .harness import (
    HOST,
    MEDIA_ROOT,
    ORDERS_PASSES,
    ORDERS_PER_SECOND,
    ORDERS_REDIS_URL,
    PASSES,
    PYTHON,
    REPO,
    RESULTS_DIR,
    SETTINGS_MODULE,
    SHOPPER_PASSES,
    BenchError,
    app_env,
    code_fingerprint,
    django_subcommand,
    ensure_database,
    git_revision,
    json_result,
    redact,
    say,
    setup_database,
)
from .load import describe_loadgen, find_wrk, hit_ratio, load_url, loadgen_main, warm
from .pages import probe_main, queries_main, shopper_main
from .report import GOALS, print_results, score_pass, write_json
from .server import Gunicorn, gunicorn_version


def run_pass(
    pass_name: str,
    cache_seconds: int,
    *,
    database_url: str,
    redis_url: str,
    pages: dict[str, str],
    product_ids: list[int],
    args,
    wrk: str | None,
) -> tuple[list[dict], dict, dict]:
    if pass_name in ORDERS_PASSES:
        redis_url = redis_url or ORDERS_REDIS_URL
    env = app_env(database_url, cache_seconds=cache_seconds, redis_url=redis_url)
    cookie = django_subcommand("bench.run", "_shopper", env)["cookie"] if pass_name in SHOPPER_PASSES else ""
    server = Gunicorn(env, workers=args.workers, log_path=RESULTS_DIR / f"gunicorn-{pass_name}.log")
    rows, extra = [], {}
    say(f"\n== pass '{pass_name}' (PAGE_CACHE_SECONDS={cache_seconds})"
        + (f", each request with a shopper's cookies ({cookie.split('=')[0]}, currency, basket_count)" if cookie else "")
        + (f", cache {redact(redis_url)}" if redis_url else ""))
    orders = None
    try:
        server.start()
        say(f"gunicorn on {server.base_url}, {args.workers} sync workers")
        warmed = warm(server.base_url, pages, args.warm, cookie=cookie)
        for name, info in warmed.items():
            if cache_seconds and name != "ceiling" and info.get("page_cache") != "hit":
                say(f"  warning: {name} was not served from the page cache after warming ({info.get('page_cache') or 'bypassed'})")
        if pass_name in ORDERS_PASSES:
            seconds = len(pages) * (args.duration + 1)
            say(f"  placing orders at {args.orders_per_second}/s for {seconds} s while the pages are loaded")
            orders = subprocess.Popen(
                [PYTHON, "-m", "bench.orders", "_steady", str(seconds), str(args.orders_per_second), json.dumps(product_ids)],
                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            time.sleep(1)
        for name, path in pages.items():
            url = server.base_url + path
            load_before = os.getloadavg()[0]
            result = load_url(
                url, wrk=wrk, duration=args.duration, connections=args.connections, threads=args.wrk_threads, cookie=cookie
            )
            result.update({"page": name, "path": path, "pass": pass_name, "loadavg_1min_before": round(load_before, 2),
                           "hit_ratio_pct": hit_ratio(result) if cache_seconds and name != "ceiling" else None})
            result.update({f"warm_{key}": value for key, value in warmed[name].items()})
            rows.append(result)
            hits = f"  hits {result['hit_ratio_pct']}%" if result["hit_ratio_pct"] is not None else ""
            say(
                f"  {name:<9} {path:<60} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms{hits}"
            )
        if orders is not None:
            stdout, stderr = orders.communicate(timeout=300)
            extra["orders"] = json_result(stdout) or {"error": stderr[-2000:]}
            say(f"  orders while loading: {extra['orders']}")
    finally:
        if orders is not None and orders.poll() is None:
            orders.terminate()  # its finally block gives the stock back
            orders.wait(timeout=60)
        server.stop()
    # Query counts with the server stopped, so the two do not share the CPU.
    queries_env = dict(env, BENCH_PROFILE="1" if args.profile and cache_seconds == 0 else "0", BENCH_COOKIE=cookie)
    queries = django_subcommand("bench.run", "_queries", queries_env, json.dumps(pages))
    return rows, queries, extra


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
    rows, queries, extras = [], {}, {}
    for pass_name in args.passes:
        pass_rows, pass_queries, extras[pass_name] = run_pass(
            pass_name,
            PASSES[pass_name],
            database_url=database_url,
            redis_url=redis_url,
            pages=pages,
            product_ids=probe.get("product_ids", []),
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
        "passes_detail": extras,
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
    parser.add_argument("--passes", default=",".join(PASSES), help=f"comma-separated, of: {', '.join(PASSES)} (default all)")
    parser.add_argument("--orders-per-second", type=float, default=ORDERS_PER_SECOND,
                        help=f"orders placed per second during the 'orders' pass (default {ORDERS_PER_SECOND})")
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
        loadgen_main(argv[1], float(argv[2]), int(argv[3]), argv[4] if len(argv) > 4 else "")
        return 0
    if argv[:1] == ["_shopper"]:
        shopper_main()
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
