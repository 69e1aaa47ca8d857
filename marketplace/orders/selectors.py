"""Reading orders: who may see one, its private address, and where each seller's part of it is."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import override

from config.public_urls import public_url
from customs.display import DutiesView, duties_view
from sellers.roles import CHAMBER_STAFF_GROUP

from .converters import is_order_reference, is_placement_key
from .documents import has_export_documents
from .models import Order, OrderCharge, RefundState, SellerOrder, SellerOrderDocument


def order_url(order: Order, *, absolute: bool = False) -> str:
    """The order's private page (its link works without an account, like a guest's)."""
    with override(order.language or settings.LANGUAGE_CODE):
        path = reverse("order_detail", args=[order.reference, order.access_token])
    return public_url(path) if absolute else path


def order_for_link(reference: str, token: str) -> Order | None:
    """The order the link names, if its token matches. A reference that cannot be one (a NUL byte, which
    PostgreSQL refuses in a query) names no order, without asking the database."""
    if not is_order_reference(reference):
        return None
    order = Order.objects.filter(reference=reference).first()
    if order is None or not constant_time_compare(order.access_token, token):
        return None
    return order


def order_of_placement(placement_key: str) -> Order | None:
    """The order placed by this checkout attempt, if it was placed."""
    if not is_placement_key(placement_key):  # never a NUL or the like to the database
        return None
    return Order.objects.filter(placement_key=placement_key).first()


def orders_of(user) -> list[Order]:
    return list(Order.objects.filter(user=user).order_by("-placed_at")[:50]) if user.is_authenticated else []


def orders_of_company(company_id: int) -> list[Order]:
    """A trade company's orders, whichever of its users placed them (the latest 100)."""
    return list(Order.objects.filter(trade_company_id=company_id).select_related("user").order_by("-placed_at")[:100])


def seller_order_admin_url(seller_order) -> str:
    """The part's page in the admin, where its seller acts on it."""
    return public_url(reverse("seller_orders:inspect", args=[seller_order.pk]))


def order_staff_emails() -> list[str]:
    """Who hears of parts nobody accepts: the chamber's contact address and its staff's."""
    staff = get_user_model().objects.filter(groups__name=CHAMBER_STAFF_GROUP, is_active=True).exclude(email="")
    return sorted({settings.CHAMBER_CONTACT_EMAIL, *staff.values_list("email", flat=True)} - {""})


@dataclass(frozen=True)
class TimelineStep:
    label: str
    at: datetime | None  # None: still to come
    detail: str = ""


def seller_order_timeline(seller_order: SellerOrder) -> list[TimelineStep]:
    """What happened to one seller's part, oldest first, then what comes next."""
    part = seller_order
    Status = SellerOrder.Status
    steps = [TimelineStep(_("Sent to the seller"), part.created_at)]
    if part.status == Status.DECLINED:
        steps.append(TimelineStep(_("Declined by the seller"), part.declined_at, part.decline_reason))
        refund = {RefundState.SENT: _("Refunded"), RefundState.MANUAL: _("To be transferred back by the chamber")}
        steps.append(TimelineStep(refund.get(part.refund_state, _("Refund under way")),
                                  part.declined_at if part.refund_state == RefundState.SENT else None))
        return steps
    if part.status == Status.CANCELLED:
        steps.append(TimelineStep(_("Cancelled: the order was refunded"), part.cancelled_at))
        return steps
    steps.append(TimelineStep(_("Accepted"), part.accepted_at))
    if part.packed_at or part.status == Status.ACCEPTED:
        steps.append(TimelineStep(_("Packed"), part.packed_at))
    shipped = ""
    if part.shipped_at:
        shipped = _("%(carrier)s, tracking number %(number)s") % {"carrier": part.carrier, "number": part.tracking_number}
    steps.append(TimelineStep(_("Shipped"), part.shipped_at, shipped))
    steps.append(TimelineStep(_("Delivered"), part.delivered_at))
    return steps


@dataclass(frozen=True)
class OrderHeadline:
    """The status a buyer reads at the top of the order page."""

    code: str  # also the page's CSS modifier
    label: str


def order_headline_status(order: Order, parts: list[SellerOrder] | None = None) -> OrderHeadline:
    """The order's status as its parts tell it once paid: delivered when every part still going is
    delivered, shipped when every one has left, partly shipped or delivered when some have; else
    the order's own status (a bank transfer partly received says so)."""
    Status = SellerOrder.Status
    if order.status == Order.Status.PAID:
        parts = list(order.seller_orders.all()) if parts is None else parts
        going = [part for part in parts if part.status not in (Status.DECLINED, Status.CANCELLED)]
        gone = [part for part in going if part.status in (Status.SHIPPED, Status.DELIVERED)]
        if going and all(part.status == Status.DELIVERED for part in going):
            return OrderHeadline("delivered", _("Delivered"))
        if going and len(gone) == len(going):
            return OrderHeadline("shipped", _("Shipped"))
        if any(part.status == Status.DELIVERED for part in gone):
            return OrderHeadline("partly_delivered", _("Partly delivered"))
        if gone:
            return OrderHeadline("partly_shipped", _("Partly shipped"))
    if order.status == Order.Status.AWAITING_PAYMENT and order.received:
        return OrderHeadline("partly_paid", _("Partly paid: the rest is awaited"))
    return OrderHeadline(order.status, order.get_status_display().capitalize())


def _days_between(start: datetime, end: datetime) -> int:
    return max((timezone.localdate(end) - timezone.localdate(start)).days, 0)


def order_dates_expected(order: Order, parts) -> tuple[list, date]:
    """The shipping parts with the dispatch dates a buyer is promised, and the delivery date. A part is
    prepared once the order is paid: until then the dates count from the payment deadline, so the page
    never promises dispatch before the money can arrive (``order_paid`` moves them to the real day)."""
    parts = list(parts)
    if order.paid_at is not None or order.status != Order.Status.AWAITING_PAYMENT:
        return parts, order.delivery_by
    shift = timedelta(days=_days_between(order.placed_at, order.pay_by))
    for part in parts:  # shown, never saved
        part.dispatch_by = part.dispatch_by + shift
    return parts, order.delivery_by + shift


def document_urls_for_buyer(order: Order, seller_order: SellerOrder) -> dict[str, str]:
    """The buyer's links to a part's documents, by kind, in the order's language (none for a declined part)."""
    if not has_export_documents(seller_order) or seller_order.order_id != order.pk:
        return {}
    with override(order.language or settings.LANGUAGE_CODE):
        return {
            kind: reverse("order_document", args=[order.reference, order.access_token, seller_order.reference, kind])
            for kind in SellerOrderDocument.Kind.values
        }


def order_duties_view(order: Order) -> DutiesView:
    """The order's duties and taxes as stored when it was placed (never recomputed: a rule changed since
    changes nothing here)."""
    parts = list(order.shipping_parts.select_related("seller"))
    names = {part.seller_id: part.seller.legal_name for part in parts}
    charges = list(order.charges.all())
    tax_name = next((charge.label for charge in charges
                     if charge.kind in (OrderCharge.Kind.TAX, OrderCharge.Kind.REVERSE_CHARGE) and charge.label), "")
    return duties_view(currency=order.currency, known=bool(order.customs_rule_code), incoterm=order.incoterm,
                       charges=charges, parts=[(part.seller_id, part.incoterm, part.collection_scheme) for part in parts],
                       seller_names=names, tax_name=tax_name)


def order_figures(order: Order) -> dict:
    """The order's amounts as JSON-ready data (decimals as strings, in the order's currency)."""
    duties = order_duties_view(order)
    money = str
    return {
        "reference": order.reference, "status": order.status, "currency": order.currency,
        "base_currency": order.base_currency, "exchange_rate": money(order.exchange_rate),
        "destination": order.ship_country, "incoterm": order.incoterm,
        "destination_rule": {"code": order.customs_rule_code, "version": order.customs_rule_version,
                             "currency": order.customs_currency,
                             "rate": money(order.customs_rate) if order.customs_rate is not None else None},
        "goods": money(order.subtotal), "shipping": money(order.shipping),
        "duties_and_taxes": [
            {"seller": row.seller, "label": row.label, "amount": money(row.amount), "collected_now": row.collected_now,
             "status": row.status}
            for row in duties.rows],
        "parts": [{"seller": part.seller, "incoterm": part.incoterm, "collection_scheme": part.collection_scheme}
                  for part in duties.parts],
        "collected_now": money(order.charges_collected), "due_on_delivery_estimate": money(order.charges_due),
        "total": money(order.total), "refunded": money(order.refunded),
    }
