"""Builds the demo marketplace: the page tree in three languages, sellers, products, images, logins.

Idempotent: a second run adds nothing; a run with a larger ``products`` adds only the difference.
Each module of the package seeds one thing (pages, sellers, catalog, users, labels, shipping, bank
accounts, orders, history); this one runs them in order.
"""

from dataclasses import dataclass, field
from enum import Enum

from django.db import connection, transaction
from wagtail.models import Locale

from catalog.models import Product, ProductPage, SellerIndexPage
from search.documents import listable_pages
from search.models import ListingDocument
from search.services import listing_documents_rebuild
from sellers.models import Seller

from .bank_accounts import _ensure_bank_accounts
from .catalog import _ensure_products
from .history import HISTORY_EMAIL_DOMAIN, _ensure_order_history
from .labels import _ensure_label_schemes, _ensure_labels
from .orders import _ensure_orders
from .pages import (
    LANGUAGES,
    SELLER_INDEX,
    _ensure_categories,
    _ensure_home_pages,
    _ensure_image_pool,
    _ensure_translations,
)
from .product_safety import _ensure_notices, _ensure_product_safety
from .quotes import _ensure_quote_requests
from .sellers import _ensure_sellers
from .shipping import _ensure_customs_rules, _ensure_shipping_zones
from .users import DEMO_LOGINS, DEMO_SELLER_LOGINS, DemoLogin, _ensure_buyer_account, _ensure_logins
from .wholesale import _ensure_trade_buyers, _ensure_wholesale_terms

__all__ = ["DEMO_LOGINS", "DEMO_SELLER_LOGINS", "HISTORY_EMAIL_DOMAIN", "DemoLogin", "SeedReport", "SeedStage", "seed_demo",
           "_ensure_order_history"]


class SeedStage(Enum):
    """The long stages of a large seed, for a progress bar: (label, unit)."""

    PRODUCTS = ("Products", "product")
    SEARCH_DOCUMENTS = ("Search documents", "page")

    @property
    def label(self):
        return self.value[0]

    @property
    def unit(self):
        return self.value[1]


@dataclass
class SeedReport:
    sellers_created: int = 0
    products_created: int = 0
    products_total: int = 0
    history_orders_created: int = 0
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def seed_demo(*, products: int = 300, history_months: int = 12, progress=None) -> SeedReport:
    """Create what is missing of the demo marketplace, up to ``products`` products in all, with
    ``history_months`` months of past orders (none if 0). ``progress(stage, done, total)`` is told
    how far the long stages (a ``SeedStage``) have gone."""
    report = SeedReport()
    with transaction.atomic():
        locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
        homes = _ensure_home_pages(locales)
        images = _ensure_image_pool()
        _ensure_categories(homes, images)
        seller_indexes = _ensure_translations(homes, SellerIndexPage, "sellers", SELLER_INDEX)
        sellers, report.sellers_created = _ensure_sellers(seller_indexes, images)
        _ensure_logins(homes, sellers)
        _ensure_label_schemes()
        _ensure_shipping_zones()
        _ensure_customs_rules()
        _ensure_bank_accounts()
    verified = [entry for entry in sellers if entry[0].status == Seller.Status.VERIFIED]
    report.products_created = _ensure_products(
        verified, images, total=products,
        progress=(lambda done, total: progress(SeedStage.PRODUCTS, done, total)) if progress else None,
    )
    report.products_total = Product.objects.count()
    _ensure_labels()
    _ensure_product_safety()
    _ensure_notices()
    _ensure_orders()
    _ensure_buyer_account()
    _ensure_wholesale_terms()
    _ensure_trade_buyers()
    _ensure_quote_requests()
    report.history_orders_created = _ensure_order_history(months=history_months)
    # Also after an earlier run that stopped half-way: its products are there, their documents not.
    if report.products_created or ListingDocument.objects.count() < listable_pages().count():
        pages_total, pages_done = ProductPage.objects.count(), 0

        def documents_progress(pages):
            nonlocal pages_done
            pages_done += pages
            progress(SeedStage.SEARCH_DOCUMENTS, pages_done, pages_total)

        listing_documents_rebuild(progress=documents_progress if progress else None)
    if report.products_created:
        _refresh_planner_statistics()
    return report


def _refresh_planner_statistics():
    """Bulk inserts leave the query planner guessing (autovacuum may be off or late): measure now."""
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
