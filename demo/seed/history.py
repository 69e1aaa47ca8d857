"""A year of orders: guests' orders placed, paid, shipped, delivered and paid out in the past."""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import registry as log_registry

from catalog.models import (
    Product,
    ProductPage,
)
from demo.buyers import BUYER_NAMES, CARRIERS, DECLINE_REASONS, DESTINATIONS, SEASON
from marketplace.orders.models import Order, SellerOrder
from marketplace.orders.services import (
    OrderRequest,
    order_cancel_unpaid,
    order_paid,
    order_place,
    seller_order_accept,
    seller_order_decline,
    seller_order_deliver,
    seller_order_pack,
    seller_order_refund_record,
    seller_order_ship,
)
from marketplace.payouts.models import SellerPayout
from marketplace.payouts.services import payout_mark_paid
from marketplace.shipping.addresses import ShippingAddress
from outbox.models import OutboxMessage
from sellers.models import Seller, SellerMember

HISTORY_EMAIL_DOMAIN = "buyers.example.org"  # marks the history's guest orders (example.org: no real mailbox)
HISTORY_ORDERS_PER_MONTH = 25  # in an average month; SEASON shapes the year
HISTORY_UNPAID_SHARE = 0.05
HISTORY_DECLINED_SHARE = 0.08
HISTORY_SEED = 2026  # the same history on every fresh database of the same catalogue


@dataclass(frozen=True)
class _PartPlan:
    """What becomes of one seller's part of a history order; each delay counts from the step before."""

    declined: bool
    decline_reason: str
    decline_hours: float
    refund_hours: float
    accept_hours: float
    ship_days: float
    pack_share: float  # of the time from acceptance to shipment
    deliver_days: float
    carrier: tuple
    tracking_serial: int


@dataclass(frozen=True)
class _OrderPlan:
    placed_at: datetime
    address: ShippingAddress
    email: str
    currency: str
    language: str
    lines: tuple[tuple[int, int], ...]  # (product id, quantity)
    pay_hours: float | None  # None: never paid
    parts: dict[int, _PartPlan]  # by seller id


def _history_orders():
    return Order.objects.filter(email__endswith="@" + HISTORY_EMAIL_DOMAIN)


def _ensure_order_history(*, months: int = 12) -> int:
    """``months`` months of guests' orders from the countries the demo ships to, placed, paid, accepted
    or declined, packed, shipped, delivered and paid out through the real services, each step dated in
    the past: the observatory's figures and the order lists look lived in. Once: skipped when the history
    exists. Returns how many orders it placed."""
    if months <= 0 or _history_orders().exists():
        return 0
    catalogue = _history_catalogue()
    if not catalogue:
        return 0
    now = timezone.now()
    plans = _history_plans(random.Random(HISTORY_SEED), catalogue, months=months, now=now)
    User = get_user_model()
    actors = {}
    for member in SellerMember.objects.filter(role=SellerMember.Role.MANAGER).select_related("user").order_by("pk"):
        actors.setdefault(member.seller_id, member.user)
    run = _HistoryRun(now=now, actors=actors, admin=User.objects.get(username="admin"),
                      staff=User.objects.get(username="staff"))
    with _after_commit_work_dropped():
        for plan in plans:
            run.order(plan)
        run.payouts_pay()
        run.log_backdate()
        _history_stock_restore(catalogue)
    return len(plans)


@contextmanager
def _after_commit_work_dropped():
    """Run the block in a transaction, dropping the after-commit work its services queue.

    For a year of orders that work is some 2,000 emails (to invented buyers and to sellers, about steps
    long past), 850 tasks making two export PDFs each (made on demand anyway when someone downloads
    them) and 300 search updates of stock changes (the history leaves the stock as it found it): minutes
    of work and a flooded console. The other ways are worse. A locmem email backend set for the seeding
    silences emails only while tasks run eagerly in this process: with a broker, a worker sends them with
    its own settings, and the PDFs are made either way. Replacing ``transaction.on_commit`` would swallow
    every caller's callbacks, not only the history's. Django keeps what a transaction queued in
    ``connection.run_on_commit`` (its own ``captureOnCommitCallbacks`` reads it the same way); cut back
    to its length at the start of the block, it holds only what was queued before, which still runs.
    The tasks the block recorded in the outbox (in this same transaction) are deleted with it, so the
    relay never sends them later.
    """
    connection = transaction.get_connection()
    with transaction.atomic():
        queued = len(connection.run_on_commit)
        last_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        OutboxMessage.objects.filter(pk__gt=last_message).delete()
        del connection.run_on_commit[queued:]


def _history_catalogue() -> dict[int, list[Product]]:
    """The products a guest can buy off the shelf (listed, from a verified seller, not made to order),
    by seller."""
    listed = ProductPage.objects.live().values("product_id")
    by_seller = {}
    for product in (Product.objects.filter(seller__status=Seller.Status.VERIFIED, made_to_order=False, pk__in=listed)
                    .only("pk", "seller_id", "stock", "min_order_quantity").order_by("pk")):
        by_seller.setdefault(product.seller_id, []).append(product)
    return by_seller


def _history_month_windows(months: int, now: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of the last ``months`` calendar months, this one included, oldest first."""
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    windows = [(start, (start + timedelta(days=32)).replace(day=1))]
    for _ in range(months - 1):
        end = windows[-1][0]
        windows.append(((end - timedelta(days=1)).replace(day=1), end))
    return windows[::-1]


def _history_plans(rng: random.Random, catalogue, *, months: int, now: datetime) -> list[_OrderPlan]:
    """Every order of the history decided up front, from one seeded generator: the same catalogue
    gives the same history."""
    popularity = {seller_id: rng.uniform(0.4, 2.5) for seller_id in sorted(catalogue)}
    plans = []
    for start, end in _history_month_windows(months, now):
        elapsed = min(end, now) - start
        count = HISTORY_ORDERS_PER_MONTH * SEASON[start.month - 1] * rng.uniform(0.9, 1.1) * (elapsed / (end - start))
        for _ in range(max(1, round(count))):
            plans.append(_history_plan(rng, start + elapsed * rng.random(), catalogue, popularity))
    return sorted(plans, key=lambda plan: plan.placed_at)


def _history_plan(rng: random.Random, placed_at: datetime, catalogue, popularity) -> _OrderPlan:
    countries = sorted(DESTINATIONS)
    country = rng.choices(countries, weights=[DESTINATIONS[code][0] for code in countries])[0]
    _weight, currency, language, names, streets, towns = DESTINATIONS[country]
    first, last = rng.choice(BUYER_NAMES[names][0]), rng.choice(BUYER_NAMES[names][1])
    town, region, postal_code = rng.choice(towns)
    address = ShippingAddress(name=f"{first} {last}", line1=rng.choice(streets).format(n=rng.randint(1, 160)),
                              line2="", city=town, region=region, postal_code=postal_code, country=country, phone="")
    # One or two sellers, one to three products, one or two of each (or twice the minimum order).
    line_count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    sellers = list(popularity)
    chosen = rng.choices(sellers, weights=list(popularity.values()))
    if line_count > 1 and len(sellers) > 1 and rng.random() < 0.4:
        others = [seller_id for seller_id in sellers if seller_id != chosen[0]]
        chosen += rng.choices(others, weights=[popularity[seller_id] for seller_id in others])
    picked = [rng.choice(catalogue[seller_id]) for seller_id in chosen]
    more = [product for seller_id in chosen for product in catalogue[seller_id] if product not in picked]
    picked += rng.sample(more, min(len(more), line_count - len(picked)))
    lines = tuple((product.pk, product.min_order_quantity * (2 if rng.random() < 0.2 else 1))
                  for product in sorted(picked, key=lambda product: product.pk))
    return _OrderPlan(
        placed_at=placed_at, address=address, currency=currency, language=language, lines=lines,
        email=f"{slugify(first)}.{slugify(last)}{rng.randint(1, 99)}@{HISTORY_EMAIL_DOMAIN}",
        pay_hours=None if rng.random() < HISTORY_UNPAID_SHARE else rng.uniform(2, 60),  # a bank transfer's delay
        parts={seller_id: _history_part_plan(rng) for seller_id in sorted(chosen)},
    )


def _history_part_plan(rng: random.Random) -> _PartPlan:
    return _PartPlan(
        declined=rng.random() < HISTORY_DECLINED_SHARE, decline_reason=rng.choice(DECLINE_REASONS),
        decline_hours=rng.uniform(3, 40), refund_hours=rng.uniform(18, 72), accept_hours=rng.triangular(2, 40, 8),
        ship_days=rng.uniform(1, 5), pack_share=rng.uniform(0.3, 0.9), deliver_days=rng.uniform(5, 12),
        carrier=rng.choices(CARRIERS, weights=[carrier[2] for carrier in CARRIERS])[0],
        tracking_serial=rng.randrange(10**8),
    )


def _tracking_number(carrier: str, serial: int) -> str:
    """A postal S10 number (with its check digit) for Amana, the Moroccan post's parcels; else digits."""
    if carrier != "Amana":
        return f"{serial:010d}"
    digits = f"{serial:08d}"
    check = 11 - sum(int(digit) * weight for digit, weight in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"CP{digits}{check}MA"


@dataclass
class _HistoryRun:
    """Plays the plans through the services, each step at its own past moment, and dates in the past
    what the services date themselves (placing, receiving, the audit log)."""

    now: datetime
    actors: dict  # seller id -> the member who acts for it; the administrator for the others
    admin: object
    staff: object
    log_times: dict = field(default_factory=dict)  # (model, pk, action) -> when

    def order(self, plan: _OrderPlan) -> None:
        # Restocked as needed, so that no order fails: twice the quantity, as a guest's unpaid bank
        # transfer may hold only part of a product's units (UNPAID_GUEST_HOLD_SHARE).
        for product_id, quantity in plan.lines:
            Product.objects.filter(pk=product_id, stock__lt=2 * quantity).update(stock=2 * quantity)
        order = order_place(
            requests=[OrderRequest(product_id, quantity) for product_id, quantity in plan.lines], email=plan.email,
            address=plan.address, currency=plan.currency, provider_name="offline", language=plan.language,
            now=plan.placed_at,
        )
        Order.objects.filter(pk=order.pk).update(
            placed_at=plan.placed_at, exchange_rate_as_of=plan.placed_at.date() if order.exchange_rate_as_of else None)
        if plan.pay_hours is None:
            if order.pay_by <= self.now:
                order_cancel_unpaid(order=order, reason="Not paid in time.", now=order.pay_by)
            return
        paid_at = plan.placed_at + timedelta(hours=plan.pay_hours)
        if paid_at > self.now:
            return  # the transfer is on its way
        order_paid(order=order, amount=order.total, currency=order.currency, now=paid_at)
        order.seller_orders.update(created_at=paid_at)
        for part in order.seller_orders.prefetch_related("lines"):
            self.part(part, plan.parts[part.seller_id])

    def part(self, part: SellerOrder, plan: _PartPlan) -> None:
        by = self.actors.get(part.seller_id, self.admin)
        if plan.declined:
            declined_at = part.created_at + timedelta(hours=plan.decline_hours)
            refunded_at = declined_at + timedelta(hours=plan.refund_hours)
            if refunded_at <= self.now:  # too recent to be refunded yet: accepted instead, all declines are settled
                part = seller_order_decline(seller_order=part, by=by, reason=plan.decline_reason, now=declined_at)
                seller_order_refund_record(seller_order=part, by=self.staff, reference=f"RET-{part.reference}")
                self._logged(part, "seller_order_decline", declined_at)
                self._logged(part, "seller_order_refund", refunded_at)
                return
        accepted_at = part.created_at + timedelta(hours=plan.accept_hours)
        shipped_at = accepted_at + timedelta(days=plan.ship_days)
        packed_at = accepted_at + (shipped_at - accepted_at) * plan.pack_share
        delivered_at = shipped_at + timedelta(days=plan.deliver_days)
        goods = sum(line.weight_grams * line.quantity for line in part.lines.all())
        packed = int(goods * 1.1) + 250  # wrapping and carton
        carrier, tracking_url, _share = plan.carrier
        steps = (
            (accepted_at, "seller_order_accept", lambda part, when: seller_order_accept(seller_order=part, by=by, now=when)),
            (packed_at, "seller_order_pack", lambda part, when: seller_order_pack(
                seller_order=part, by=by, weight_grams=packed, parcels=-(-packed // 30_000), now=when)),
            (shipped_at, "seller_order_ship", lambda part, when: seller_order_ship(
                seller_order=part, by=by, carrier=carrier, tracking_number=_tracking_number(carrier, plan.tracking_serial),
                tracking_url=tracking_url, now=when)),
            (delivered_at, "seller_order_deliver", lambda part, when: seller_order_deliver(seller_order=part, by=by, now=when)),
        )
        for when, action, step in steps:
            if when > self.now:
                return  # the recent parts are still under way
            part = step(part, when)
            self._logged(part, action, when)

    def payouts_pay(self) -> None:
        """The chamber pays each month's deliveries by bank transfer on the 5th of the next month."""
        owed = SellerPayout.objects.filter(seller_order__order__in=_history_orders(), status=SellerPayout.Status.OWED)
        for payout in owed.order_by("delivered_at", "pk"):
            month = timezone.localtime(payout.delivered_at).replace(day=1, hour=10, minute=0, second=0, microsecond=0)
            paid_at = (month + timedelta(days=32)).replace(day=5)
            if paid_at > self.now:
                continue
            payout = payout_mark_paid(payout=payout, by=self.staff, reference=f"VIR-{paid_at:%Y%m}-{payout.seller_id}",
                                      now=paid_at)
            self._logged(payout, "payout_paid", paid_at)

    def _logged(self, instance, action: str, when: datetime) -> None:
        self.log_times[(type(instance), instance.pk, f"marketplace.{action}")] = when

    def log_backdate(self) -> None:
        """The audit log's entries of the history, dated when their step happened rather than now."""
        by_model = {}
        for model, pk, _action in self.log_times:
            by_model.setdefault(model, set()).add(str(pk))
        for model, object_ids in by_model.items():
            entry_model = log_registry.get_log_model_for_model(model)
            entries = list(entry_model.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                      object_id__in=object_ids))
            for entry in entries:
                entry.timestamp = self.log_times.get((model, int(entry.object_id), entry.action), entry.timestamp)
            entry_model.objects.bulk_update(entries, ["timestamp"], batch_size=500)


def _history_stock_restore(catalogue) -> None:
    """Each product back to the stock it had before the history (its cooperative restocked since): the
    listings and their search documents, whose updates were dropped with the emails, stay true."""
    before = {product.pk: product.stock for products in catalogue.values() for product in products}
    changed = {}
    for pk, stock in Product.objects.filter(pk__in=before).values_list("pk", "stock"):
        if stock != before[pk]:
            changed.setdefault(before[pk], []).append(pk)
    for stock, pks in changed.items():
        Product.objects.filter(pk__in=pks).update(stock=stock)
