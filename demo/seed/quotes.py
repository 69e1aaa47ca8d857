"""Requests for quote in the demo: the Dutch shop (the "trade" login) asks both potteries for 300
tagines in its own glaze; the potter (the "potter" login) has answered with samples and a bulk quote,
and the other pottery has not answered yet."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from marketplace.quotes.models import QuoteRequest
from marketplace.quotes.services import (
    QuoteLineInput,
    RequestLineInput,
    quote_message_post,
    quote_request_create,
    quote_send,
)
from marketplace.trade.models import TradeCompany
from sellers.models import Seller, Trade

from .users import DEMO_SELLER_LOGINS

POTTERY_CRAFT = "1.03.01"
POTTERIES = (DEMO_SELLER_LOGINS["potter"], "Poterie Oulja de Salé")


def _ensure_quote_requests():
    shop = TradeCompany.objects.filter(legal_name="Studio Noord Interieur B.V.").first()
    if shop is None or QuoteRequest.objects.filter(company=shop).exists():
        return
    User = get_user_model()
    buyer, potter = User.objects.get(username="trade"), User.objects.get(username="potter")
    craft = Trade.objects.filter(country="MA", code=POTTERY_CRAFT).first()
    potteries = list(Seller.objects.filter(status=Seller.Status.VERIFIED, trades=craft,
                                           legal_name__in=POTTERIES).order_by("pk"))
    if craft is None or len(potteries) < 2:
        return
    today = timezone.localdate()
    request = quote_request_create(
        user=buyer, title="300 tagines in our celadon glaze", seller_ids=[seller.pk for seller in potteries],
        lines=[RequestLineInput(quantity=300, description="Tagine, 30 cm, lidded, food-safe glaze")],
        destination_country="NL", destination_place="Amsterdam", incoterm="DAP",
        needed_by=today + timedelta(days=120), currency="EUR", craft_id=craft.pk,
        customisation="Celadon glaze (our sample colour); our logo stamped under the lid; packed by 6.",
        target_unit_price=Decimal("18.00"), samples_wanted=True, language="en")
    thread = request.threads.get(seller__legal_name=DEMO_SELLER_LOGINS["potter"])
    line = ("Tagine, 30 cm, celadon glaze, logo under the lid", "6912.00", 2600)
    quote_send(thread=thread, by=potter, kind="sample",
               lines=[QuoteLineInput(line[0], 2, Decimal("260.00"), hs_code=line[1], weight_grams=line[2])],
               lead_time_days=10, delivery_days=6, valid_until=today + timedelta(days=30), incoterm="DAP",
               incoterm_place="Amsterdam", shipping_base=Decimal("450.00"), sample_credited=True,
               notes="Samples are fired with the bulk glaze recipe.")
    quote_send(thread=thread, by=potter, kind="bulk",
               lines=[QuoteLineInput(line[0], 300, Decimal("175.00"), hs_code=line[1], weight_grams=line[2])],
               lead_time_days=50, delivery_days=10, valid_until=today + timedelta(days=30), incoterm="DAP",
               incoterm_place="Amsterdam", shipping_base=Decimal("6800.00"), deposit_percent=30,
               notes="Packed by 6 in double-wall cartons on 3 pallets.")
    quote_message_post(thread=thread, by=potter,
                       body="We can match your celadon: the samples go out ten days after they are paid.")
