"""Whether a product may be offered to a destination: the product-safety information an EU offer needs
(GPSR). The checks themselves are in ``product_safety_missing``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customs.selectors import product_safety_required


def product_safety_missing(product) -> list[str]:
    """What the product (and its seller) still lacks for an offer where product-safety information is
    required, as names the seller understands; empty when nothing is missing."""
    return []


def offer_problems_for(products, country: str) -> dict[int, ValidationError]:
    """Why each product cannot be offered to ``country``, by product id; empty when all can."""
    if not country or not product_safety_required(country):
        return {}
    problems = {}
    for product in products:
        missing = product_safety_missing(product)
        if missing:
            problems[product.pk] = ValidationError(
                _("“%(product)s” cannot be shipped to %(country)s yet: the seller has not given the product-safety "
                  "information EU law requires (%(missing)s).")
                % {"product": product, "country": country, "missing": ", ".join(missing)},
                code="product_safety")
    return problems
