"""Routing a paid order to its sellers, and each seller's part from there to the buyer's door.

A paid order is split once into one ``SellerOrder`` per seller. Its seller then accepts it (or declines
it: see ``refunds``), packs it and ships it; it is delivered. Every step is one function below, checked
against ``TRANSITIONS`` and against who may act (``permissions``), run on the locked row, logged in
Wagtail's audit log and told to the buyer. Payouts follow delivered parts through ``signals``.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from currency.selectors import money_format
from outbox.services import outbox_enqueue

from ..models import Order, OrderLine, SellerOrder
from ..permissions import may_act
from ..signals import seller_order_delivered

logger = logging.getLogger(__name__)

Status = SellerOrder.Status

# action -> (the statuses it may start from, the status it leads to)
TRANSITIONS = {
    "accept": ({Status.AWAITING_ACCEPTANCE}, Status.ACCEPTED),
    "decline": ({Status.AWAITING_ACCEPTANCE, Status.ACCEPTED}, Status.DECLINED),
    "pack": ({Status.ACCEPTED, Status.PACKED}, Status.PACKED),
    "ship": ({Status.ACCEPTED, Status.PACKED}, Status.SHIPPED),
    "deliver": ({Status.SHIPPED}, Status.DELIVERED),
    "cancel": ({Status.AWAITING_ACCEPTANCE, Status.ACCEPTED, Status.PACKED, Status.SHIPPED}, Status.CANCELLED),
}


# Who may take which step: permissions.seller_order_permissions.
MAX_PARCELS = 99


MAX_PARCEL_WEIGHT_GRAMS = 500_000


def order_split(*, order: Order, now: datetime | None = None) -> list[SellerOrder]:
    """Split a paid order into one part per seller and tell each seller. Idempotent: a second call
    (a repeated payment event) returns the parts made by the first. Raises ValidationError for an
    order that is not paid."""
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.split_at:
            return list(order.seller_orders.order_by("reference"))
        if order.status != Order.Status.PAID:
            raise ValidationError(_("Only a paid order is sent to its sellers."), code="not_paid")
        lines_by_seller = defaultdict(list)
        for line in order.lines.all():
            lines_by_seller[line.seller_id].append(line)
        parts = {part.seller_id: part for part in order.shipping_parts.all()}
        accept_by = now + timedelta(hours=settings.SELLER_ORDER_ACCEPT_HOURS)
        seller_orders = []
        for number, seller_id in enumerate(sorted(lines_by_seller), start=1):
            lines, part = lines_by_seller[seller_id], parts[seller_id]
            subtotal = sum((line.line_total for line in lines), Decimal(0))
            subtotal_base = sum((line.unit_price_base * line.quantity for line in lines), Decimal(0))
            # The part's total is what the buyer paid for it: goods, shipping and the duties and taxes
            # collected at checkout (refunded with it if declined; never paid out to the seller).
            seller_order = SellerOrder.objects.create(
                order=order, seller_id=seller_id, reference=f"{order.reference}-{number}",
                subtotal=subtotal, shipping=part.price, total=subtotal + part.price + part.charges_collected,
                subtotal_base=subtotal_base, shipping_base=part.price_base,
                total_base=subtotal_base + part.price_base + part.charges_collected_base,
                dispatch_by=part.dispatch_by, accept_by=accept_by, incoterm=part.incoterm,
                collection_scheme=part.collection_scheme, collection_number=part.collection_number,
                charges_collected=part.charges_collected, charges_collected_base=part.charges_collected_base,
                charges_due=part.charges_due, charges_due_base=part.charges_due_base,
            )
            OrderLine.objects.filter(pk__in=[line.pk for line in lines]).update(seller_order=seller_order)
            seller_orders.append(seller_order)
        order.split_at = now
        order.save(update_fields=["split_at"])
        for seller_order in seller_orders:
            _seller_email_queue(seller_order, "received")
    return seller_orders


def actions_open(user, seller_order: SellerOrder) -> list[str]:
    """The actions this user may take on the part now, in TRANSITIONS order."""
    return [action for action, (sources, _target) in TRANSITIONS.items()
            if seller_order.status in sources and may_act(user, seller_order, action)]


# --- the steps ----------------------------------------------------------------------------------


def _transition(seller_order: SellerOrder, action: str, by, now: datetime | None, **changes) -> SellerOrder:
    """Move the locked part along TRANSITIONS; the caller is inside a transaction."""
    if not may_act(by, seller_order, action):
        raise PermissionDenied(_("Only the seller's members can do this."))
    locked = SellerOrder.objects.select_for_update().select_related("order").get(pk=seller_order.pk)
    sources, target = TRANSITIONS[action]
    if locked.status not in sources:
        raise ValidationError(
            _("This order part is %(status)s: it cannot be %(action)s now.")
            % {"status": locked.get_status_display(), "action": ACTION_PARTICIPLES[action]()},
            code="status",
        )
    now = now or timezone.now()
    locked.status = target
    setattr(locked, f"{target}_at", now)  # accepted_at, declined_at, packed_at, shipped_at, delivered_at
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save()
    log(instance=locked, action=f"marketplace.seller_order_{action}", user=by,
        data={"status": target, **{field: str(value) for field, value in changes.items()}})
    _buyer_email_queue(locked, action)
    return locked


ACTION_PARTICIPLES = {
    "accept": lambda: _("accepted"),
    "decline": lambda: _("declined"),
    "pack": lambda: _("packed"),
    "ship": lambda: _("shipped"),
    "deliver": lambda: _("marked delivered"),
    "cancel": lambda: _("cancelled"),
}


def seller_order_accept(*, seller_order: SellerOrder, by, now: datetime | None = None) -> SellerOrder:
    """The seller takes its part on: the buyer is told and its export documents are made."""
    with transaction.atomic():
        seller_order = _transition(seller_order, "accept", by, now)
        _documents_queue(seller_order)
    return seller_order


def seller_order_pack(*, seller_order: SellerOrder, by, weight_grams, parcels, now: datetime | None = None) -> SellerOrder:
    """The part is packed: its gross weight and number of parcels go on the packing list."""
    errors = {}
    if not isinstance(weight_grams, int) or not 0 < weight_grams <= MAX_PARCEL_WEIGHT_GRAMS:
        errors["weight_grams"] = _("Enter the packed weight in grams, from 1 to %(max)d.") % {"max": MAX_PARCEL_WEIGHT_GRAMS}
    if not isinstance(parcels, int) or not 0 < parcels <= MAX_PARCELS:
        errors["parcels"] = _("Enter the number of parcels, from 1 to %(max)d.") % {"max": MAX_PARCELS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        was_packed = SellerOrder.objects.filter(pk=seller_order.pk, status=Status.PACKED).exists()
        seller_order = _transition(seller_order, "pack", by, now, packed_weight_grams=weight_grams, parcels=parcels)
        _documents_queue(seller_order)
        if seller_order.order.balance_open and not was_packed:  # not again when the packing is corrected
            outbox_enqueue("marketplace.orders.tasks.order_email_send", seller_order.order_id, "balance_due",
                           public_base_url())
    return seller_order


def seller_order_ship(*, seller_order: SellerOrder, by, carrier: str, tracking_number: str, tracking_url: str = "",
                      now: datetime | None = None) -> SellerOrder:
    """The part left with a carrier: the buyer gets its tracking number and link."""
    carrier, tracking_number, tracking_url = (carrier or "").strip(), (tracking_number or "").strip(), (tracking_url or "").strip()
    errors = {}
    if not carrier:
        errors["carrier"] = _("Name the carrier.")
    if not tracking_number:
        errors["tracking_number"] = _("Enter the tracking number the carrier gave you.")
    if tracking_url:
        try:
            URLValidator(schemes=["https", "http"])(tracking_url)
        except ValidationError:
            errors["tracking_url"] = _("Enter the tracking page's full address, starting with https://.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _balance_paid_check(seller_order)
        seller_order = _transition(seller_order, "ship", by, now, carrier=carrier[:100],
                                   tracking_number=tracking_number[:100], tracking_url=tracking_url[:500])
        _documents_queue(seller_order)
    return seller_order


def _balance_paid_check(seller_order: SellerOrder) -> None:
    """An order paid in instalments ships only once its balance is paid. Read unlocked: a balance is
    never unpaid again, so a payment committing meanwhile can only make this refuse once too often."""
    order = Order.objects.get(pk=seller_order.order_id)
    if order.balance_open:
        raise ValidationError(
            _("The buyer has not paid the balance yet: %(balance)s of order %(reference)s is due before this "
              "part ships.")
            % {"balance": money_format(order.total - order.deposit, order.currency), "reference": order.reference},
            code="balance_open",
        )


def seller_order_deliver(*, seller_order: SellerOrder, by, now: datetime | None = None) -> SellerOrder:
    """The part reached the buyer: what it earned the seller becomes owed to it (payouts records it on
    ``seller_order_delivered``)."""
    with transaction.atomic():
        seller_order = _transition(seller_order, "deliver", by, now)
        seller_order_delivered.send(sender=SellerOrder, seller_order=seller_order, now=now)
    return seller_order


# --- refunds of declined parts ------------------------------------------------------------------


def seller_orders_chase(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind sellers of parts close to their acceptance deadline, then tell the chamber about those
    past it. Each part is reminded and escalated once (claimed by a conditional update, so two beat
    runs never send twice). Returns (reminded, escalated)."""
    now = now or timezone.now()
    waiting = SellerOrder.objects.filter(status=Status.AWAITING_ACCEPTANCE)
    remind_from = now + timedelta(hours=settings.SELLER_ORDER_REMIND_BEFORE_HOURS)
    reminded = escalated = 0
    for pk in waiting.filter(reminded_at=None, accept_by__gt=now, accept_by__lte=remind_from).values_list("pk", flat=True):
        if SellerOrder.objects.filter(pk=pk, reminded_at=None).update(reminded_at=now):
            outbox_enqueue("marketplace.orders.tasks.seller_order_email_send", pk, "reminder", public_base_url())
            reminded += 1
    for pk in waiting.filter(escalated_at=None, accept_by__lte=now).values_list("pk", flat=True):
        if SellerOrder.objects.filter(pk=pk, escalated_at=None).update(escalated_at=now):
            outbox_enqueue("marketplace.orders.tasks.seller_order_escalation_send", pk, public_base_url())
            escalated += 1
    return reminded, escalated


# --- what the steps queue -------------------------------------------------------------------------


def _seller_email_queue(seller_order: SellerOrder, kind: str) -> None:
    outbox_enqueue("marketplace.orders.tasks.seller_order_email_send", seller_order.pk, kind, public_base_url())


def _buyer_email_queue(seller_order: SellerOrder, action: str) -> None:
    outbox_enqueue("marketplace.orders.tasks.seller_order_buyer_email_send", seller_order.pk, action, public_base_url())


def _documents_queue(seller_order: SellerOrder) -> None:
    outbox_enqueue("marketplace.orders.tasks.seller_order_documents_make_task", seller_order.pk)
