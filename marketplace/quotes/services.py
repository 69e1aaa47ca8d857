"""Requests for quote, quotes and their messages. Each function checks who acts (``permissions``) and
what the thread or quote allows now (``THREAD_TRANSITIONS``, ``QUOTE_TRANSITIONS``), writes in one
transaction, logs the step in Wagtail's audit log and queues its emails through the outbox, so nothing
is sent for a write that rolled back.

Accepting locks the quote's row: of two buyers (or two tabs) accepting at once, one makes the order and
the other is told the quote was accepted already; a unique constraint keeps one accepted quote of each
kind per thread, whatever the race.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from catalog.models import Product
from config.public_urls import public_base_url
from currency.selectors import display_currencies
from marketplace.orders.services import QuotedLine, QuotedOrder, order_place_quoted
from marketplace.shipping.addresses import ShippingAddress
from marketplace.shipping.countries import ISO_COUNTRY_CODES, countries_excluded
from marketplace.trade.selectors import trade_buyer_of
from outbox.services import outbox_enqueue
from sellers.documents import document_content_type
from sellers.models import Seller, Trade

from .models import (
    INCOTERMS_WITH_CARRIAGE,
    Quote,
    QuoteAttachment,
    QuoteIncoterm,
    QuoteLine,
    QuoteMessage,
    QuoteRequest,
    QuoteRequestLine,
    QuoteThread,
)
from .permissions import BUYER, SELLER, buyer_may_act, thread_side

MAX_SELLERS = 5
MAX_LINES = 20
MAX_FILES = 5
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

ThreadStatus = QuoteThread.Status
QuoteStatus = Quote.Status

# What each step may start from. A thread is answered (quoted) any number of times until a bulk quote
# is accepted, the seller declines it or the buyer closes it.
THREAD_TRANSITIONS = {
    "quote": {ThreadStatus.AWAITING_QUOTE, ThreadStatus.QUOTED},
    "decline": {ThreadStatus.AWAITING_QUOTE, ThreadStatus.QUOTED},
    "close": {ThreadStatus.AWAITING_QUOTE, ThreadStatus.QUOTED},
    "message": {ThreadStatus.AWAITING_QUOTE, ThreadStatus.QUOTED, ThreadStatus.ACCEPTED},
}
QUOTE_TRANSITIONS = {
    "accept": ({QuoteStatus.OPEN}, QuoteStatus.ACCEPTED),
    "reject": ({QuoteStatus.OPEN}, QuoteStatus.REJECTED),
    "withdraw": ({QuoteStatus.OPEN}, QuoteStatus.WITHDRAWN),
    "expire": ({QuoteStatus.OPEN}, QuoteStatus.EXPIRED),
    "supersede": ({QuoteStatus.OPEN}, QuoteStatus.SUPERSEDED),
}


@dataclass
class RequestLineInput:
    quantity: int
    description: str = ""
    product_id: int | None = None
    photos: list = field(default_factory=list)


@dataclass
class QuoteLineInput:
    description: str
    quantity: int
    unit_price_base: Decimal
    product_id: int | None = None
    hs_code: str = ""
    weight_grams: int | None = None


# --- dates ----------------------------------------------------------------------------------------------


def working_days_after(moment: datetime, days: int) -> datetime:
    """The moment ``days`` working days (Monday to Friday) after ``moment``."""
    current = moment
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _reference_new(now: datetime) -> str:
    return f"RFQ{now:%y}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


# --- asking ------------------------------------------------------------------------------------------------


def quote_request_create(*, user, title: str, seller_ids, lines: list[RequestLineInput], destination_country: str,
                         destination_place: str, incoterm: str, needed_by: date | None, currency: str,
                         customisation: str = "", target_unit_price: Decimal | None = None,
                         samples_wanted: bool = False, craft_id: int | None = None, language: str = "",
                         now: datetime | None = None) -> QuoteRequest:
    """A verified trade buyer asks one seller, or several at once, for a quote: one private thread per
    seller, each told by email in its own language.

    Raises ValidationError (nothing is saved) for a user who does not buy for a verified company, no
    seller or too many, a seller that is not verified, a product that is not one of the seller's (a
    product can be asked of its own seller only, alone), no line or a bad quantity, a date needed in the
    past, an unknown incoterm, currency or country, or a photo that is not a PDF, JPEG or PNG.
    """
    now = now or timezone.now()
    buyer = trade_buyer_of(user)
    if buyer is None:
        raise ValidationError(_("Only a verified trade account can ask for quotes."), code="not_trade")
    errors: dict[str, list[str]] = {}
    seller_ids = sorted({int(pk) for pk in seller_ids})
    sellers = list(Seller.objects.filter(pk__in=seller_ids, status=Seller.Status.VERIFIED))
    if not seller_ids:
        errors["sellers"] = [_("Choose at least one seller.")]
    elif len(seller_ids) > MAX_SELLERS:
        errors["sellers"] = [_("Ask %(count)d sellers at most at once.") % {"count": MAX_SELLERS}]
    elif len(sellers) != len(seller_ids):
        errors["sellers"] = [_("A seller chosen does not take requests now.")]
    lines = [line for line in lines if line.product_id or (line.description or "").strip()]
    if not lines:
        errors["lines"] = [_("Say what you need: a product or a description, and a quantity.")]
    elif len(lines) > MAX_LINES:
        errors["lines"] = [_("A request holds %(count)d lines at most.") % {"count": MAX_LINES}]
    products = Product.objects.in_bulk([line.product_id for line in lines if line.product_id])
    for line in lines:
        if not isinstance(line.quantity, int) or not 1 <= line.quantity <= 1_000_000:
            errors.setdefault("lines", []).append(_("Each quantity is a whole number from 1 to 1,000,000."))
            break
    for line in lines:
        if line.product_id:
            product = products.get(line.product_id)
            if product is None or len(seller_ids) != 1 or product.seller_id != seller_ids[0]:
                errors.setdefault("lines", []).append(
                    _("A product can be asked of its own seller only: describe what you need to ask several."))
                break
            line.description = line.description.strip() or str(product)
    photo_problems = []
    for line in lines:
        if len(line.photos) > MAX_FILES:
            photo_problems.append(_("Add %(count)d photos at most to a line.") % {"count": MAX_FILES})
        for upload in line.photos:
            try:
                upload.checked_content_type = document_content_type(upload)
            except ValidationError as error:
                photo_problems += error.messages
    if photo_problems:
        errors["photos"] = photo_problems
    if incoterm not in QuoteIncoterm.values:
        errors["incoterm"] = [_("Choose an incoterm.")]
    country = (destination_country or "").upper()
    if country not in ISO_COUNTRY_CODES or country in countries_excluded():
        errors["destination_country"] = [_("Choose a country.")]
    if currency not in display_currencies():
        errors["currency"] = [_("Choose one of the currencies offered.")]
    if needed_by is None or needed_by <= timezone.localdate(now):
        errors["needed_by"] = [_("Give a date after today.")]
    if craft_id is not None and not Trade.objects.filter(pk=craft_id).exists():
        craft_id = None  # a craft id from a link that names none: the request simply has no craft
    request = QuoteRequest(
        reference=_reference_new(now), company_id=buyer.company_id, created_by=user, title=(title or "").strip(),
        craft_id=craft_id, customisation=(customisation or "").strip(), target_unit_price=target_unit_price,
        currency=currency, destination_country=country, destination_place=(destination_place or "").strip(),
        incoterm=incoterm, needed_by=needed_by, samples_wanted=bool(samples_wanted),
        language=language or settings.LANGUAGE_CODE, created_at=now)
    try:
        request.full_clean(exclude=["reference", "company", "created_by", "craft"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for line in lines:
        try:
            QuoteRequestLine(request=request, description=line.description[:500], quantity=line.quantity) \
                .full_clean(exclude=["request", "product"])
        except ValidationError as error:
            errors.setdefault("lines", []).extend(sum(error.message_dict.values(), []))
            break
    if errors:
        raise ValidationError(errors)
    respond_by = working_days_after(now, settings.QUOTE_RESPONSE_WORKING_DAYS)
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    request.save()
                break
            except IntegrityError:
                request.reference = _reference_new(now)
        for line in lines:
            saved = QuoteRequestLine.objects.create(request=request, product_id=line.product_id,
                                                    description=line.description[:500], quantity=line.quantity)
            for upload in line.photos:
                QuoteAttachment.objects.create(request_line=saved, file=upload, original_name=upload.name[:255],
                                               content_type=upload.checked_content_type, size=upload.size)
        for seller in sellers:
            thread = QuoteThread.objects.create(request=request, seller=seller, respond_by=respond_by, updated_at=now)
            log(thread, "quotes.request", user=user)
            _email(thread, "requested")
    return request


# --- answering --------------------------------------------------------------------------------------------


def _thread_locked(thread: QuoteThread) -> QuoteThread:
    return QuoteThread.objects.select_for_update().select_related("request", "request__company", "seller") \
        .get(pk=thread.pk)


def _thread_step_check(thread: QuoteThread, step: str) -> None:
    if thread.status not in THREAD_TRANSITIONS[step]:
        raise ValidationError(_("This request is %(status)s: it cannot be answered any more.")
                              % {"status": thread.get_status_display()}, code="thread_status")


def quote_send(*, thread: QuoteThread, by, kind: str, lines: list[QuoteLineInput], lead_time_days: int,
               valid_until: date | None, incoterm: str, incoterm_place: str, shipping_base: Decimal = Decimal(0),
               deposit_percent: int = 30, delivery_days: int = 0, sample_credited: bool = False, notes: str = "",
               now: datetime | None = None) -> Quote:
    """A seller's member answers the thread with a quote (a bulk order or samples); an open quote of the
    same kind is superseded by it. Prices are in the base currency.

    Raises PermissionDenied for anyone but the seller's members, ValidationError (nothing saved) for a
    thread no longer open, no line, a bad price or quantity, a validity in the past, an unknown incoterm,
    shipping quoted under an incoterm without carriage, or a deposit outside 0–100 %.
    """
    now = now or timezone.now()
    if thread_side(by, thread) != SELLER:
        raise PermissionDenied(_("Only the seller's members can quote."))
    errors: dict[str, list[str]] = {}
    if kind not in Quote.Kind.values:
        errors["kind"] = [_("Choose what the quote is for.")]
    lines = [line for line in lines if (line.description or "").strip() or line.product_id]
    if not lines:
        errors["lines"] = [_("Quote at least one line.")]
    elif len(lines) > MAX_LINES:
        errors["lines"] = [_("A quote holds %(count)d lines at most.") % {"count": MAX_LINES}]
    products = Product.objects.in_bulk([line.product_id for line in lines if line.product_id])
    for line in lines:
        if line.product_id:
            product = products.get(line.product_id)
            if product is None or product.seller_id != thread.seller_id:
                errors.setdefault("lines", []).append(_("Quote your own products only."))
                break
            line.description = (line.description or "").strip() or str(product)
            line.hs_code = line.hs_code or product.hs_code
            line.weight_grams = line.weight_grams or product.weight_grams
    if incoterm not in QuoteIncoterm.values:
        errors["incoterm"] = [_("Choose an incoterm.")]
    elif shipping_base and incoterm not in INCOTERMS_WITH_CARRIAGE:
        errors["shipping_base"] = [_("Under %(incoterm)s the buyer pays the carriage: quote no shipping.")
                                   % {"incoterm": incoterm}]
    if valid_until is None or valid_until < timezone.localdate(now):
        errors["valid_until"] = [_("Give a date from today on.")]
    if kind == Quote.Kind.BULK and sample_credited:
        errors["sample_credited"] = [_("Only a sample quote is credited against the bulk order.")]
    quote = Quote(thread=thread, number=0, kind=kind, lead_time_days=lead_time_days, delivery_days=delivery_days or 0,
                  valid_until=valid_until, incoterm=incoterm, incoterm_place=(incoterm_place or "").strip(),
                  shipping_base=shipping_base or Decimal(0), deposit_percent=deposit_percent,
                  sample_credited=bool(sample_credited), notes=(notes or "").strip(), created_by=by, created_at=now)
    if kind == Quote.Kind.SAMPLE:
        quote.deposit_percent = 0  # samples are paid in full before they are made
    try:
        quote.full_clean(exclude=["thread", "number", "created_by", "supersedes", "order", "proforma"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    built = []
    for line in lines:
        built_line = QuoteLine(product_id=line.product_id, description=(line.description or "").strip()[:500],
                               quantity=line.quantity, unit_price_base=line.unit_price_base,
                               hs_code=(line.hs_code or "").strip(), weight_grams=line.weight_grams)
        try:
            built_line.full_clean(exclude=["quote", "product"])
        except ValidationError as error:
            errors.setdefault("lines", []).extend(
                _("Line %(number)d: %(problem)s") % {"number": len(built) + 1, "problem": message}
                for message in sum(error.message_dict.values(), []))
        built.append(built_line)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        thread = _thread_locked(thread)
        _thread_step_check(thread, "quote")
        for earlier in thread.quotes.select_for_update().filter(kind=kind, status=QuoteStatus.OPEN):
            _quote_move(earlier, "supersede", by=by, now=now)
            quote.supersedes = earlier
        quote.thread = thread
        quote.number = (thread.quotes.aggregate(last=Max("number"))["last"] or 0) + 1
        quote.subtotal_base = sum((line.unit_price_base * line.quantity for line in built), Decimal(0))
        quote.save()
        for line in built:
            line.quote = quote
        QuoteLine.objects.bulk_create(built)
        thread.status = ThreadStatus.QUOTED
        thread.first_quoted_at = thread.first_quoted_at or now
        thread.updated_at = now
        thread.save(update_fields=["status", "first_quoted_at", "updated_at"])
        log(quote, "quotes.quote_send", user=by, data={"reference": quote.reference, "kind": kind})
        outbox_enqueue("marketplace.quotes.tasks.quote_proforma_make", quote.pk)
        _email(thread, "quoted", quote=quote)
    return quote


def _quote_move(quote: Quote, step: str, *, by, now: datetime) -> None:
    """Move a locked quote along QUOTE_TRANSITIONS; the caller is inside a transaction."""
    sources, target = QUOTE_TRANSITIONS[step]
    if quote.status not in sources:
        raise ValidationError(_("This quote is %(status)s: it cannot be changed now.")
                              % {"status": quote.get_status_display()}, code="quote_status")
    quote.status = target
    quote.decided_at = now
    quote.decided_by = by if by is not None and by.is_authenticated else None
    quote.save(update_fields=["status", "decided_at", "decided_by"])
    log(quote, f"quotes.quote_{step}", user=by if by is not None and by.is_authenticated else None,
        data={"reference": quote.reference})


def thread_decline(*, thread: QuoteThread, by, reason: str, now: datetime | None = None) -> QuoteThread:
    """The seller will not quote (or no longer): its open quotes are withdrawn and the buyer told why."""
    now = now or timezone.now()
    if thread_side(by, thread) != SELLER:
        raise PermissionDenied(_("Only the seller's members can decline."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason: the buyer is told it."), code="reason")
    with transaction.atomic():
        thread = _thread_locked(thread)
        _thread_step_check(thread, "decline")
        for quote in thread.quotes.select_for_update().filter(status=QuoteStatus.OPEN):
            _quote_move(quote, "withdraw", by=by, now=now)
        thread.status, thread.status_reason, thread.updated_at = ThreadStatus.DECLINED, reason[:500], now
        thread.save(update_fields=["status", "status_reason", "updated_at"])
        log(thread, "quotes.decline", user=by, data={"reason": reason[:500]})
        _email(thread, "declined")
    return thread


def thread_close(*, thread: QuoteThread, by, now: datetime | None = None) -> QuoteThread:
    """The buyer no longer needs this seller's quote: its open quotes lapse and the seller is told."""
    now = now or timezone.now()
    if thread_side(by, thread) != BUYER:
        raise PermissionDenied(_("Only the asking company's users can close the request."))
    with transaction.atomic():
        thread = _thread_locked(thread)
        _thread_step_check(thread, "close")
        for quote in thread.quotes.select_for_update().filter(status=QuoteStatus.OPEN):
            _quote_move(quote, "reject", by=by, now=now)
        thread.status, thread.updated_at = ThreadStatus.CLOSED, now
        thread.save(update_fields=["status", "updated_at"])
        log(thread, "quotes.close", user=by)
        _email(thread, "closed")
    return thread


def quote_withdraw(*, quote: Quote, by, now: datetime | None = None) -> Quote:
    """The seller withdraws its open quote; the buyer is told."""
    if thread_side(by, quote.thread) != SELLER:
        raise PermissionDenied(_("Only the seller's members can withdraw its quote."))
    return _quote_decide(quote, "withdraw", by=by, now=now)


def quote_reject(*, quote: Quote, by, now: datetime | None = None) -> Quote:
    """The buyer turns an open quote down; the seller is told and may send another."""
    if thread_side(by, quote.thread) != BUYER:
        raise PermissionDenied(_("Only the asking company's users can turn a quote down."))
    return _quote_decide(quote, "reject", by=by, now=now)


def _quote_decide(quote: Quote, step: str, *, by, now: datetime | None) -> Quote:
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        _quote_move(quote, step, by=by, now=now or timezone.now())
        _email(quote.thread, {"withdraw": "withdrawn", "reject": "rejected"}[step], quote=quote)
    return quote


def quote_accept(*, quote: Quote, by, address: ShippingAddress, currency: str, provider_name: str,
                 language: str = "", now: datetime | None = None):
    """The buyer accepts a quote: it becomes an order at the quoted prices, to the address given, in the
    buyer's currency at today's rate, paid as the quote's deposit then the balance (samples in full).
    Accepting the bulk quote settles the thread; a sample's acceptance leaves the bulk quote open.

    Raises PermissionDenied for anyone but the users of the verified asking company, ValidationError
    (nothing saved) for a quote no longer open, past its validity, on a thread settled, or an order that
    cannot be placed (address, currency, payment method).
    """
    now = now or timezone.now()
    if not buyer_may_act(by, quote.thread):
        raise PermissionDenied(_("Only the users of the verified company that asked can accept its quotes."))
    buyer = trade_buyer_of(by)
    with transaction.atomic():
        thread = _thread_locked(quote.thread)
        locked = Quote.objects.select_for_update().get(pk=quote.pk)
        if locked.status == QuoteStatus.ACCEPTED:
            raise ValidationError(_("This quote was accepted already: see the order."), code="accepted")
        if locked.status != QuoteStatus.OPEN:
            raise ValidationError(_("This quote is %(status)s: it cannot be accepted.")
                                  % {"status": locked.get_status_display()}, code="quote_status")
        if locked.valid_until < timezone.localdate(now):
            raise ValidationError(_("This quote expired on %(date)s: ask the seller for a new one.")
                                  % {"date": locked.valid_until.isoformat()}, code="expired")
        if thread.status not in (ThreadStatus.QUOTED,):
            raise ValidationError(_("This request is %(status)s: its quotes cannot be accepted.")
                                  % {"status": thread.get_status_display()}, code="thread_status")
        lines = list(locked.lines.all())
        credit = _sample_credit(thread) if locked.kind == Quote.Kind.BULK else Decimal(0)
        unit_prices, locked.sample_credit_base = credited_unit_prices(lines, credit)
        order = order_place_quoted(QuotedOrder(
            seller=thread.seller, reference_note=locked.reference, lines=[
                QuotedLine(product_id=line.product_id, title=line.description, quantity=line.quantity,
                           unit_price_base=unit_prices[index], hs_code=line.hs_code,
                           weight_grams=line.weight_grams)
                for index, line in enumerate(lines)],
            shipping_base=locked.shipping_base, deposit_percent=locked.deposit_percent,
            lead_time_days=locked.lead_time_days, delivery_days=locked.delivery_days,
            duties_paid_by_seller=locked.incoterm == QuoteIncoterm.DDP),
            email=by.email, user=by, buyer=buyer, address=address, currency=currency, provider_name=provider_name,
            language=language or thread.request.language, now=now)
        _quote_move(locked, "accept", by=by, now=now)
        locked.order = order
        locked.save(update_fields=["order", "sample_credit_base"])
        if locked.kind == Quote.Kind.BULK:
            for other in thread.quotes.select_for_update().filter(status=QuoteStatus.OPEN, kind=Quote.Kind.BULK):
                _quote_move(other, "supersede", by=by, now=now)
            thread.status = ThreadStatus.ACCEPTED
        thread.updated_at = now
        thread.save(update_fields=["status", "updated_at"])
        _email(thread, "accepted", quote=locked)
    return order


def _sample_credit(thread: QuoteThread) -> Decimal:
    """What accepted, paid samples of the thread quoted as credited are worth (their products, not their
    carriage), to take off the bulk order; nothing once a bulk order of the thread has had it."""
    if thread.quotes.filter(kind=Quote.Kind.BULK, sample_credit_base__gt=0).exists():
        return Decimal(0)
    samples = thread.quotes.filter(kind=Quote.Kind.SAMPLE, status=QuoteStatus.ACCEPTED, sample_credited=True,
                                   order__paid_at__isnull=False)
    return sum((sample.subtotal_base for sample in samples), Decimal(0))


def credited_unit_prices(lines, credit: Decimal) -> tuple[list[Decimal], Decimal]:
    """The lines' unit prices less ``credit``, shared in proportion to each line's total and taken in
    whole cents per unit (so at most a cent per unit less than the credit); returns the prices and the
    credit they come to. A credit above the goods' value leaves them at zero."""
    total = sum((line.unit_price_base * line.quantity for line in lines), Decimal(0))
    if credit <= 0 or total <= 0:
        return [line.unit_price_base for line in lines], Decimal(0)
    credit = min(credit, total)
    prices, applied = [], Decimal(0)
    for line in lines:
        share = credit * line.unit_price_base * line.quantity / total
        per_unit = min(line.unit_price_base, (share / line.quantity).quantize(Decimal("0.01"), rounding=ROUND_DOWN))
        prices.append(line.unit_price_base - per_unit)
        applied += per_unit * line.quantity
    return prices, applied


def quotes_expire(*, now: datetime | None = None) -> int:
    """Open quotes past their validity become expired (beat task); returns how many."""
    now = now or timezone.now()
    expired = 0
    for pk in Quote.objects.filter(status=QuoteStatus.OPEN, valid_until__lt=timezone.localdate(now)) \
            .values_list("pk", flat=True):
        with transaction.atomic():
            quote = Quote.objects.select_for_update().get(pk=pk)
            if quote.status == QuoteStatus.OPEN and quote.valid_until < timezone.localdate(now):
                _quote_move(quote, "expire", by=None, now=now)
                expired += 1
    return expired


def threads_chase(*, now: datetime | None = None) -> tuple[int, int]:
    """Requests a seller has not answered by the chamber's target: the seller is reminded once; one
    more working day on, the thread is flagged to chamber staff. Returns (reminded, flagged)."""
    now = now or timezone.now()
    waiting = QuoteThread.objects.filter(status=ThreadStatus.AWAITING_QUOTE)
    reminded = flagged = 0
    for pk in waiting.filter(respond_by__lte=now, reminded_at=None).values_list("pk", flat=True):
        if QuoteThread.objects.filter(pk=pk, reminded_at=None, status=ThreadStatus.AWAITING_QUOTE) \
                .update(reminded_at=now):
            _email(QuoteThread.objects.get(pk=pk), "reminder")
            reminded += 1
    grace = now - timedelta(days=1)
    for pk in waiting.filter(reminded_at__lte=grace, flagged_at=None).values_list("pk", flat=True):
        if working_days_after(QuoteThread.objects.values_list("reminded_at", flat=True).get(pk=pk), 1) > now:
            continue
        if QuoteThread.objects.filter(pk=pk, flagged_at=None, status=ThreadStatus.AWAITING_QUOTE) \
                .update(flagged_at=now):
            log(QuoteThread.objects.get(pk=pk), "quotes.flag")
            outbox_enqueue("marketplace.quotes.tasks.quote_staff_flag_send", pk, public_base_url())
            flagged += 1
    return reminded, flagged


# --- messages -----------------------------------------------------------------------------------------------


def quote_message_post(*, thread: QuoteThread, by, body: str, files=(), now: datetime | None = None) -> QuoteMessage:
    """Write in the thread, with files; the other side is told by email in its language (chamber staff
    writing tell both sides).

    Raises PermissionDenied for anyone outside the thread (or a buyer of a company no longer verified),
    ValidationError (nothing saved) for an empty or too long message, too many files or a file that is
    not a PDF, JPEG or PNG, or a thread closed or declined.
    """
    now = now or timezone.now()
    side = thread_side(by, thread)
    if side is None or (side == BUYER and not buyer_may_act(by, thread)):
        raise PermissionDenied(_("You cannot write in this request."))
    body = (body or "").strip()
    files = list(files)
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Write a message.")]
    elif len(body) > 5000:
        errors["body"] = [_("A message is 5,000 characters at most.")]
    if len(files) > MAX_FILES:
        errors["files"] = [_("Attach %(count)d files at most.") % {"count": MAX_FILES}]
    else:
        problems = []
        for upload in files:
            try:
                upload.checked_content_type = document_content_type(upload)
            except ValidationError as error:
                problems += error.messages
        if problems:
            errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        thread = _thread_locked(thread)
        if thread.status not in THREAD_TRANSITIONS["message"]:
            raise ValidationError(_("This request is %(status)s: write to the chamber if you need to.")
                                  % {"status": thread.get_status_display()}, code="thread_status")
        message = QuoteMessage.objects.create(thread=thread, author=by, side=side, body=body, created_at=now)
        for upload in files:
            QuoteAttachment.objects.create(message=message, file=upload, original_name=upload.name[:255],
                                           content_type=upload.checked_content_type, size=upload.size)
        thread.updated_at = now
        thread.save(update_fields=["updated_at"])
        log(thread, "quotes.message", user=by, data={"message": message.pk, "side": side})
        outbox_enqueue("marketplace.quotes.tasks.quote_message_email_send", message.pk, public_base_url())
    return message


# --- emails ---------------------------------------------------------------------------------------------------

# Who is told of each event: the buyer's company or the seller.
EMAIL_TO_SELLER = {"requested", "closed", "rejected", "accepted", "reminder"}
EMAIL_TO_BUYER = {"quoted", "declined", "withdrawn"}


def _email(thread: QuoteThread, kind: str, *, quote: Quote | None = None) -> None:
    outbox_enqueue("marketplace.quotes.tasks.quote_event_email_send", thread.pk, kind,
                   quote.pk if quote else None, public_base_url())


def decimal_or_none(text) -> Decimal | None:
    """A money amount typed by someone, or None when it is not one."""
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None

