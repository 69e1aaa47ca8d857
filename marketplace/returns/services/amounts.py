"""What a return refunds, decided when it is asked and kept on it.

- Goods: the unit price paid for each unit returned.
- Shipping: the original standard shipping of the part is refunded by the return that completes the
  whole part (the EU rule: the initial delivery cost is refunded on withdrawal). A partial return
  refunds no shipping: the delivery of what the buyer keeps was still made, and the trader owes back
  only the delivery of goods withdrawn, which cannot be told apart in one parcel; the last return of
  the part then refunds all of it.
- Duties and taxes collected at checkout: the share of the returned goods in the part's goods, the
  return completing the part taking what is left, so the shares never drift by rounding.
- Never more than what the part's buyer paid and has not had back.
"""

from decimal import Decimal

from currency.selectors import money_round

from ..models import ReturnRequest
from ..selectors import CLOSED_WITHOUT_RETURN, returned_quantities

ZERO = Decimal(0)


def return_refund_amounts_set(return_request: ReturnRequest) -> None:
    """Fill the return's refund figures from its lines (saved already); the caller saves it and holds
    the part's lock."""
    part = return_request.seller_order
    currency = part.order.currency
    lines = list(return_request.lines.select_related("order_line"))
    goods = sum((line.order_line.unit_price * line.quantity for line in lines), ZERO)
    held = returned_quantities(part)
    completes = all(held.get(line.pk, 0) >= line.quantity for line in part.lines.all())
    earlier = list(ReturnRequest.objects.filter(seller_order=part).exclude(pk=return_request.pk)
                   .exclude(status__in=CLOSED_WITHOUT_RETURN))
    if completes:
        goods = part.subtotal - sum((other.refund_goods for other in earlier), ZERO)
        shipping = part.shipping - sum((other.refund_shipping for other in earlier), ZERO)
        charges = part.charges_collected - sum((other.refund_charges for other in earlier), ZERO)
    else:
        shipping = ZERO
        charges = money_round(part.charges_collected * goods / part.subtotal, currency) if part.subtotal > 0 else ZERO
    goods, shipping, charges = max(goods, ZERO), max(shipping, ZERO), max(charges, ZERO)
    not_yet_counted = sum((other.refund_amount for other in earlier if not other.counted_on_part), ZERO)
    available = max(part.total - part.refunded - not_yet_counted, ZERO)
    return_request.refund_goods, return_request.refund_shipping, return_request.refund_charges = goods, shipping, charges
    return_request.refund_amount = min(goods + shipping + charges, available)
