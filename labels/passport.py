"""The product passport: the public, stable record of one product, reached from the QR code on its tag
(``/p/<id>/``) or from its barcode (GS1 Digital Link ``/01/<GTIN>/``). It says, in the visitor's
language, who made it and where, of what, how to care for it, which quality labels it holds and
whether each certificate is valid right now.

Its fields follow what the EU's digital product passport will ask (Regulation (EU) 2024/1781, ESPR,
art. 9-11): a unique product identifier, the data carrier that leads to it, the economic operator; the
ones this platform cannot fill yet are listed in docs/product-passport.md.
"""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language

from catalog.models import Product, ProductPage
from catalog.offers import platform_responsible_person
from config.public_urls import public_url

from .models import LabelCertificate
from .selectors import label_level_names

# Certificates shown on a passport: an application still in progress has none.
SHOWN_STATUSES = ("active", "suspended", "revoked", "expired")


def passport_product(product_id: int) -> Product | None:
    """The product, if it ever went on sale (a page of it was published once): a tag printed for it keeps
    working after it is sold out or withdrawn, but a draft never shows."""
    return (Product.objects.filter(pk=product_id, pages__first_published_at__isnull=False)
            .select_related("seller", "seller__region", "craft", "origin_region").distinct().first())


def passport_product_by_gtin(gtin: str) -> Product | None:
    if not (gtin.isdigit() and len(gtin) in (8, 12, 13, 14)):
        return None
    product = Product.objects.filter(gtin=gtin).only("pk").first()
    return passport_product(product.pk) if product else None


def product_passport(product: Product, request=None) -> dict:
    """The passport's facts, in the active language (the page of that language, else English, else any)."""
    language = (get_language() or "en")[:2]
    pages = list(ProductPage.objects.filter(product=product, first_published_at__isnull=False)
                 .select_related("locale"))
    by_language = {page.locale.language_code: page for page in pages}
    page = by_language.get(language) or by_language.get("en") or pages[0]
    certificates = list(
        LabelCertificate.objects.filter(products=product, status__in=SHOWN_STATUSES)
        .select_related("scheme").order_by("-valid_until", "number"))
    levels = label_level_names(certificate.scheme_id for certificate in certificates)
    seller = product.seller
    responsible = seller.eu_responsible_person.strip()
    platform = platform_responsible_person() if not responsible else None
    passport_url = public_url(reverse("product_passport", args=[product.pk]), request)
    live = [candidate for candidate in pages if candidate.live]
    on_sale = next((candidate for candidate in live if candidate.locale.language_code == language), None) \
        or (live[0] if live else None)
    return {
        "id": product.pk,
        "identifier": passport_url,
        "gtin": product.gtin,
        "data_carrier": "QR code (ISO/IEC 18004)" + (", GS1 barcode" if product.gtin else ""),
        "title": page.title,
        "language": page.locale.language_code,
        "story": strip_tags(page.description or "").strip(),
        "care_instructions": page.care_instructions.strip(),
        "safety_warnings": page.safety_warnings.strip(),
        "batch": product.product_identifier,
        "listed_on": page.first_published_at.date().isoformat(),
        "made_to_order": product.made_to_order,
        "craft": {"code": product.craft.code, "name": product.craft.localized_name},
        "region": {"code": product.origin_region.code, "name": product.origin_region.localized_name},
        "country_of_origin": seller.country,
        "materials": [material.localized_name for material in product.materials.all()],
        "fibre_composition": product.fibre_composition,
        "hs_code": product.hs_code,
        "maker": {
            "name": seller.legal_name, "kind": seller.get_kind_display(), "register_number": seller.register_number,
            "town": seller.city, "region": seller.region.localized_name if seller.region else "",
            "country": seller.country,
        },
        "economic_operator_eu": responsible or (platform.as_text if platform else ""),
        "labels": [{
            "number": certificate.number, "scheme": certificate.scheme.localized_name,
            "kind": certificate.scheme.get_kind_display(), "status": certificate.status,
            "status_label": certificate.get_status_display(),
            "level": levels.get((certificate.scheme_id, certificate.level), certificate.level),
            "valid_until": certificate.valid_until.isoformat(),
            "verify_url": public_url(reverse("certificate_verify", args=[certificate.number]), request),
        } for certificate in certificates],
        "page_url": on_sale.url if on_sale else "",
        "passport_url": passport_url,
    }


def passport_json_ld(passport: dict) -> dict:
    """The passport as schema.org JSON-LD: a Product with its maker, origin, materials and labels."""
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": passport["identifier"],
        "name": passport["title"],
        "description": passport["story"],
        "sku": str(passport["id"]),
        **({"gtin": passport["gtin"]} if passport["gtin"] else {}),
        "material": ", ".join(passport["materials"]) or passport["fibre_composition"],
        "countryOfOrigin": {"@type": "Country", "name": passport["country_of_origin"]},
        "manufacturer": {"@type": "Organization", "name": passport["maker"]["name"],
                         "address": {"@type": "PostalAddress", "addressLocality": passport["maker"]["town"],
                                     "addressRegion": passport["maker"]["region"],
                                     "addressCountry": passport["maker"]["country"]}},
        "hasCertification": [{
            "@type": "Certification", "name": label["scheme"], "certificationIdentification": label["number"],
            "certificationStatus": label["status"], "url": label["verify_url"],
            "expires": label["valid_until"],
        } for label in passport["labels"]],
        "url": passport["passport_url"],
    }

