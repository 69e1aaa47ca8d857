"""Search benchmark: text plus three filters plus every facet over a large catalogue on PostgreSQL.

    python -m bench.search [--products 100000] [--queries 300] [--duration 10]

Reports the latency of the search itself (p50/p95 over --queries runs in-process, the goal being a
p95 of at most 50 ms), the requests/s of /api/v1/search/ under load (gunicorn + wrk, with neither the
page cache nor the cache of search results, so every request searches; goal 100 requests/s), and the
reindex throughput in products/s. Uses the bench database of ``bench.run``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.parse

from .harness import (
    REPO,
    RESULTS_DIR,
    BenchError,
    analyze_database,
    app_env,
    django_setup,
    django_subcommand,
    emit,
    ensure_database,
    manage,
    say,
)
from .load import find_wrk, load_url
from .server import Gunicorn

GOAL_P95_MS = 50.0
GOAL_API_RPS = 100.0


def representative_query():
    """Text plus three filters, each the most common value among English listings, with every facet."""
    from django.db.models import Count
    from django.http import QueryDict

    from search.backends import ListingQuery
    from search.facets import price_ranges
    from search.models import ListingDocument
    from search.params import search_request

    english = ListingDocument.objects.filter(language="en")

    def most_common(documents, field):
        return documents.values(field).annotate(n=Count("pk")).order_by("-n").first()[field]

    craft = most_common(english, "craft")
    region = most_common(english.filter(craft=craft), "region")
    title = english.filter(craft=craft, region=region).values_list("title", flat=True).first()
    word = max((word for word in title.lower().split() if word.isalpha()), key=len)
    params = {"q": word, "region": region, "craft": craft, "availability": "in_stock"}

    query = search_request(QueryDict(urllib.parse.urlencode(params)), language="en", currency="EUR", strict=True).query
    assert query.facet_price_ranges == price_ranges("EUR")
    return query, params, ListingQuery


def latency_main(runs: int) -> None:
    django_setup()
    from search.backends import get_listing_backend

    query, params, _ = representative_query()
    backend = get_listing_backend()
    for _ in range(5):
        backend.search(query)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        results = backend.search(query)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    emit({
        "params": params, "total": results.total, "facet_values": sum(len(values) for values in results.facets.values()),
        "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(timings[int(0.95 * len(timings)) - 1], 1),
        "mean_ms": round(statistics.fmean(timings), 1), "runs": runs,
    })


def counts_main() -> None:
    django_setup()
    from catalog.models import Product
    from search.models import ListingDocument

    emit({"products": Product.objects.count(), "documents": ListingDocument.objects.count()})


def bench(args) -> int:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    database_url = ensure_database()
    env = app_env(database_url, cache_seconds=0)
    # Every request searches: wrk repeats one query, which the cache of results would otherwise answer.
    env["SEARCH_RESULTS_CACHE_SECONDS"] = "0"
    say("== search bench set-up")
    seconds, _ = manage(["migrate", "--noinput"], env, capture=True)
    say(f"migrate: {seconds:.1f} s")
    seconds, _ = manage(["seed_demo", "--products", str(args.products)], env, capture=False)
    say(f"seed_demo --products {args.products}: {seconds:.1f} s")
    analyze_database(database_url)
    reindex_s, _ = manage(["search_reindex", "--verbosity", "0"], env, capture=True)
    counts = django_subcommand("bench.search", "_counts", env, timeout=1800)
    reindex_rate = counts["products"] / reindex_s
    say(f"search_reindex: {counts['documents']} documents for {counts['products']} products in {reindex_s:.1f} s "
        f"= {reindex_rate:.0f} products/s")
    analyze_database(database_url)

    latency = django_subcommand("bench.search", "_latency", env, str(args.queries), timeout=1800)
    say(f"query: {latency['params']} -> {latency['total']} hits, {latency['facet_values']} facet values counted")
    say(f"in-process latency over {latency['runs']} runs: p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms "
        f"(goal p95 <= {GOAL_P95_MS:.0f} ms: {'ok' if latency['p95_ms'] <= GOAL_P95_MS else 'MISSED'})")

    url_path = "/api/v1/search/?" + urllib.parse.urlencode({**latency["params"], "language": "en", "currency": "EUR"})
    server = Gunicorn(env, workers=args.workers, log_path=RESULTS_DIR / "gunicorn-search.log")
    server.start()
    try:
        wrk = find_wrk(allow_install=False)
        url = server.base_url + url_path
        load = load_url(url, wrk=wrk, duration=args.duration, connections=args.connections)
    finally:
        server.stop()
    say(f"/api/v1/search/ under load ({args.connections} connections, {args.workers} gunicorn workers, no page cache, "
        f"no results cache): {load['rps']:.1f} req/s (goal >= {GOAL_API_RPS:.0f}: "
        f"{'ok' if load['rps'] >= GOAL_API_RPS else 'MISSED'}), p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms, "
        f"{load.get('errors', 0)} errors, {load.get('non_2xx_3xx', 0)} non-2xx")
    report = {"products": counts["products"], "documents": counts["documents"], "reindex_s": round(reindex_s, 1),
              "reindex_products_per_s": round(reindex_rate), "latency": latency, "api_load": load,
              "goal_p95_ms": GOAL_P95_MS, "goal_api_rps": GOAL_API_RPS, "database": "postgresql"}
    (RESULTS_DIR / "search.json").write_text(json.dumps(report, indent=2) + "\n")
    say(f"Written: {(RESULTS_DIR / 'search.json').relative_to(REPO)}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["_latency"]:
        latency_main(int(argv[1]))
        return 0
    if argv[:1] == ["_counts"]:
        counts_main()
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_SEARCH_PRODUCTS", 100_000)))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    try:
        return bench(parser.parse_args(argv))
    except BenchError as error:
        say(f"bench failed: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
