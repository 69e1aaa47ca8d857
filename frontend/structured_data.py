"""What search engines read in a page's head: the canonical address, the page in the other languages
(hreflang), Open Graph and Twitter cards, and schema.org JSON-LD: ``Product`` with its ``Offer`` on
product pages (Google's merchant listings: name, image and an offer with price and currency are
required; availability, shipping and the return policy are recommended, docs/seo.md), ``Organization``
on seller pages and ``BreadcrumbList`` on listing pages.

Built here, at the top of the layers, because an offer needs what lies above the catalogue: shipping
zones, destination rules (the right of withdrawal) and the active labels.
"""

import json

from django.conf import settings
from django.core.cache import cache
from django.utils.html import strip_tags

from catalog.badges import product_badges
from catalog.models import CategoryIndexPage, ProductPage, SellerPage
from currency.selectors import base_currency, money_convert
from customs.models import DestinationRule
from marketplace.shipping.models import ShippingZone

SCHEMA = "https://schema.org/"
# Query parameters that make a listing's page another page (the rest, such as tracking tags, do not).
CANONICAL_PARAMETERS = ("page",)
# Renditions the product and seller pages already make (catalog.selectors' DETAIL and COVER specs), so
# the cards and JSON-LD cost no query and no new image.
PRODUCT_IMAGE_SPEC = "max-1600x1600|format-webp"
COVER_IMAGE_SPEC = "max-1600x1000|format-webp"
# Zones, rates and return rules change rarely; every product page reads them.
OFFER_TERMS_CACHE_KEY = "seo:offer-terms"
OFFER_TERMS_SECONDS = 300


def json_for_script(data) -> str:
    """JSON to put inside <script>: every "<" written \\u003c so nothing in it ends the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def canonical_url(request) -> str:
    """The page's own address, absolute, with only the parameters that change what it shows."""
    kept = [(name, request.GET[name]) for name in CANONICAL_PARAMETERS
            if request.GET.get(name, "").isdigit() and request.GET[name] != "1"]
    query = "&".join(f"{name}={value}" for name, value in kept)
    return request.build_absolute_uri(request.path) + (f"?{query}" if query else "")


def hreflang_links(request, language_links: list[dict]) -> list[dict]:
    """One alternate per language the page is translated into (absolute), then x-default (the default
    language's)."""
    links = [{"hreflang": link["code"], "href": request.build_absolute_uri(link["url"])}
             for link in language_links if link.get("translated", True)]
    default = next((link["href"] for link in links if link["hreflang"] == settings.LANGUAGE_CODE), None)
    if default:
        links.append({"hreflang": "x-default", "href": default})
    return links


def page_image_url(page, request) -> str:
    """An absolute 1200×630 rendition of the page's first picture, for link previews; empty if none."""
    if isinstance(page, ProductPage):
        image, spec = page.first_image, PRODUCT_IMAGE_SPEC
    elif isinstance(page, SellerPage):
        image, spec = page.cover_image, COVER_IMAGE_SPEC
    else:
        return ""
    return request.build_absolute_uri(image.get_rendition(spec).url) if image is not None else ""


def structured_data(page, request, *, currency: str, labels=None) -> list[dict]:
    """The JSON-LD objects of the page (``labels``: the product's active labels, when the page has them)."""
    if isinstance(page, ProductPage):
        return [product_json_ld(page, request, currency=currency, labels=labels), breadcrumbs_json_ld(page, request)]
    if isinstance(page, SellerPage):
        return [seller_json_ld(page, request), breadcrumbs_json_ld(page, request)]
    if isinstance(page, CategoryIndexPage):
        return [breadcrumbs_json_ld(page, request)]
    return []


def _availability(product) -> str:
    if product.made_to_order:
        return SCHEMA + "MadeToOrder"
    return SCHEMA + ("InStock" if product.stock > 0 else "OutOfStock")


def product_json_ld(page: ProductPage, request, *, currency: str, labels=None) -> dict:
    product = page.product
    seller = product.seller
    price = money_convert(product.price, to=currency) if currency != base_currency() else None
    amount = price.amount if price else product.price
    images = [request.build_absolute_uri(item.image.get_rendition(PRODUCT_IMAGE_SPEC).url)
              for item in page.gallery_images.all()]
    offer = {
        "@type": "Offer",
        "url": request.build_absolute_uri(page.url),
        "price": str(amount),
        "priceCurrency": currency,
        "availability": _availability(product),
        "itemCondition": SCHEMA + "NewCondition",
        "seller": {"@type": "Organization", "name": seller.legal_name},
        "shippingDetails": shipping_details(product, currency=currency),
        "hasMerchantReturnPolicy": return_policies(),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "image": images,
        "description": strip_tags(page.description or "").strip()[:5000],
        "sku": str(product.pk),
        "brand": {"@type": "Brand", "name": seller.legal_name},
        "manufacturer": {"@type": "Organization", "name": seller.legal_name},
        "countryOfOrigin": seller.country,
        "material": ", ".join(material.localized_name for material in product.materials.all())
        or product.fibre_composition,
        "offers": offer,
    }
    if product.gtin:
        data["gtin"] = product.gtin
    badges = labels if labels is not None else product_badges(product_ids=[product.pk]).get(product.pk, ())
    if badges:
        data["hasCertification"] = [{"@type": "Certification", "name": badge.scheme_name,
                                     "certificationIdentification": badge.number,
                                     "url": request.build_absolute_uri(badge.verify_url)}
                                    for badge in badges]
    return data


def _offer_terms() -> dict:
    """The shipping zones with their rates, and the destinations' rights of withdrawal, cached."""
    terms = cache.get(OFFER_TERMS_CACHE_KEY)
    if terms is None:
        terms = {
            "zones": [(zone.country_list, zone.transit_days,
                       sorted((rate.max_weight_grams, rate.price) for rate in zone.rates.all()))
                      for zone in ShippingZone.objects.prefetch_related("rates").order_by("name")],
            "returns": [(rule.country_list, rule.withdrawal_days)
                        for rule in DestinationRule.objects.filter(withdrawal_days__isnull=False).order_by("code")],
        }
        cache.set(OFFER_TERMS_CACHE_KEY, terms, OFFER_TERMS_SECONDS)
    return terms


def shipping_details(product, *, currency: str) -> list[dict]:
    """One OfferShippingDetails per shipping zone that takes the product's weight: the zone's price for
    one parcel of it, in the page's currency, and its handling and transit times."""
    details = []
    handling = product.lead_time_days if product.made_to_order and product.lead_time_days else 1
    for countries, transit_days, rates in _offer_terms()["zones"]:
        price = next((price for max_weight, price in rates if max_weight >= product.weight_grams), None)
        if price is None:
            continue
        if currency != base_currency():
            price = money_convert(price, to=currency).amount
        details.append({
            "@type": "OfferShippingDetails",
            "shippingRate": {"@type": "MonetaryAmount", "value": str(price), "currency": currency},
            "shippingDestination": [{"@type": "DefinedRegion", "addressCountry": code} for code in countries],
            "deliveryTime": {
                "@type": "ShippingDeliveryTime",
                "handlingTime": {"@type": "QuantitativeValue", "minValue": 0, "maxValue": handling, "unitCode": "DAY"},
                "transitTime": {"@type": "QuantitativeValue", "minValue": max(1, transit_days - 2),
                                "maxValue": transit_days, "unitCode": "DAY"},
            },
        })
    return details


def return_policies() -> list[dict]:
    """The consumer's right of withdrawal of each destination that has one (issue 12's destination rules):
    the days after delivery, returned by post at the buyer's cost. Elsewhere each seller's own policy
    applies, which is text on its page, not structured."""
    return [{
        "@type": "MerchantReturnPolicy",
        "applicableCountry": countries,
        "returnPolicyCategory": SCHEMA + "MerchantReturnFiniteReturnWindow",
        "merchantReturnDays": days,
        "returnMethod": SCHEMA + "ReturnByMail",
        "returnFees": SCHEMA + "ReturnFeesCustomerResponsibility",
    } for countries, days in _offer_terms()["returns"]]


def seller_json_ld(page: SellerPage, request) -> dict:
    seller = page.seller
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": seller.legal_name,
        "url": request.build_absolute_uri(page.url),
        "description": strip_tags(getattr(page, "intro", "") or "").strip()[:5000],
        "address": {"@type": "PostalAddress", "addressLocality": seller.city,
                    "addressRegion": seller.region.localized_name if seller.region else "",
                    "addressCountry": seller.country},
    }
    if seller.name_alternate:
        data["alternateName"] = seller.name_alternate
    image = page_image_url(page, request)
    if image:
        data["logo"] = image
    return data


def breadcrumbs_json_ld(page, request) -> dict:
    """The page's ancestors from the language's home page down to it."""
    trail = [ancestor for ancestor in page.get_ancestors(inclusive=True).live() if ancestor.depth >= 2]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.title,
             "item": request.build_absolute_uri(crumb.url)}
            for position, crumb in enumerate(trail, start=1) if crumb.url
        ],
    }

