"""Whether a product may be offered to a destination: the product-safety information an EU offer needs
(GPSR). The checks themselves are in ``product_safety_missing``."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customs.selectors import product_safety_required

from .models import EuResponsiblePersonSettings, ProductPage

# What an EU offer needs, in the words a seller understands, in the order the checks run.
SAFETY_ITEMS = {
    "postal_address": gettext_lazy("the manufacturer's postal address"),
    "contact_email": gettext_lazy("the manufacturer's contact email"),
    "eu_responsible_person": gettext_lazy("a responsible person in the EU"),
    "product_identifier": gettext_lazy("the product identifier (type, model or batch)"),
    "safety_warnings": gettext_lazy("safety warnings (or “no safety warnings needed”)"),
    "fibre_composition": gettext_lazy("the fibre composition"),
}


def platform_responsible_person() -> EuResponsiblePersonSettings | None:
    """The chamber's responsible person in the EU, when it acts as one."""
    responsible = EuResponsiblePersonSettings.load()
    return responsible if responsible.is_set else None


def _missing_keys(product, *, platform_responsible, has_warnings: bool) -> list[str]:
    seller = product.seller
    missing = []
    if not seller.postal_address.strip():
        missing.append("postal_address")
    if not seller.contact_email.strip():
        missing.append("contact_email")
    if not seller.eu_responsible_person.strip() and platform_responsible is None:
        missing.append("eu_responsible_person")
    if not product.product_identifier.strip():
        missing.append("product_identifier")
    if not product.no_safety_warnings and not has_warnings:
        missing.append("safety_warnings")
    if product.is_textile and not product.fibre_composition.strip():
        missing.append("fibre_composition")
    return missing


def products_safety_missing(products) -> dict[int, list[str]]:
    """``product_safety_missing`` for many products at once (a seller's workspace), by product id, in
    two queries."""
    products = list(products)
    platform_responsible = platform_responsible_person()
    with_warnings = set(ProductPage.objects.filter(product__in=products).exclude(safety_warnings="")
                        .values_list("product_id", flat=True))
    return {
        product.pk: [str(SAFETY_ITEMS[key]) for key in _missing_keys(
            product, platform_responsible=platform_responsible, has_warnings=product.pk in with_warnings)]
        for product in products
    }


def product_safety_missing(product) -> list[str]:
    """What the product (and its seller) still lacks for an offer where product-safety information is
    required, as names the seller understands; empty when nothing is missing."""
    has_warnings = bool(product.pk) and ProductPage.objects.filter(product=product).exclude(safety_warnings="").exists()
    keys = _missing_keys(product, platform_responsible=platform_responsible_person(), has_warnings=has_warnings)
    return [str(SAFETY_ITEMS[key]) for key in keys]


def offer_problems_for(products, country: str) -> dict[int, ValidationError]:
    """Why each product cannot be offered to ``country``, by product id; empty when all can."""
    if not country or not product_safety_required(country):
        return {}
    products = list(products)
    missing_by_product = products_safety_missing(products)  # two queries for the whole basket
    problems = {}
    for product in products:
        missing = missing_by_product[product.pk]
        if missing:
            problems[product.pk] = ValidationError(
                _("“%(product)s” cannot be shipped to %(country)s yet: the seller has not given the product-safety "
                  "information EU law requires (%(missing)s).")
                % {"product": product, "country": country, "missing": ", ".join(missing)},
                code="product_safety")
    return problems
