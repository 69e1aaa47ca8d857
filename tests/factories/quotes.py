"""Requests for quote and quotes made through the real services, with their on-commit work run."""

from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

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
