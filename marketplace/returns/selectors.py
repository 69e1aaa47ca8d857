"""Reading returns: what a delivered part lets its buyer send back, and under which rule."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from customs.selectors import withdrawal_days_for
from marketplace.orders.models import Order, OrderLine, SellerOrder

from .models import ReturnLine, ReturnRequest

# Returns that no longer hold their lines: refused or cancelled ones give the quantities back.
CLOSED_WITHOUT_RETURN = (ReturnRequest.Status.REFUSED, ReturnRequest.Status.CANCELLED)
OPEN_STATUSES = (ReturnRequest.Status.REQUESTED, ReturnRequest.Status.AUTHORISED, ReturnRequest.Status.SENT)


@dataclass
class ReturnableLine:
    line: OrderLine
    returnable: int  # bought less what other returns already hold
    excepted_reason: str  # why the legal right does not cover it ("" when it does)


@dataclass
class ReturnEligibility:
    """Whether and how a part may be returned: the legal window (None outside the countries that have
    one: the seller's policy then applies), its last day, and each line with what is left to return."""

    seller_order: SellerOrder
    withdrawal_days: int | None
    last_day: date | None
    within_window: bool
    seller_policy: str
    lines: list[ReturnableLine] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.seller_order.status == SellerOrder.Status.DELIVERED and any(item.returnable for item in self.lines)

    @property
    def legal_right_applies(self) -> bool:
        return self.withdrawal_days is not None and self.within_window


def excepted_reason(line: OrderLine) -> str:
    if line.personalised:
        return _("Personalised goods are excepted from the right of withdrawal.")
    if line.made_to_order:
        return _("Goods made to order are excepted from the right of withdrawal.")
    return ""


def returned_quantities(seller_order: SellerOrder, *, exclude: ReturnRequest | None = None) -> dict[int, int]:
    """Per order line, how many units returns of this part hold (refused and cancelled ones hold none)."""
    rows = ReturnLine.objects.filter(return_request__seller_order=seller_order).exclude(
        return_request__status__in=CLOSED_WITHOUT_RETURN)
    if exclude is not None:
        rows = rows.exclude(return_request=exclude)
    return {row["order_line"]: row["total"] for row in rows.values("order_line").annotate(total=Sum("quantity"))}


def withdrawal_last_day(delivered_at: datetime, days: int) -> date:
    """The last day a withdrawal may be asked: ``days`` days after the day of delivery (local dates)."""
    return timezone.localdate(delivered_at) + timedelta(days=days)


def return_eligibility(*, seller_order: SellerOrder, now: datetime | None = None) -> ReturnEligibility:
    order = seller_order.order
    # A consumer's right (Directive 2011/83/EU art. 2(1), 9): a trade company's order gets the seller's policy.
    days = None if order.trade_company_id else withdrawal_days_for(order.ship_country)
    last_day = within = None
    if days is not None and seller_order.delivered_at:
        last_day = withdrawal_last_day(seller_order.delivered_at, days)
        within = timezone.localdate(now or timezone.now()) <= last_day
    held = returned_quantities(seller_order)
    lines = [ReturnableLine(line, max(0, line.quantity - held.get(line.pk, 0)), excepted_reason(line))
             for line in seller_order.lines.order_by("pk")]
    return ReturnEligibility(seller_order=seller_order, withdrawal_days=days, last_day=last_day,
                             within_window=bool(within), seller_policy=seller_order.seller.return_policy,
                             lines=lines)


def order_returns_view(*, order: Order, now: datetime | None = None) -> list[dict]:
    """For the order page: each part with its eligibility and its returns (newest first)."""
    parts = []
    for seller_order in order.seller_orders.select_related("seller").order_by("reference"):
        returns = list(seller_order.return_requests.prefetch_related("lines__order_line"))
        if seller_order.status != SellerOrder.Status.DELIVERED and not returns:
            continue
        parts.append({"seller_order": seller_order,
                      "eligibility": return_eligibility(seller_order=seller_order, now=now),
                      "returns": returns})
    return parts


def return_for_order(*, order: Order, reference: str) -> ReturnRequest | None:
    if not isinstance(reference, str) or len(reference) > 30 or "\x00" in reference:
        return None
    return ReturnRequest.objects.filter(seller_order__order=order, reference=reference).select_related(
        "seller_order__seller", "seller_order__order").first()


def returns_overdue(*, now: datetime | None = None):
    """Requests their seller left unanswered past the deadline: the chamber decides them."""
    return ReturnRequest.objects.filter(status=ReturnRequest.Status.REQUESTED, answer_by__lte=now or timezone.now())
