"""Requests for quote and quotes, made through the services as a buyer and a seller would."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import registry as log_actions

from marketplace.quotes.models import Quote, QuoteRequest
from marketplace.quotes.services import QuoteLineInput, RequestLineInput, quote_request_create, quote_send
from tests.factories.sellers import SellerMemberFactory
from tests.factories.trade import trade_buyer_create

# The audit-log actions the quotes services write.
QUOTE_LOG_ACTIONS = (
    "quotes.request", "quotes.quote_send", "quotes.quote_accept", "quotes.quote_reject", "quotes.quote_withdraw",
    "quotes.quote_expire", "quotes.quote_supersede", "quotes.decline", "quotes.close", "quotes.flag",
    "quotes.message",
)


def quote_log_actions_registered(monkeypatch) -> None:
    """Register, for one test, the quotes' audit-log actions that no ``register_log_actions`` hook registers
    yet (the quotes app has no wagtail_hooks.py so far); a no-op once the app registers them itself."""
    log_actions.scan_for_actions()
    for action in QUOTE_LOG_ACTIONS:
        if action not in log_actions.formatters:
            formatter = type("_QuoteLogFormatter", (LogFormatter,), {"label": action, "message": action})()
            monkeypatch.setitem(log_actions.formatters, action, formatter)


def quote_request_made(*, sellers, buyer=None, currency="EUR", incoterm="DAP", craft=None, now=None,
                       title="300 tagines in our glaze") -> QuoteRequest:
    """A trade buyer (of a new verified Dutch company unless given) asks ``sellers`` for 300 tagines."""
    now = now or timezone.now()
    return quote_request_create(
        user=buyer or trade_buyer_create(), title=title, seller_ids=[seller.pk for seller in sellers],
        lines=[RequestLineInput(quantity=300, description="Tagine 30 cm, blue glaze")], destination_country="NL",
        destination_place="Rotterdam", incoterm=incoterm, needed_by=timezone.localdate(now) + timedelta(days=90),
        currency=currency, craft_id=craft.pk if craft else None, now=now)


def quote_sent(thread, *, by=None, kind=Quote.Kind.BULK, shipping="1500.00", deposit_percent=30,
               sample_credited=False, notes="", now=None) -> Quote:
    """The thread's seller quotes 300 tagines at 120.00 and 300 gift boxes at 15.50 (base currency), DAP
    Rotterdam with ``shipping`` (EXW Safi without)."""
    now = now or timezone.now()
    if by is None:
        by = SellerMemberFactory(seller=thread.seller).user
    carriage = bool(Decimal(shipping))
    return quote_send(
        thread=thread, by=by, kind=kind,
        lines=[QuoteLineInput(description="Tagine 30 cm, blue glaze", quantity=300,
                              unit_price_base=Decimal("120.00"), hs_code="6912.00", weight_grams=2500),
               QuoteLineInput(description="Gift box", quantity=300, unit_price_base=Decimal("15.50"),
                              hs_code="4819.20", weight_grams=200)],
        lead_time_days=45, delivery_days=8 if carriage else 0, valid_until=timezone.localdate(now) + timedelta(days=30),
        incoterm="DAP" if carriage else "EXW", incoterm_place="Rotterdam" if carriage else "Safi",
        shipping_base=Decimal(shipping), deposit_percent=deposit_percent, sample_credited=sample_credited,
        notes=notes, now=now)

