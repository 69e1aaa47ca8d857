"""Requests for quote and quotes made through the real services, with their on-commit work run."""

from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from marketplace.quotes.models import Quote, QuoteRequest
from marketplace.quotes.services import QuoteLineInput, RequestLineInput, quote_request_create, quote_send
from marketplace.shipping.addresses import ShippingAddress
from tests.factories.sellers import SellerFactory, SellerMemberFactory
from tests.factories.trade import trade_buyer_create

AMSTERDAM = ShippingAddress(name="Studio Noord Interieur B.V.", line1="Haarlemmerstraat 12", line2="", city="Amsterdam",
                            region="", postal_code="1013 ER", country="NL", phone="+31 20 123 4567")


def seller_with_member(**seller_fields):
    """A verified seller and one of its members (a user)."""
    member = SellerMemberFactory(seller=SellerFactory(**seller_fields))
    return member.seller, member.user


def request_for_quote(buyer=None, sellers=(), *, quantity=300, samples_wanted=True, now=None, **fields):
    """A trade buyer's request for 300 tagines with a custom glaze, to the sellers given."""
    buyer = buyer or trade_buyer_create()
    now = now or timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return quote_request_create(
            user=buyer, title=fields.pop("title", "300 tagines, our celadon glaze"),
            seller_ids=[seller.pk for seller in sellers],
            lines=fields.pop("lines", None) or [RequestLineInput(quantity=quantity, description="Tagine, 30 cm, lidded")],
            destination_country=fields.pop("destination_country", "NL"),
            destination_place=fields.pop("destination_place", "Amsterdam"), incoterm=fields.pop("incoterm", "DAP"),
            needed_by=fields.pop("needed_by", timezone.localdate(now) + timedelta(days=120)),
            currency=fields.pop("currency", "EUR"), customisation="Celadon glaze, our logo stamped under the lid",
            target_unit_price=Decimal("18.00"), samples_wanted=samples_wanted, now=now, **fields)


def quote_for(thread, by, *, kind="bulk", unit_price="180.00", quantity=300, shipping="2400.00", deposit_percent=30,
              valid_days=30, incoterm="DAP", now=None, **fields):
    now = now or timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return quote_send(
            thread=thread, by=by, kind=kind,
            lines=fields.pop("lines", None) or [QuoteLineInput(description="Tagine, 30 cm, celadon glaze",
                                                               quantity=quantity, unit_price_base=Decimal(unit_price),
                                                               hs_code="6912.00", weight_grams=2500)],
            lead_time_days=fields.pop("lead_time_days", 45), valid_until=timezone.localdate(now) + timedelta(days=valid_days),
            incoterm=incoterm, incoterm_place=fields.pop("incoterm_place", "Amsterdam"),
            shipping_base=Decimal(shipping) if incoterm in ("DAP", "DDP") else Decimal(0),
            deposit_percent=deposit_percent, delivery_days=fields.pop("delivery_days", 12), now=now, **fields)


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

