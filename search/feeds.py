"""Shopping feeds: one RSS 2.0 file with Google's ``g:`` namespace per language and display currency.

What each attribute comes from, and why, is in docs/feeds.md. The files are written by the beat task
``shopping_feeds_write_task`` under ``FEEDS_ROOT`` (atomically: a temporary file renamed over the
old one, and only when the content changed, so that a file's date and ETag say when it last changed)
and served by ``search.views.shopping_feed``.

Memory and queries stay bounded whatever the catalogue's size: the pages of one language are read in
chunks of ``CHUNK_SIZE`` (four queries a chunk), each chunk written at once into the files of every
currency of that language, through ``XMLGenerator``, which keeps nothing.
"""

import hashlib
import html
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import XMLGenerator

from babel.numbers import get_territory_currencies
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Page

from catalog.models import Material, ProductPageImage
from catalog.selectors import DETAIL_IMAGE_SPECS, image_renditions, renditions_prefetch
from config.public_urls import public_base_url
from currency.selectors import base_currency, currency_precision, display_currencies, money_convert
from customs.selectors import destination_rule_for, tax_rate_for
from marketplace.shipping.countries import ISO_COUNTRY_CODES, countries_excluded
from marketplace.shipping.services import dispatch_days, parcel_price, shipping_zones
from sellers.models import Trade, seller_display_name

from .documents import listable_pages

GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0"
CHUNK_SIZE = 500
# The largest rendition the product page shows (made when a page is published): Google asks for
# at least 100 x 100 pixels, 800 x 800 recommended, and accepts WebP.
IMAGE_SPEC = DETAIL_IMAGE_SPECS[-1]
# Google's limits: title 150 characters, description 5,000, shipping repeated at most 100 times.
TITLE_LIMIT = 150
DESCRIPTION_LIMIT = 5000
SHIPPING_LIMIT = 100
# The tax attribute is for US sales tax only (Google: "This attribute exclusively covers US sales tax").
TAX_COUNTRIES = ("US",)
# Characters XML 1.0 does not allow: a seller's text holding one must not break the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedItem:
    """One product page of a language as the feeds list it; the price is in the base currency."""

    id: str
    title: str
    description: str
    path: str
    link: str
    image_link: str
    in_stock: bool
    price: Decimal
    brand: str
    product_type: str
    material: str
    weight_grams: int
    handling_days: int


@dataclass(frozen=True)
class FeedDestination:
    """A country the feed quotes shipping (and, in the US, tax) for, and the zone it ships in."""

    country: str
    zone: object  # marketplace.shipping.ShippingZone, with its rates
    tax_rate: Decimal | None


def feed_names() -> list[str]:
    """Every feed the site offers, "<language>-<currency>": each language times each display currency."""
    return [f"{language}-{currency}" for language, _name in settings.LANGUAGES for currency in display_currencies()]


def feeds_root() -> Path:
    return Path(settings.FEEDS_ROOT)


def feed_path(name: str) -> Path | None:
    """The file of a feed the site offers, or None for any other name (never a path built from it)."""
    return feeds_root() / f"{name}.xml" if name in feed_names() else None


def feed_price(amount: Decimal, currency: str) -> str:
    """An amount in Google's price format: "12.34 EUR", the currency's own decimals ("1250 XAF")."""
    return f"{amount:.{currency_precision(currency)}f} {currency}"


@cache
def _countries_using() -> dict[str, frozenset[str]]:
    """Each currency's countries (CLDR's legal tender today, through babel)."""
    countries = defaultdict(set)
    for country in ISO_COUNTRY_CODES:
        for currency in get_territory_currencies(country):
            countries[currency].add(country)
    return {currency: frozenset(codes) for currency, codes in countries.items()}


def feed_destinations(currency: str, zones) -> list[FeedDestination]:
    """The countries a feed in ``currency`` is for: those paying in it (Google shows a price in the
    currency of the country of sale) that a shipping zone serves and the deployment offers."""
    excluded = countries_excluded()
    using = _countries_using().get(currency, frozenset())
    destinations = []
    for zone in zones:
        for country in zone.country_list:
            if country in using and country not in excluded and zone.rates.all():
                rule = destination_rule_for(country) if country in TAX_COUNTRIES else None
                tax_rate = tax_rate_for(rule, country) if rule is not None else None
                destinations.append(FeedDestination(country=country, zone=zone, tax_rate=tax_rate))
    return sorted(destinations, key=lambda destination: destination.country)[:SHIPPING_LIMIT]


def _text(value: str, limit: int) -> str:
    value = " ".join(_NOT_XML.sub("", value or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _absolute(url: str, base: str) -> str:
    return f"{base}{url}" if url.startswith("/") else url


_PAGE_FIELDS = (
    "pk", "title", "description", "search_description", "url_path", "product_id", "product__price",
    "product__stock", "product__made_to_order", "product__lead_time_days", "product__min_order_quantity",
    "product__weight_grams", "product__craft_id", "product__seller__legal_name",
    "product__seller__name_alternate", "product__seller__made_to_order_capacity",
)


def feed_items(language: str) -> Iterator[FeedItem]:
    """The listed product pages of a language (live, verified seller, with a photo), in chunks of
    ``CHUNK_SIZE``: four queries a chunk (pages, materials, photos, renditions), plus one for the crafts."""
    base = public_base_url()
    trades = {pk: (parent_id, names) for pk, parent_id, *names in
              Trade.objects.values_list("pk", "parent_id", "name", "name_fr", "name_ar")}
    pages = listable_pages().filter(locale__language_code=language).order_by("pk")
    last = 0
    while True:
        rows = list(pages.filter(pk__gt=last).values(*_PAGE_FIELDS)[:CHUNK_SIZE])
        if not rows:
            return
        last = rows[-1]["pk"]
        with translation.override(language):  # the maker's name in the page's script
            items = list(_chunk_items(rows, language=language, trades=trades, base=base))
        yield from items


def _localized(names, language: str) -> str:
    name, name_fr, name_ar = names
    return {"fr": name_fr, "ar": name_ar}.get(language) or name


def _product_type(craft_id: int, trades: dict, language: str) -> str:
    """The craft's path in the trade nomenclature, sector first: "Art and production > Weaving > Rugs"."""
    names, pk = [], craft_id
    while pk is not None and pk in trades:
        parent_id, localized = trades[pk]
        names.append(_localized(localized, language))
        pk = parent_id
    return " > ".join(reversed(names))


def _chunk_items(rows, *, language: str, trades: dict, base: str) -> Iterator[FeedItem]:
    page_ids = [row["pk"] for row in rows]
    materials = defaultdict(list)
    for product_id, *names in Material.products.through.objects.filter(
        product_id__in={row["product_id"] for row in rows}
    ).order_by("material__name").values_list("product_id", "material__name", "material__name_fr", "material__name_ar"):
        materials[product_id].append(_localized(names, language))
    images = {}
    for gallery_image in ProductPageImage.objects.filter(page_id__in=page_ids).select_related("image").order_by(
        "page_id", "sort_order", "pk"
    ):
        images.setdefault(gallery_image.page_id, gallery_image.image)
    renditions_prefetch(list(images.values()), (IMAGE_SPEC,))
    for row in rows:
        image = images.get(row["pk"])
        if image is None:
            continue  # Google refuses an item without an image; every published page has one
        path = Page(url_path=row["url_path"]).get_url()
        if not path:
            continue  # not under any site's root: nowhere to link to
        description = (html.unescape(strip_tags(row["description"] or "")).strip() or row["search_description"]
                       or row["title"])
        yield FeedItem(
            id=f"souk-{row['product_id']}",
            title=_text(row["title"], TITLE_LIMIT),
            description=_text(description, DESCRIPTION_LIMIT),
            path=path,
            link=_absolute(path, base),
            image_link=_absolute(image_renditions(image, (IMAGE_SPEC,))[0].url, base),
            in_stock=row["product__made_to_order"] or row["product__stock"] >= row["product__min_order_quantity"],
            price=row["product__price"],
            brand=_text(seller_display_name(row["product__seller__legal_name"],
                                            row["product__seller__name_alternate"]), 70),
            product_type=_text(_product_type(row["product__craft_id"], trades, language), 750),
            material=_text("/".join(materials[row["product_id"]]), 200),
            weight_grams=row["product__weight_grams"],
            handling_days=dispatch_days(
                made_to_order=row["product__made_to_order"], lead_time_days=row["product__lead_time_days"],
                quantity=row["product__min_order_quantity"],
                capacity_per_week=row["product__seller__made_to_order_capacity"],
            ),
        )


class _FeedFile:
    """One feed being written: a temporary file beside the feed's, renamed over it when done."""

    def __init__(self, name: str, *, language: str, currency: str, destinations, base: str):
        self.path = feeds_root() / f"{name}.xml"
        self.currency = currency
        self.destinations = destinations
        self.base = base
        self.items = 0
        self._parcel_prices = {}
        handle, temporary = tempfile.mkstemp(dir=feeds_root(), prefix=f".{name}.", suffix=".tmp")
        self.temporary = Path(temporary)
        self.stream = os.fdopen(handle, "wb")
        self.xml = XMLGenerator(self.stream, encoding="utf-8", short_empty_elements=True)
        self.xml.startDocument()
        self.xml.startElement("rss", {"version": "2.0", "xmlns:g": GOOGLE_NAMESPACE})
        self.xml.startElement("channel", {})
        with translation.override(language):
            self._element("title", _("%(site)s: handicrafts in %(currency)s")
                          % {"site": settings.WAGTAIL_SITE_NAME, "currency": currency})
            self._element("link", f"{base}/{language}/")
            self._element("description", _("Handmade products of the cooperatives and artisans of %(site)s, "
                                           "with their prices in %(currency)s.")
                          % {"site": settings.WAGTAIL_SITE_NAME, "currency": currency})
        self._element("language", language)

    def _element(self, name: str, text: str) -> None:
        self.xml.startElement(name, {})
        self.xml.characters(_NOT_XML.sub("", str(text)))
        self.xml.endElement(name)

    def _parcel_price(self, zone, weight_grams: int) -> Decimal | None:
        key = (zone.pk, weight_grams)
        if key not in self._parcel_prices:
            price = parcel_price(zone, weight_grams)
            self._parcel_prices[key] = None if price is None else money_convert(price, to=self.currency).amount
        return self._parcel_prices[key]

    def write(self, item: FeedItem) -> None:
        element = self._element
        self.xml.startElement("item", {})
        element("g:id", item.id)
        element("title", item.title)
        element("description", item.description)
        element("link", item.link)
        if self.currency != base_currency():
            # The product page has no currency of its own (it shows the buyer's, from a cookie): a
            # click from an ad passes through the site's currency switch, which sets it (docs/feeds.md).
            query = urlencode({"currency": self.currency, "next": item.path})
            element("g:ads_redirect", f"{self.base}{reverse('currency_set')}?{query}")
        element("g:image_link", item.image_link)
        element("g:availability", "in_stock" if item.in_stock else "out_of_stock")
        element("g:price", feed_price(money_convert(item.price, to=self.currency).amount, self.currency))
        element("g:condition", "new")
        element("g:brand", item.brand)
        element("g:identifier_exists", "no")
        if item.product_type:
            element("g:product_type", item.product_type)
        if item.material:
            element("g:material", item.material)
        element("g:shipping_weight", f"{item.weight_grams} g")
        for destination in self.destinations:
            price = self._parcel_price(destination.zone, item.weight_grams)
            if price is None:
                continue
            self.xml.startElement("g:shipping", {})
            element("g:country", destination.country)
            element("g:price", feed_price(price, self.currency))
            element("g:min_handling_time", str(item.handling_days))
            element("g:max_handling_time", str(item.handling_days))
            element("g:min_transit_time", str(destination.zone.transit_days))
            element("g:max_transit_time", str(destination.zone.transit_days))
            self.xml.endElement("g:shipping")
        for destination in self.destinations:
            if destination.tax_rate is not None:
                self.xml.startElement("g:tax", {})
                element("g:country", destination.country)
                element("g:rate", format(destination.tax_rate.normalize(), "f"))
                element("g:tax_ship", "yes")
                self.xml.endElement("g:tax")
        self.xml.endElement("item")
        self.items += 1

    def close(self) -> bool:
        """Finish the file and put it in place; False (and the old file kept) when nothing changed."""
        self.xml.endElement("channel")
        self.xml.endElement("rss")
        self.xml.endDocument()
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.path.exists() and _digest(self.path) == _digest(self.temporary):
            self.temporary.unlink()
            return False
        self.temporary.chmod(0o644)
        os.replace(self.temporary, self.path)
        return True

    def discard(self) -> None:
        self.stream.close()
        self.temporary.unlink(missing_ok=True)


def _digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 16):
            digest.update(block)
    return digest.digest()


@dataclass(frozen=True)
class FeedWritten:
    name: str
    items: int
    changed: bool


def shopping_feeds_write() -> list[FeedWritten]:
    """Write every feed (each language times each display currency) from the catalogue as it is now.

    The pages of each language are read once for all its currencies. A feed whose content is the same
    as its file's is left untouched. Raises OSError when ``FEEDS_ROOT`` cannot be written to.
    """
    feeds_root().mkdir(parents=True, exist_ok=True)
    base = public_base_url()
    zones = shipping_zones()
    destinations = {currency: feed_destinations(currency, zones) for currency in display_currencies()}
    written = []
    for language, _name in settings.LANGUAGES:
        files = []
        try:
            for currency in display_currencies():
                files.append(_FeedFile(f"{language}-{currency}", language=language, currency=currency,
                                       destinations=destinations[currency], base=base))
            for item in feed_items(language):
                for feed_file in files:
                    feed_file.write(item)
            for feed_file in files:
                written.append(FeedWritten(feed_file.path.stem, feed_file.items, feed_file.close()))
        except BaseException:
            for feed_file in files:
                feed_file.discard()
            raise
    return written
