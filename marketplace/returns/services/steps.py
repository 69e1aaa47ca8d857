"""A return from the buyer's request to the seller's receipt: each step one function, checked against
``TRANSITIONS`` and against who may act (``permissions``), run on the locked row, audit-logged and told
to the buyer and the seller. The refund is ``services.refunds``."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from config.public_urls import public_base_url
from marketplace.orders.models import SellerOrder
from outbox.services import outbox_enqueue

from ..models import ReturnLine, ReturnRequest
from ..permissions import is_seller_member, may_act
from ..selectors import excepted_reason, return_eligibility, returned_quantities
from .amounts import return_refund_amounts_set

Status = ReturnRequest.Status

# action -> (the statuses it may start from, the status it leads to). "request" creates a return.
TRANSITIONS = {
    "authorise": ({Status.REQUESTED}, Status.AUTHORISED),
    "refuse": ({Status.REQUESTED}, Status.REFUSED),
    "send": ({Status.AUTHORISED}, Status.SENT),
    # A seller may confirm a parcel that arrived before the buyer entered its tracking.
    "receive": ({Status.AUTHORISED, Status.SENT}, Status.RECEIVED),
    "refund": ({Status.RECEIVED}, Status.REFUNDED),
    "cancel": ({Status.REQUESTED, Status.AUTHORISED}, Status.CANCELLED),
}
# The timestamp each step sets.
STEP_TIMESTAMPS = {"authorise": "decided_at", "refuse": "decided_at", "send": "sent_at", "receive": "received_at",
                   "refund": "refunded_at", "cancel": "cancelled_at"}

MAX_REASON = 1000
MAX_QUANTITY = 10_000


def _step_refused(locked: ReturnRequest, action: str) -> ValidationError:
    return ValidationError(
        _("This return is %(status)s: it cannot be %(action)s now.")
        % {"status": locked.get_status_display(), "action": STEP_PARTICIPLES[action]()}, code="status")


STEP_PARTICIPLES = {
    "authorise": lambda: _("authorised"),
    "refuse": lambda: _("refused"),
    "send": lambda: _("marked as sent"),
    "receive": lambda: _("marked as received"),
    "refund": lambda: _("refunded"),
    "cancel": lambda: _("cancelled"),
}


def transition(return_request: ReturnRequest, action: str, by, now: datetime | None, **changes) -> ReturnRequest:
    """Move the locked return along TRANSITIONS; the caller is inside a transaction and has checked who acts."""
    locked = ReturnRequest.objects.select_for_update().select_related(
        "seller_order__order", "seller_order__seller").get(pk=return_request.pk)
    sources, target = TRANSITIONS[action]
    if locked.status not in sources:
        raise _step_refused(locked, action)
    now = now or timezone.now()
    locked.status = target
    setattr(locked, STEP_TIMESTAMPS[action], now)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    log(instance=locked, action=f"returns.{action}", user=by,
        data={"status": target, **{name: str(value) for name, value in changes.items()}})
    return_emails_queue(locked, action)
    return locked


def check_may_act(by, return_request: ReturnRequest, action: str, now) -> None:
    if not may_act(by, return_request, action, now=now):
        raise PermissionDenied(_("Only the seller's members, or the chamber once the seller's time has passed, can do this."))


# --- the buyer's steps (the views check the order's private link) --------------------------------


def return_request_create(*, seller_order: SellerOrder, quantities: Mapping[int, int], reason: str,
                          now: datetime | None = None) -> ReturnRequest:
    """The buyer asks to send back ``quantities`` (order line id -> units) of a delivered part. Within
    the legal window and without excepted lines, it is a withdrawal the seller must accept; otherwise
    the seller's policy applies. The seller is asked to answer within RETURN_SELLER_ANSWER_DAYS.

    Raises ValidationError for a part not delivered, no line, a line of another part, or more units
    than bought less those already being returned."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("Keep the reason under %(max)d characters.") % {"max": MAX_REASON}})
    with transaction.atomic():
        part = SellerOrder.objects.select_for_update().select_related("order", "seller").get(pk=seller_order.pk)
        if part.status != SellerOrder.Status.DELIVERED:
            raise ValidationError(_("Only a delivered order part can be returned."), code="not_delivered")
        lines = {line.pk: line for line in part.lines.all()}
        held = returned_quantities(part)
        wanted, errors = {}, []
        for line_id, quantity in quantities.items():
            if line_id not in lines:
                raise ValidationError(_("That line is not part of this order."), code="line")
            if not isinstance(quantity, int) or quantity < 0 or quantity > MAX_QUANTITY:
                raise ValidationError(_("Enter a whole number of items."), code="quantity")
            if quantity == 0:
                continue
            left = lines[line_id].quantity - held.get(line_id, 0)
            if quantity > left:
                errors.append(_("“%(title)s”: you can return at most %(count)d.")
                              % {"title": lines[line_id].title, "count": left})
            wanted[line_id] = quantity
        if errors:
            raise ValidationError(errors, code="quantity")
        if not wanted:
            raise ValidationError(_("Choose at least one item to return."), code="empty")
        eligibility = return_eligibility(seller_order=part, now=now)
        excepted = {line_id: bool(excepted_reason(lines[line_id])) for line_id in wanted}
        legal = eligibility.legal_right_applies and not any(excepted.values())
        number = ReturnRequest.objects.filter(seller_order=part).count() + 1
        return_request = ReturnRequest.objects.create(
            seller_order=part, reference=f"{part.reference}-R{number}", reason=reason, legal_withdrawal=legal,
            withdrawal_days=eligibility.withdrawal_days, currency=part.order.currency,
            answer_by=now + timedelta(days=settings.RETURN_SELLER_ANSWER_DAYS),
            refund_by=now + timedelta(days=settings.RETURN_REFUND_DAYS) if legal else None,
        )
        ReturnLine.objects.bulk_create(
            ReturnLine(return_request=return_request, order_line_id=line_id, quantity=quantity, excepted=excepted[line_id])
            for line_id, quantity in sorted(wanted.items()))
        return_refund_amounts_set(return_request)
        return_request.save()
        log(instance=return_request, action="returns.request", user=None,
            data={"lines": {str(k): v for k, v in wanted.items()}, "legal_withdrawal": legal,
                  "refund_amount": str(return_request.refund_amount), "currency": return_request.currency})
        return_emails_queue(return_request, "request")
    return return_request


def return_send(*, return_request: ReturnRequest, carrier: str, tracking_number: str,
                now: datetime | None = None) -> ReturnRequest:
    """The buyer sent the goods back: the carrier and tracking number go to the seller."""
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    errors = {}
    if not carrier or len(carrier) > 100:
        errors["carrier"] = _("Name the carrier (up to 100 characters).")
    if not tracking_number or len(tracking_number) > 100:
        errors["tracking_number"] = _("Enter the tracking number the carrier gave you (up to 100 characters).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return transition(return_request, "send", None, now, return_carrier=carrier,
                           return_tracking_number=tracking_number)


def return_cancel(*, return_request: ReturnRequest, now: datetime | None = None) -> ReturnRequest:
    """The buyer withdraws the request before sending anything: its lines may be asked again."""
    with transaction.atomic():
        return transition(return_request, "cancel", None, now)


# --- the seller's steps (or the chamber's, past the deadline) -------------------------------------


def return_authorise(*, return_request: ReturnRequest, by, return_address: str = "",
                     now: datetime | None = None) -> ReturnRequest:
    """The seller (or staff, past the deadline) accepts the return and says where to send it: the
    address given, else the seller's return address, else its postal address."""
    now = now or timezone.now()
    check_may_act(by, return_request, "authorise", now)
    seller = return_request.seller_order.seller
    address = (return_address or "").strip() or seller.return_address.strip() or seller.postal_address.strip()
    if not address:
        raise ValidationError({"return_address": _("Give the address the buyer sends the goods back to.")})
    if len(address) > 1000:
        raise ValidationError({"return_address": _("Keep the address under 1000 characters.")})
    with transaction.atomic():
        return transition(return_request, "authorise", by, now, return_address=address,
                           decided_by_staff=not _is_seller_side(by, return_request))


def return_refuse(*, return_request: ReturnRequest, by, reason: str, now: datetime | None = None) -> ReturnRequest:
    """The seller (or staff, past the deadline) refuses a return the legal right does not cover (after
    the window, excepted goods, or a country where the seller's policy applies). A legal withdrawal
    cannot be refused."""
    now = now or timezone.now()
    check_may_act(by, return_request, "refuse", now)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationError({"reason": _("Tell the buyer why, in up to 500 characters.")})
    if return_request.legal_withdrawal:
        raise ValidationError(_("This is a withdrawal within the legal period: it cannot be refused."),
                              code="legal_withdrawal")
    with transaction.atomic():
        return transition(return_request, "refuse", by, now, refusal_reason=reason,
                           decided_by_staff=not _is_seller_side(by, return_request))


def _is_seller_side(by, return_request: ReturnRequest) -> bool:
    return bool(by and (by.is_superuser or is_seller_member(by, return_request.seller_order.seller_id)))


# --- chasing requests nobody answers ------------------------------------------------------------


def returns_escalate(*, now: datetime | None = None) -> int:
    """Tell the chamber about requests past their answer deadline, once each (claimed by a conditional
    update, so two beat runs never send twice). Returns how many were escalated."""
    now = now or timezone.now()
    count = 0
    overdue = ReturnRequest.objects.filter(status=Status.REQUESTED, escalated_at=None, answer_by__lte=now)
    for pk in overdue.values_list("pk", flat=True):
        if ReturnRequest.objects.filter(pk=pk, escalated_at=None).update(escalated_at=now):
            outbox_enqueue("marketplace.returns.tasks.return_escalation_send", pk, public_base_url())
            count += 1
    return count


def return_emails_queue(return_request: ReturnRequest, step: str) -> None:
    """The buyer and the seller each hear of every step, in their own language."""
    base = public_base_url()
    outbox_enqueue("marketplace.returns.tasks.return_email_send", return_request.pk, "buyer", step, base)
    outbox_enqueue("marketplace.returns.tasks.return_email_send", return_request.pk, "seller", step, base)


def actions_open(user, return_request: ReturnRequest, *, now: datetime | None = None) -> list[str]:
    """The admin steps this user may take on the return now."""
    return [action for action in ("authorise", "refuse", "receive")
            if return_request.status in TRANSITIONS[action][0] and may_act(user, return_request, action, now=now)
            and not (action == "refuse" and return_request.legal_withdrawal)]

