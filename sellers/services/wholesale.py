"""A seller's own wholesale terms: the minimums of trade buyers' orders and its made-to-order capacity."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Seller, SellerMember

TERM_FIELDS = ("first_order_minimum", "reorder_minimum", "made_to_order_capacity")


def seller_wholesale_terms_set(*, seller: Seller, by, first_order_minimum: Decimal, reorder_minimum: Decimal,
                               made_to_order_capacity: int | None) -> Seller:
    """A manager of the seller sets its wholesale terms (base currency; capacity in units a week, None for
    none). Raises PermissionDenied for anyone else; ValidationError for values the model refuses."""
    if not SellerMember.objects.filter(seller=seller, user=by, role=SellerMember.Role.MANAGER).exists():
        raise PermissionDenied(_("Only the seller's managers set its wholesale terms."))
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller.pk)
        seller.first_order_minimum, seller.reorder_minimum = first_order_minimum, reorder_minimum
        seller.made_to_order_capacity = made_to_order_capacity
        seller.full_clean(exclude=[field.name for field in Seller._meta.fields if field.name not in TERM_FIELDS])
        seller.save(update_fields=list(TERM_FIELDS))
        log(seller, "sellers.wholesale_terms", user=by,
            data={field: str(getattr(seller, field)) for field in TERM_FIELDS})
    return seller
