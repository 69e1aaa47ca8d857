"""Paying sellers: what the platform owes for each delivered seller order, and staff paying it, by a
transfer to the seller's connected account or by a bank transfer they record."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from currency.selectors import base_currency, money_format, money_round
from marketplace.orders.models import SellerOrder
from marketplace.payments.interface import PaymentOutcomeUnknown, PaymentProviderError, payment_providers
from marketplace.payments.services import payment_transfer

from .models import SellerPayout, SellerPayoutAccount, SellerPayoutClawback

PAYABLE = (SellerPayout.Status.OWED, SellerPayout.Status.FAILED)
# Staff may also record as paid a transfer left without a clear answer, once its provider shows it made.
RECORDABLE = (*PAYABLE, SellerPayout.Status.SENDING)
PAYOUT_PERMISSION = "payouts.change_sellerpayout"


def payout_record(*, seller_order: SellerOrder, now: datetime | None = None) -> SellerPayout:
    """Record what the platform owes the seller for a delivered seller order: its products less the
    commission (``PLATFORM_COMMISSION_RATE`` at this moment, kept on the payout), plus the shipping the
    seller paid the carrier. Idempotent: a second call returns the first payout unchanged.

    Raises ValidationError if the seller order is not delivered."""
    if seller_order.status != SellerOrder.Status.DELIVERED:
        raise ValidationError(_("Only a delivered seller order is paid out."), code="not_delivered")
    existing = SellerPayout.objects.filter(seller_order=seller_order).first()
    if existing:
        return existing
    currency = base_currency()
    rate = Decimal(str(settings.PLATFORM_COMMISSION_RATE))
    if not 0 <= rate < 1:
        raise ImproperlyConfigured("PLATFORM_COMMISSION_RATE must be at least 0 and below 1.")
    payout = SellerPayout(
        seller_order=seller_order, seller_id=seller_order.seller_id, currency=currency, commission_rate=rate,
        delivered_at=seller_order.delivered_at or now or timezone.now(),
    )
    _payout_amounts_set(payout, seller_order)
    payout.full_clean(exclude=["seller_order"])  # the one-to-one is checked by get_or_create below
    with transaction.atomic():
        # Two deliveries of the same part racing each other: the unique one-to-one keeps one payout.
        payout, created = SellerPayout.objects.get_or_create(
            seller_order=seller_order,
            defaults={field.attname: getattr(payout, field.attname) for field in SellerPayout._meta.concrete_fields
                      if not field.primary_key and field.name != "seller_order"},
        )
        if created:
            payout_clawbacks_settle(seller_id=payout.seller_id)
            payout.refresh_from_db()
    return payout


def _payout_amounts_set(payout: SellerPayout, seller_order: SellerOrder) -> None:
    """The payout's figures for what the buyer kept: a part refunded by a share of its total (in the
    order's currency) has its products and shipping reduced by that share; one refunded whole owes
    nothing and is cancelled. Payouts never include refunded goods."""
    kept = Decimal(1)
    if seller_order.total > 0 and seller_order.refunded > 0:
        kept = max(Decimal(0), 1 - min(seller_order.refunded, seller_order.total) / seller_order.total)
    products = money_round(seller_order.subtotal_base * kept, payout.currency)
    shipping = money_round(seller_order.shipping_base * kept, payout.currency)
    payout.products, payout.shipping = products, shipping
    payout.commission = money_round(products * payout.commission_rate, payout.currency)
    gross = products - payout.commission + shipping
    if payout.clawback > gross:  # a refund left less than it withholds: the rest goes back to the clawbacks
        _clawbacks_release(payout.seller_id, payout.clawback - gross)
        payout.clawback = gross
    payout.amount = gross - payout.clawback
    if kept == 0:
        payout.status = SellerPayout.Status.CANCELLED


def _gross(payout: SellerPayout) -> Decimal:
    return payout.products - payout.commission + payout.shipping


def payout_refund_apply(*, seller_order: SellerOrder) -> SellerPayout | None:
    """After a refund recorded against a delivered part: its payout, if not paid yet, is reduced to what
    the buyer kept (cancelled if nothing); one already paid or being transferred cannot change, so it is
    flagged in its error and the audit log for staff to recover the difference from the seller. Returns
    the payout (None if the part has none)."""
    with transaction.atomic():
        payout = SellerPayout.objects.select_for_update().filter(seller_order=seller_order).first()
        if payout is None:
            return None
        before = payout.amount
        if payout.status in PAYABLE:
            _payout_amounts_set(payout, seller_order)
            payout.save(update_fields=["products", "shipping", "commission", "clawback", "amount", "status"])
            log(payout, "marketplace.payout_reduced", user=None,
                data={"before": str(before), "amount": str(payout.amount), "status": payout.status,
                      "refunded": str(seller_order.refunded), "currency": payout.currency})
            payout_clawbacks_settle(seller_id=payout.seller_id)
        elif payout.status != SellerPayout.Status.CANCELLED:
            clawback = _clawback_record(payout, seller_order)
            payout.error = _("The buyer was refunded %(refunded)s of this part after it was paid out: recover it from "
                             "the seller (its next payouts withhold %(clawback)s).") % {
                "refunded": money_format(seller_order.refunded, seller_order.order.currency),
                "clawback": money_format(clawback, payout.currency)}
            payout.save(update_fields=["error"])
            log(payout, "marketplace.payout_refunded_after_payment", user=None,
                data={"amount": str(payout.amount), "refunded": str(seller_order.refunded), "clawback": str(clawback)})
            payout_clawbacks_settle(seller_id=payout.seller_id)
    return payout


def _clawback_record(payout: SellerPayout, seller_order: SellerOrder) -> Decimal:
    """Record what the seller owes back for a part refunded after its payout went out: what it was paid
    for the part less what it would be owed now, less what earlier clawbacks of the part already ask.
    Returns the total to recover for the part."""
    kept = SellerPayout(currency=payout.currency, commission_rate=payout.commission_rate, seller_id=payout.seller_id)
    _payout_amounts_set(kept, seller_order)
    recorded = SellerPayoutClawback.objects.filter(seller_order=seller_order)
    already = sum((clawback.amount for clawback in recorded), Decimal(0))
    due = _gross(payout) - _gross(kept) - already
    if due > 0:
        SellerPayoutClawback.objects.create(seller_id=payout.seller_id, seller_order=seller_order,
                                            currency=payout.currency, amount=due)
        already += due
    return already


def payout_clawbacks_settle(*, seller_id: int, now: datetime | None = None) -> Decimal:
    """Withhold what the seller owes back from its payouts not yet paid, oldest first, never taking a
    payout below zero; one withheld whole is settled (nothing is left to transfer). Returns what was
    withheld now."""
    withheld = Decimal(0)
    with transaction.atomic():
        clawbacks = [clawback for clawback in SellerPayoutClawback.objects.select_for_update().filter(seller_id=seller_id)
                     .order_by("created_at", "pk") if clawback.outstanding > 0]
        if not clawbacks:
            return withheld
        payouts = SellerPayout.objects.select_for_update().filter(
            seller_id=seller_id, status__in=PAYABLE, amount__gt=0).order_by("delivered_at", "pk")
        for payout in payouts:
            for clawback in clawbacks:
                take = min(clawback.outstanding, payout.amount)
                if take <= 0:
                    continue
                clawback.recovered += take
                clawback.save(update_fields=["recovered"])
                payout.clawback += take
                payout.amount -= take
                withheld += take
                log(payout, "marketplace.payout_clawback", user=None,
                    data={"withheld": str(take), "for": clawback.seller_order_id, "amount": str(payout.amount),
                          "currency": payout.currency})
            if payout.amount == 0:  # nothing left to send: settled by what it withheld
                payout.status, payout.paid_at, payout.paid_by = SellerPayout.Status.PAID, now or timezone.now(), ""
                payout.transfer_reference = "clawback"
            payout.save(update_fields=["clawback", "amount", "status", "paid_at", "paid_by", "transfer_reference"])
    return withheld


def _clawbacks_release(seller_id: int, amount: Decimal) -> None:
    """Give back to the clawbacks (newest first) what a payout can no longer withhold."""
    for clawback in SellerPayoutClawback.objects.select_for_update().filter(
            seller_id=seller_id, recovered__gt=0).order_by("-created_at", "-pk"):
        give = min(amount, clawback.recovered)
        clawback.recovered -= give
        clawback.save(update_fields=["recovered"])
        amount -= give
        if amount <= 0:
            return


def payout_transfer(*, payout: SellerPayout, by, now: datetime | None = None) -> SellerPayout:
    """Pay an owed (or failed) payout into the seller's connected account through its payment provider.
    The outcome is on the returned payout: transferred, or failed with the provider's error.

    Raises PermissionDenied for a user who may not pay sellers, ValidationError for a payout that is not
    owed or failed (already paid, or being transferred) and for a seller without a connected account."""
    if not by.has_perm(PAYOUT_PERMISSION):
        raise PermissionDenied
    payout = SellerPayout.objects.select_related("seller", "seller_order").get(pk=payout.pk)
    _payable_check(payout)
    account = SellerPayoutAccount.objects.filter(seller_id=payout.seller_id).first()
    provider = payment_providers().get(account.provider) if account else None
    if provider is None or not provider.transfers:
        raise ValidationError(_("%(seller)s has no connected account; pay by bank and record it.")
                              % {"seller": payout.seller}, code="no_account")

    # The claim is committed before the provider is asked (durable: never inside a caller's transaction),
    # so neither a second click nor a crash between the provider's answer and our write can pay twice: a
    # payout left "being transferred" is never sent again by us; staff settle it from the provider's
    # dashboard, where the transfer carries the idempotency key (with the seller order's reference).
    with transaction.atomic(durable=True):
        claimed = SellerPayout.objects.filter(pk=payout.pk, status__in=PAYABLE).update(
            status=SellerPayout.Status.SENDING)
        if not claimed:
            raise ValidationError(_("This payout is already being transferred or paid."), code="not_payable")
        # The key changes only after a failure we recorded: Stripe replays its answer to a key for 24 hours,
        # a server error included, so a retry under the failed attempt's key could never succeed. The
        # failures are counted from the audit log, written in the same transaction as the FAILED status
        # (the model keeps no counter); a lost entry only reuses an older key, which replays that attempt.
        # Left to staff: a server or connection error (after the client's own retries under one key) does
        # not say whether Stripe made the transfer, so they check the dashboard before retrying one.
        failures = log_registry.get_logs_for_instance(payout).filter(action="marketplace.payout_transfer_failed")
        attempt = failures.count() + 1
    # Named after the seller order's reference, which staff see in the report and search in the provider's
    # dashboard, and which a database restored or reset elsewhere does not hand to another payout (a pk does).
    idempotency_key = f"payout-{payout.seller_order.reference}-{attempt}"
    try:
        reference = payment_transfer(
            provider_name=provider.name, account_reference=account.account_reference, amount=payout.amount, currency=payout.currency,
            description=_("Payout for %(reference)s") % {"reference": payout.seller_order.reference},
            idempotency_key=idempotency_key,
        )
    except PaymentOutcomeUnknown as error:
        # Perhaps paid: it stays "being transferred", never sent again under a new key; staff check the
        # provider's dashboard and record it as paid (payout_mark_paid takes a payout being transferred).
        payout.error = _("No clear answer from the provider (%(error)s): check its dashboard before paying again.") % {
            "error": str(error)[:200]}
        SellerPayout.objects.filter(pk=payout.pk).update(error=payout.error[:300])
        payout.status = SellerPayout.Status.SENDING
        return payout
    except PaymentProviderError as error:
        payout.status, payout.error = SellerPayout.Status.FAILED, str(error)[:300]
        with transaction.atomic():
            payout.save(update_fields=["status", "error"])
            log(payout, "marketplace.payout_transfer_failed", user=by,
                data={"attempt": attempt, "error": payout.error, "provider": provider.name})
        return payout
    payout.status, payout.error = SellerPayout.Status.TRANSFERRED, ""
    payout.transfer_reference, payout.paid_at, payout.paid_by = reference, now or timezone.now(), by.get_username()
    with transaction.atomic():
        payout.save(update_fields=["status", "error", "transfer_reference", "paid_at", "paid_by"])
        log(payout, "marketplace.payout_transfer", user=by,
            data={"attempt": attempt, "reference": reference, "amount": str(payout.amount),
                  "currency": payout.currency, "provider": provider.name})
    return payout


def payout_mark_paid(*, payout: SellerPayout, by, reference: str = "", now: datetime | None = None) -> SellerPayout:
    """Record a payout that staff made outside the platform (a bank transfer), with its reference.

    Raises PermissionDenied for a user who may not pay sellers, ValidationError for a payout that is not
    owed or failed."""
    if not by.has_perm(PAYOUT_PERMISSION):
        raise PermissionDenied
    with transaction.atomic():
        payout = SellerPayout.objects.select_for_update().get(pk=payout.pk)
        if payout.status not in RECORDABLE:
            _payable_check(payout)
        payout.status, payout.error = SellerPayout.Status.PAID, ""
        payout.transfer_reference, payout.paid_at = reference.strip(), now or timezone.now()
        payout.paid_by = by.get_username()
        payout.full_clean()
        payout.save(update_fields=["status", "error", "transfer_reference", "paid_at", "paid_by"])
        log(payout, "marketplace.payout_paid", user=by,
            data={"reference": payout.transfer_reference, "amount": str(payout.amount), "currency": payout.currency})
    return payout


def _payable_check(payout: SellerPayout) -> None:
    if payout.status not in PAYABLE:
        raise ValidationError(
            _("Only an owed payout, or one whose transfer failed, can be paid; this one is %(status)s.")
            % {"status": payout.get_status_display()}, code="not_payable")
