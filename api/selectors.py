"""What the open catalogue API reads: products from the listing documents (as the search backends do,
one row per listed page and language), verified sellers' public facts, the trade nomenclature, the
label schemes and the display currencies. Only what a public page shows leaves: never a seller's
emails, phone numbers, documents or members.

Names are given in the active language: the API activates the requested one around each call."""

from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import get_currency_name, get_currency_symbol
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from wagtail.models import Page

from catalog.models import Product, ProductPage, SellerPage
from catalog.selectors import product_cards
from config.public_urls import public_url
from currency.models import ExchangeRate
from currency.selectors import (
    base_currency,
    currency_precision,
    display_currencies,
    exchange_rate,
    money_convert,
    money_round,
)
from labels.models import LabelCertificate, LabelScheme
from labels.selectors import certificate_verify_url
from search.facets import AVAILABILITY_NAMES, facet_names
from search.models import ListingDocument
from sellers.models import Country, Seller, Trade, seller_display_name

PRODUCT_SORTS = {
    "newest": ("-published_at", "-page_id"),
    "price_asc": ("price", "-published_at", "-page_id"),
    "price_desc": ("-price", "-published_at", "-page_id"),
}


@dataclass(frozen=True)
class ProductFilters:
    """Filters of the product listing; every value a code of its reference table, prices in the base currency."""

    language: str
    category: tuple[str, ...] = ()
    craft: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    material: tuple[str, ...] = ()
    label: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    seller: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None


@dataclass(frozen=True)
class Listing:
    total: int
    results: list = field(default_factory=list)


def price_in_base(amount: Decimal, currency: str) -> Decimal:
    """An amount given in a display currency, in the base currency (as listing documents store prices)."""
    return money_round(amount / exchange_rate(base_currency(), currency), base_currency())


def _absolute(url: str, request=None) -> str:
    """A link of this site, absolute (Wagtail gives paths, or whole addresses when it serves several sites)."""
    return public_url(url, request) if url.startswith("/") else url


def _coded(code: str, names: dict) -> dict:
    return {"code": code, "name": names.get(code, code)}


def products_listed(*, filters: ProductFilters, sort: str, page: int, page_size: int, currency: str,
                    request=None) -> Listing:
    """A page of listed products in a language, filtered, from the listing documents (one count, one
    slice, then the page's cards in four queries)."""
    documents = ListingDocument.objects.filter(language=filters.language)
    for facet in ("category", "craft", "region", "availability"):
        if values := getattr(filters, facet):
            documents = documents.filter(**{f"{facet}__in": values})
    for facet, column in (("material", "materials"), ("label", "labels")):
        if values := getattr(filters, facet):
            any_of = Q()
            for value in values:
                any_of |= Q(**{f"{column}__contains": f"|{value}|"})
            documents = documents.filter(any_of)
    if filters.seller is not None:
        documents = documents.filter(seller_id=filters.seller)
    if filters.min_price is not None:
        documents = documents.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        documents = documents.filter(price__lte=filters.max_price)
    total = documents.count()
    start = (page - 1) * page_size
    rows = list(documents.order_by(*PRODUCT_SORTS[sort])[start:start + page_size]) if start < total else []
    return Listing(total=total, results=_product_summaries(rows, currency=currency, request=request))


def _product_summaries(documents, *, currency: str, request=None) -> list[dict]:
    if not documents:
        return []
    cards = {card.page_id: card for card in product_cards(
        ProductPage.objects.filter(pk__in=[document.page_id for document in documents]), request=request)}
    names = facet_names()
    seller_kinds = names["seller_kind"]
    summaries = []
    for document in documents:
        card = cards.get(document.page_id)
        if card is None:  # unpublished since its document was written; the next index update drops it
            continue
        summaries.append({
            "id": document.product_id,
            "language": document.language,
            "title": document.title,
            "url": _absolute(card.url, request),
            "image": _absolute(card.image.src, request) if card.image else None,
            "seller": {"id": document.seller_id, "name": card.seller_name},
            "seller_kind": _coded(document.seller_kind, seller_kinds),
            "category": _coded(document.category, names["category"]),
            "craft": _coded(document.craft, names["craft"]),
            "region": _coded(document.region, names["region"]),
            "materials": [_coded(slug, names["material"]) for slug in document.material_list],
            "labels": [{
                "scheme": {"code": label.scheme_code, "name": label.scheme_name}, "certificate": label.number,
                "level": label.level, "valid_until": label.valid_until,
                "verify_url": certificate_verify_url(label.number, request),
            } for label in card.labels],
            "price": _money(money_convert(document.price, to=currency)),
            "base_price": _money(money_convert(document.price, to=base_currency())),
            "availability": {"code": document.availability,
                             "name": str(AVAILABILITY_NAMES.get(document.availability, document.availability))},
            "published_at": document.published_at,
        })
    return summaries


def _money(money) -> dict:
    return {"amount": str(money.amount), "currency": money.currency}


def product_listed(*, product_id: int, language: str, currency: str, request=None) -> dict | None:
    """A listed product in a language (else English, else any language it is listed in), with the
    facts its page shows; None when it is not listed."""
    documents = {document.language: document for document in ListingDocument.objects.filter(product_id=product_id)}
    document = documents.get(language) or documents.get("en") or next(iter(documents.values()), None)
    if document is None:
        return None
    summaries = _product_summaries([document], currency=currency, request=request)
    if not summaries:
        return None
    product = Product.objects.get(pk=product_id)
    page = ProductPage.objects.only("description").get(pk=document.page_id)
    translations = {
        language_code: _absolute(Page(url_path=url_path).get_url(request) or "", request)
        for language_code, url_path in ProductPage.objects.filter(pk__in=[each.page_id for each in documents.values()])
        .values_list("locale__language_code", "url_path")
    }
    return {
        **summaries[0],
        "description": " ".join(strip_tags(page.description or "").split()),
        "translations": translations,
        "passport_url": public_url(f"/p/{product_id}/", request),
        "min_order_quantity": product.min_order_quantity,
        "lead_time_days": product.lead_time_days,
        "hs_code": product.hs_code,
        "weight_grams": product.weight_grams,
        **{name: None if getattr(product, name) is None else str(getattr(product, name))
           for name in ("length_cm", "width_cm", "height_cm")},
        "fibre_composition": product.fibre_composition,
        "gtin": product.gtin,
    }


def _verified_sellers():
    return Seller.objects.filter(status=Seller.Status.VERIFIED)


def sellers_verified(*, region: tuple[str, ...] = (), trade: tuple[str, ...] = (), kind: tuple[str, ...] = (),
                     country: tuple[str, ...] = (), page: int, page_size: int, language: str, request=None) -> Listing:
    """A page of verified sellers (by name), with their public facts only."""
    sellers = _verified_sellers()
    if region:
        sellers = sellers.filter(region__code__in=region)
    if trade:
        sellers = sellers.filter(trades__code__in=trade).distinct()
    if kind:
        sellers = sellers.filter(kind__in=kind)
    if country:
        sellers = sellers.filter(country__in=country)
    total = sellers.count()
    start = (page - 1) * page_size
    rows = list(sellers.select_related("region").order_by("legal_name", "pk")[start:start + page_size]) if start < total else []
    return Listing(total=total, results=_seller_summaries(rows, language=language, request=request))


def _seller_summaries(sellers, *, language: str, request=None) -> list[dict]:
    if not sellers:
        return []
    ids = [seller.pk for seller in sellers]
    trades = {}
    for seller_id, code, *names in Seller.trades.through.objects.filter(seller_id__in=ids).order_by(
            "trade__code").values_list("seller_id", "trade__code", "trade__name", "trade__name_fr", "trade__name_ar"):
        trades.setdefault(seller_id, []).append({"code": code, "name": _localized(*names)})
    pages = dict(SellerPage.objects.live().filter(seller_id__in=ids, locale__language_code=language)
                 .values_list("seller_id", "url_path"))
    listed = dict(ListingDocument.objects.filter(seller_id__in=ids, language=language).values("seller_id")
                  .annotate(products=Count("product_id", distinct=True)).values_list("seller_id", "products"))
    kinds = dict(Seller.Kind.choices)
    countries = dict(Country.choices)
    summaries = []
    for seller in sellers:
        region = seller.region
        url = Page(url_path=pages[seller.pk]).get_url(request) if seller.pk in pages else None
        summaries.append({
            "id": seller.pk,
            "name": seller_display_name(seller.legal_name, seller.name_alternate),
            "legal_name": seller.legal_name,
            "kind": {"code": seller.kind, "name": str(kinds.get(seller.kind, seller.kind))},
            "country": {"code": seller.country, "name": str(countries.get(seller.country, seller.country))},
            "region": {"code": region.code, "name": region.localized_name},
            "city": seller.city,
            "trades": trades.get(seller.pk, []),
            "founded_year": seller.founded_year,
            "verified_since": timezone.localdate(seller.verified_at) if seller.verified_at else None,
            "url": _absolute(url, request) if url else None,
            "listed_products": listed.get(seller.pk, 0),
        })
    return summaries


def _localized(name: str, name_fr: str, name_ar: str) -> str:
    return {"fr": name_fr, "ar": name_ar}.get((get_language() or "en")[:2]) or name


def seller_verified(*, seller_id: int, language: str, request=None) -> dict | None:
    """A verified seller's public facts, its introduction and its active certificates; None otherwise."""
    seller = _verified_sellers().filter(pk=seller_id).select_related("region").first()
    if seller is None:
        return None
    intro = (SellerPage.objects.live().filter(seller=seller, locale__language_code=language)
             .values_list("intro", flat=True).first()) or ""
    today = timezone.localdate()
    certificates = (LabelCertificate.objects.filter(seller=seller, status=LabelCertificate.Status.ACTIVE,
                                                    valid_from__lte=today, valid_until__gte=today)
                    .select_related("scheme").order_by("scheme__code", "number"))
    return {
        **_seller_summaries([seller], language=language, request=request)[0],
        "intro": intro,
        "certificates": [{
            "scheme": {"code": certificate.scheme.code, "name": certificate.scheme.localized_name},
            "certificate": certificate.number, "valid_until": certificate.valid_until,
            "verify_url": certificate_verify_url(certificate.number, request),
        } for certificate in certificates],
    }


def categories(*, language: str, country: tuple[str, ...] = (), level: int | None = None) -> list[dict]:
    """The trade nomenclature (sectors, branches, activities) of the countries asked for, else of the
    countries whose sellers list here, with the number of listed products of each branch and activity."""
    countries = country or tuple(Seller.objects.values_list("country", flat=True).distinct()) or tuple(Country.values)
    trades = Trade.objects.filter(country__in=countries).select_related("parent").order_by("country", "code")
    if level is not None:
        trades = trades.filter(level=level)
    documents = ListingDocument.objects.filter(language=language)
    by_category = dict(documents.values("category").annotate(n=Count("pk")).values_list("category", "n"))
    by_craft = dict(documents.values("craft").annotate(n=Count("pk")).values_list("craft", "n"))
    levels = dict(Trade.Level.choices)
    return [{
        "code": trade.code, "name": trade.localized_name, "country": trade.country, "level": trade.level,
        "level_name": str(levels[trade.level]), "parent": trade.parent.code if trade.parent else None,
        "listings": by_craft.get(trade.code, 0) if trade.level == Trade.Level.ACTIVITY else by_category.get(trade.code, 0)
        if trade.level == Trade.Level.BRANCH else sum(n for code, n in by_category.items() if code.startswith(f"{trade.code}.")),
    } for trade in trades]


def label_schemes() -> list[dict]:
    """Every label scheme, with its levels and the number of its certificates active today."""
    today = timezone.localdate()
    active = Q(certificates__status=LabelCertificate.Status.ACTIVE, certificates__valid_from__lte=today,
               certificates__valid_until__gte=today)
    schemes = (LabelScheme.objects.annotate(active_certificates=Count("certificates", filter=active))
               .prefetch_related("levels").order_by("country", "code"))
    kinds = dict(LabelScheme.Kind.choices)
    return [{
        "code": scheme.code, "name": scheme.localized_name,
        "kind": {"code": scheme.kind, "name": str(kinds.get(scheme.kind, scheme.kind))},
        "country": scheme.country, "issuing_body": scheme.issuing_body, "description": scheme.description,
        "validity_months": scheme.validity_months, "levels": [level.localized_name for level in scheme.levels.all()],
        "active_certificates": scheme.active_certificates,
    } for scheme in schemes]


def currencies_offered(*, language: str) -> dict:
    """The display currencies, each with its rate for one unit of the base currency and the date and
    source of that rate (the ExchangeRate table, refreshed every six hours)."""
    base = base_currency()
    rows = {row.currency: row for row in ExchangeRate.objects.all()}
    offered = []
    for code in display_currencies():
        try:
            rate = exchange_rate(base, code)
        except KeyError:  # no rate yet for this currency: listed, without one
            rate = None
        row = rows.get(code)
        offered.append({
            "code": code,
            "name": get_currency_name(code, locale=language),
            "symbol": get_currency_symbol(code, locale=language),
            "decimals": currency_precision(code),
            "rate": None if rate is None else str(rate.quantize(Decimal("0.000001"))),
            "per_euro": None if row is None else format(row.per_euro.normalize(), "f"),
            "as_of": row.as_of if row else None,
            "source": row.source if row else "",
        })
    return {"base": base, "currencies": offered}
