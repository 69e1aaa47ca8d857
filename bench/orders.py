"""Order benchmark: orders placed per second on PostgreSQL by concurrent buyers.

    python -m bench.orders [--threads 1,8,32] [--orders 400] [--pool 48] [--processes 1] [--eager-tasks]

For each number of buyer threads, places ``--orders`` orders through ``order_place`` (offline
payment, 1 to 3 lines of 1 to 3 units, products drawn from a pool across several sellers), every
thread with its own connection and all started together; reports orders/s and the p50/p95 latency of
one order. Afterwards it checks that the stock taken from each product equals the quantities ordered
(a failed check exits 1), then deletes the bench's orders and gives the products their stock back.
Uses the bench database of ``bench.run``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from .harness import (
    REPO,
    RESULTS_DIR,
    BenchError,
    app_env,
    code_fingerprint,
    django_setup,
    django_subcommand,
    emit,
    ensure_database,
    git_revision,
    manage,
    say,
)

STOCK = 1_000_000  # what each pool product holds during the run: no order is refused for want of stock
EMAIL_DOMAIN = "orders.bench.example"  # marks the bench's orders, deleted at the end (and at the next start)
STOCK_BACKUP = RESULTS_DIR / "orders-stock-backup.json"  # the pool's real stock, until it is given back
SEED = 20261124


# --------------------------------------------------------------------------------------------------
# In the Django process (``python -m bench.orders _place``)
# --------------------------------------------------------------------------------------------------


def _bench_orders():
    from marketplace.orders.models import Order

    return Order.objects.filter(email__endswith="@" + EMAIL_DOMAIN)


def _clean_up() -> None:
    """Delete the bench's orders and give the pool its stock back (also what a killed run left)."""
    from django.db import transaction

    from catalog.models import Product
    from search.documents import listing_page_ids_of
    from search.services import listing_index_update

    backup = {int(pk): stock for pk, stock in json.loads(STOCK_BACKUP.read_text()).items()} if STOCK_BACKUP.exists() else {}
    with transaction.atomic():
        _bench_orders().delete()
        for pk, stock in backup.items():
            Product.objects.filter(pk=pk).update(stock=stock)
    if backup:  # as it was before the bench, also where --eager-tasks indexed the bench's stock
        listing_index_update(listing_page_ids_of(product_ids=list(backup)))
    STOCK_BACKUP.unlink(missing_ok=True)


def _pool(size: int, per_seller: int) -> list:
    """In-stock products sold by the unit, listed, from verified sellers, at most ``per_seller`` each."""
    from django.core.exceptions import ValidationError

    from catalog.models import Product, ProductPage
    from marketplace.shipping.services import QuoteLine, shipping_quote
    from sellers.models import Seller

    listed = ProductPage.objects.live().filter(locale__language_code="en").values("product_id")
    candidates = (Product.objects.select_related("seller", "origin_region")
                  .filter(made_to_order=False, min_order_quantity=1, stock__gt=0,
                          seller__status=Seller.Status.VERIFIED, pk__in=listed)
                  .order_by("seller_id", "pk"))
    pool, taken = [], Counter()
    for product in candidates.iterator():
        if taken[product.seller_id] >= per_seller:
            continue
        try:
            shipping_quote([QuoteLine(product, 3)], "FR")
        except ValidationError:
            continue
        pool.append(product)
        taken[product.seller_id] += 1
        if len(pool) == size:
            break
    if len(pool) < size:
        raise RuntimeError(f"only {len(pool)} products fit the pool (wanted {size}): seed more products")
    return pool


def _requests(pool, orders: int, rng: random.Random):
    from marketplace.orders.services import OrderRequest

    return [[OrderRequest(product.pk, rng.randint(1, 3)) for product in rng.sample(pool, rng.randint(1, 3))]
            for _ in range(orders)]


def _place(requests, email: str):
    from marketplace.orders.services import order_place
    from marketplace.shipping.addresses import ShippingAddress

    address = ShippingAddress(name="Camille Martin", line1="12 rue des Archives", line2="", city="Paris", region="",
                              postal_code="75004", country="FR", phone="+33 1 23 45 67 89")
    return order_place(requests=requests, email=email, address=address, currency="EUR", provider_name="offline",
                       language="en")


def _buy(shares, tag: str, all_ready=None) -> dict:
    """Place each share of orders from its own thread, all released together; what happened.

    Every thread connects first (the connects are not what is measured); ``all_ready`` is called once
    they all have, just before the release (with several processes: the barrier between them).
    """
    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    ready, go, lock = threading.Barrier(len(shares) + 1), threading.Event(), threading.Lock()
    outcome = {"latencies_ms": [], "refused": Counter(), "errors": [], "ordered": Counter()}

    def buyer(index: int) -> None:
        latencies_ms, refused, errors, ordered = [], Counter(), [], Counter()
        try:
            connection.ensure_connection()
            ready.wait(timeout=120)
            go.wait()
            for number, requests in enumerate(shares[index]):
                started = time.perf_counter()
                try:
                    _place(requests, f"buyer{tag}-{index}-{number}@{EMAIL_DOMAIN}")
                except ValidationError as error:
                    refused[getattr(error, "code", None) or "validation"] += 1
                    continue
                except Exception as error:  # counted and shown; the correctness check still runs
                    errors.append(f"{type(error).__name__}: {error}"[:300])
                    continue
                finally:
                    latencies_ms.append((time.perf_counter() - started) * 1000)
                for request in requests:
                    ordered[request.product_id] += request.quantity
        finally:
            connections.close_all()
            with lock:
                outcome["latencies_ms"].extend(latencies_ms)
                outcome["refused"].update(refused)
                outcome["errors"].extend(errors)
                outcome["ordered"].update(ordered)

    workers = [threading.Thread(target=buyer, args=(index,), name=f"buyer-{index}") for index in range(len(shares))]
    for worker in workers:
        worker.start()
    ready.wait(timeout=120)
    if all_ready:
        all_ready()
    started = time.perf_counter()
    go.set()
    for worker in workers:
        worker.join()
    outcome["wall_s"] = time.perf_counter() - started
    return outcome


def _buy_in_child(shares, tag, barrier, results) -> None:
    results.put(_buy(shares, tag, lambda: barrier.wait(timeout=120)))


def _run(pool, threads: int, orders: int, processes: int) -> dict:
    """Place ``orders`` orders from ``threads`` threads (spread over ``processes`` processes) started together."""
    import multiprocessing

    from django.db import connections

    rng = random.Random(f"{SEED}-{threads}")
    work = _requests(pool, orders, rng)
    shares = [work[index::threads] for index in range(threads)]
    load = os.getloadavg()[0]
    if processes == 1:
        outcome = _buy(shares, str(threads))
        wall = outcome["wall_s"]
    else:
        # Forked children must not share the parent's connection; each thread opens its own.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(processes + 1), context.Queue()
        children = [context.Process(target=_buy_in_child, args=(shares[number::processes], f"{threads}p{number}",
                                                                barrier, results))
                    for number in range(processes)]
        for child in children:
            child.start()
        barrier.wait(timeout=120)
        started = time.perf_counter()
        parts = [results.get(timeout=3600) for _ in children]
        wall = time.perf_counter() - started
        for child in children:
            child.join()
        outcome = {"latencies_ms": [], "refused": Counter(), "errors": [], "ordered": Counter()}
        for part in parts:
            for key in outcome:
                outcome[key] += part[key]
    latencies_ms = sorted(outcome["latencies_ms"])
    refused, errors = outcome["refused"], outcome["errors"]
    placed = len(latencies_ms) - sum(refused.values()) - len(errors)
    return {
        "threads": threads, "processes": processes, "orders_asked": orders, "orders_placed": placed,
        "refused": dict(refused), "errors": len(errors), "error_examples": errors[:5], "wall_s": round(wall, 2),
        "orders_per_s": round(placed / wall, 1), "p50_ms": round(statistics.median(latencies_ms), 1),
        "p95_ms": round(latencies_ms[max(0, int(0.95 * len(latencies_ms)) - 1)], 1),
        "max_ms": round(latencies_ms[-1], 1), "loadavg_1min_before": round(load, 2),
        "lines": sum(len(requests) for requests in work), "units": sum(outcome["ordered"].values()),
        "_ordered": outcome["ordered"],
    }


def _queries_of_one_order(pool) -> tuple[list[str], list]:
    """The SQL of one order of at least two lines, and what it asked for."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(SEED)
    requests = _requests(pool, 1, rng)[0]
    while len(requests) < 2:
        requests = _requests(pool, 1, rng)[0]
    with CaptureQueriesContext(connection) as captured:
        _place(requests, f"queries@{EMAIL_DOMAIN}")
    return [query["sql"] for query in captured.captured_queries], requests


def place_main(options: dict) -> None:
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Sum

    from catalog.models import Product
    from marketplace.orders.models import OrderLine

    if connection.vendor != "postgresql":
        raise RuntimeError(f"the order bench needs PostgreSQL, not {connection.vendor}")
    _clean_up()
    pool = _pool(options["pool"], options["per_seller"])
    pool_ids = [product.pk for product in pool]
    STOCK_BACKUP.write_text(json.dumps({str(product.pk): product.stock for product in pool}))
    report = {"pool": {"products": len(pool), "sellers": len({product.seller_id for product in pool}),
                       "stock_each": STOCK},
              "tasks": "eager (run in the buyer's thread)" if settings.CELERY_TASK_ALWAYS_EAGER
              else f"queued on {settings.CELERY_BROKER_URL} (not run)"}
    try:
        Product.objects.filter(pk__in=pool_ids).update(stock=STOCK)
        for product in pool:
            product.stock = STOCK
        queries, warm_requests = _queries_of_one_order(pool)
        ordered = Counter({request.product_id: request.quantity for request in warm_requests})
        warm = 5  # templates, translations, the rates cache
        for _ in range(warm):
            _place(warm_requests, f"warm@{EMAIL_DOMAIN}")
            ordered.update({request.product_id: request.quantity for request in warm_requests})
        report["queries_per_order"] = len(queries)
        report["queries_example"] = queries
        report["runs"] = []
        for threads in options["threads"]:
            run = _run(pool, threads, options["orders"], options["processes"])
            ordered.update(run.pop("_ordered"))
            report["runs"].append(run)

        # Correctness: the stock taken equals what the placed orders hold and what the buyers were sold.
        stocks = dict(Product.objects.filter(pk__in=pool_ids).values_list("pk", "stock"))
        in_lines = dict(OrderLine.objects.filter(order__in=_bench_orders(), product_id__in=pool_ids)
                        .values_list("product_id").annotate(units=Sum("quantity")))
        mismatches = [{"product": pk, "taken": STOCK - stocks[pk], "in_order_lines": in_lines.get(pk, 0),
                       "sold": ordered.get(pk, 0)}
                      for pk in pool_ids if not STOCK - stocks[pk] == in_lines.get(pk, 0) == ordered.get(pk, 0)]
        placed = 1 + warm + sum(run["orders_placed"] for run in report["runs"])
        report["check"] = {"orders_in_database": _bench_orders().count(), "orders_placed": placed,
                           "units_taken": sum(STOCK - stock for stock in stocks.values()),
                           "units_sold": sum(ordered.values()), "mismatches": mismatches[:20]}
        report["check"]["ok"] = not mismatches and report["check"]["orders_in_database"] == placed
    finally:
        _clean_up()
    emit(report)


def steady_main(seconds: float, rate: float, product_ids: list[int]) -> None:
    """``bench.run``'s "orders" pass: real orders at a steady ``rate`` per second for ``seconds``, one at a
    time, for the measured pages' products and a pool of others, while the pages are loaded; then the
    bench's orders are deleted and the stock given back."""
    django_setup()
    from catalog.models import Product

    _clean_up()
    pool = [*Product.objects.filter(pk__in=product_ids), *_pool(24, 3)]
    pool = list({product.pk: product for product in pool}.values())
    STOCK_BACKUP.write_text(json.dumps({str(product.pk): product.stock for product in pool}))
    from marketplace.orders.services import OrderRequest

    placed = refused = 0
    refusals = Counter()
    rng = random.Random(SEED)
    try:
        Product.objects.filter(pk__in=[product.pk for product in pool]).update(stock=STOCK)  # never sold out
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < seconds:
            try:
                _place([OrderRequest(rng.choice(pool).pk, 1)], f"steady-{placed}@{EMAIL_DOMAIN}")
                placed += 1
            except Exception as error:  # noqa: BLE001 (a refused order is counted by kind, the pass goes on)
                refused += 1
                refusals[getattr(error, "code", None) or type(error).__name__] += 1
            time.sleep(max(0.0, (placed + refused) / rate - (time.monotonic() - started)))
        emit({"orders_placed": placed, "orders_refused": refused, "refusals": dict(refusals), "seconds": round(elapsed, 1),
              "pool": len(pool), "rate_per_s": round(placed / elapsed, 2) if elapsed else 0.0})
    finally:
        _clean_up()


# --------------------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------------------


def bench(args) -> int:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    revision_at_start, fingerprint_at_start = git_revision(), code_fingerprint()
    database_url = ensure_database()
    env = app_env(database_url, cache_seconds=0)
    if args.eager_tasks:
        env["EMAIL_URL"] = "dummy://"  # the placed email is rendered, then dropped
    else:
        env["CELERY_TASK_ALWAYS_EAGER"] = "false"  # queued as with a broker; no worker runs them
    if not args.skip_setup:
        say("== order bench set-up")
        seconds, _ = manage(["migrate", "--noinput"], env, capture=True)
        say(f"migrate: {seconds:.1f} s")
        seconds, _ = manage(["seed_demo", "--products", str(args.products)], env, capture=False)
        say(f"seed_demo --products {args.products}: {seconds:.1f} s")
    cores, load = os.cpu_count() or 1, os.getloadavg()[0]
    say(f"== orders: {cores} cores, load average {load:.2f}")
    if load > 0.5 * cores:
        say("warning: the machine is busy (load average above half the cores): the figures will be noisy")
    options = {"threads": args.threads, "orders": args.orders, "pool": args.pool, "per_seller": args.per_seller,
               "processes": args.processes}
    report = django_subcommand("bench.orders", "_place", env, json.dumps(options), timeout=3600)

    say(f"pool: {report['pool']['products']} products of {report['pool']['sellers']} sellers; tasks "
        f"{report['tasks']}; {report['queries_per_order']} SQL queries for one 2-line order")
    if args.processes > 1:
        say(f"buyer threads spread over {args.processes} processes")
    say(f"{'threads':>7} {'orders':>7} {'wall s':>7} {'orders/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'refused':>7} {'errors':>6}")
    for run in report["runs"]:
        say(f"{run['threads']:>7} {run['orders_placed']:>7} {run['wall_s']:>7} {run['orders_per_s']:>9} "
            f"{run['p50_ms']:>7} {run['p95_ms']:>7} {run['max_ms']:>7} {sum(run['refused'].values()):>7} "
            f"{run['errors']:>6}")
        for example in run["error_examples"][:2]:
            say(f"        error: {example}")
    check = report["check"]
    say(f"check: {check['units_taken']} units taken from stock, {check['units_sold']} sold, "
        f"{check['orders_in_database']} orders in the database for {check['orders_placed']} placed: "
        + ("ok" if check["ok"] else f"FAILED {check['mismatches'][:5]}"))
    code_changed = code_fingerprint() != fingerprint_at_start
    if code_changed:
        say("WARNING: the app's code changed while the bench ran (someone edited it): results mix versions.")
    report.update(finished_at=datetime.now(UTC).isoformat(timespec="seconds"), cores=cores, database="postgresql",
                  code={"revision": revision_at_start, "fingerprint_at_start": fingerprint_at_start,
                        "changed_during_run": code_changed})
    target = RESULTS_DIR / "orders.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    say(f"Written: {target.relative_to(REPO)}")
    return 0 if check["ok"] else 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["_place"]:
        place_main(json.loads(argv[1]))
        return 0
    if argv[:1] == ["_steady"]:
        steady_main(float(argv[1]), float(argv[2]), json.loads(argv[3]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.orders", description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,8,32", help="comma-separated buyer thread counts (default 1,8,32)")
    parser.add_argument("--orders", type=int, default=400, help="orders per thread count (default 400)")
    parser.add_argument("--processes", type=int, default=1,
                        help="spread the buyer threads over this many processes (default 1: one process, one GIL)")
    parser.add_argument("--pool", type=int, default=48, help="products the buyers choose from (default 48)")
    parser.add_argument("--per-seller", type=int, default=6, help="at most this many pool products per seller")
    parser.add_argument("--products", type=int, default=int(os.environ.get("BENCH_PRODUCTS", 10_000)),
                        help="catalogue size for seed_demo (default 10000, as bench.run)")
    parser.add_argument("--eager-tasks", action="store_true",
                        help="run the on-commit tasks (email, listing index) in the buyer's thread")
    parser.add_argument("--skip-setup", action="store_true", help="no migrate / seed_demo")
    args = parser.parse_args(argv)
    args.threads = [int(value) for value in args.threads.split(",") if value.strip()]
    try:
        return bench(args)
    except BenchError as error:
        say(f"bench failed: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
