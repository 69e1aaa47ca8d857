"""The public page tree in English, French and Arabic, and products under their sellers' pages."""

import io
import struct
import zlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from catalog.models import (
    CategoryIndexPage,
    HomePage,
    Product,
    ProductPage,
    ProductPageImage,
    SellerIndexPage,
    SellerPage,
)
from search.services import listing_index_update
from sellers.models import Seller

from .sellers import SellerFactory, region, trade

LANGUAGES = ("en", "fr", "ar")


def jpeg_bytes(width=64, height=48, colour=(160, 60, 30)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def png_header_declaring(width, height) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` whose pixels are all zero: megapixels in a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed bits of one row
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def image_create(title="Rug photo"):
    image_model = get_image_model()
    image = image_model(title=title, width=64, height=48)
    image.file = SimpleUploadedFile(f"{title.lower().replace(' ', '-')}.jpg", jpeg_bytes(), content_type="image/jpeg")
    image.save()
    return image


@dataclass
class Tree:
    homes: dict
    seller_indexes: dict
    categories: dict  # language -> the textiles category page


def _translations(parents, page_class, **fields_per_language):
    pages, key = {}, None
    for language in LANGUAGES:
        values = {name: value[language] if isinstance(value, dict) else value for name, value in fields_per_language.items()}
        if key:
            values["translation_key"] = key
        page = parents[language].add_child(instance=page_class(locale=Locale.objects.get(language_code=language), **values))
        pages[language], key = page, page.translation_key
    return pages


def site_tree() -> Tree:
    """Home pages in three languages (the English one the site's root), a seller index and a category."""
    root = Page.get_first_root_node()
    homes, key = {}, None
    for language in LANGUAGES:
        home = HomePage(title=f"Home {language}", slug=f"home-{language}", locale=Locale.objects.get(language_code=language))
        if key:
            home.translation_key = key
        homes[language] = root.add_child(instance=home)
        key = homes[language].translation_key
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.root_page = homes["en"]
    site.save()
    welcome.delete()
    seller_indexes = _translations(
        homes, SellerIndexPage, slug="sellers", title={"en": "Cooperatives", "fr": "Coopératives", "ar": "التعاونيات"}
    )
    categories = _translations(
        homes, CategoryIndexPage, slug="textiles", trade=trade("1.01"),
        title={"en": "Textiles", "fr": "Textile", "ar": "النسيج"},
    )
    return Tree(homes=homes, seller_indexes=seller_indexes, categories=categories)


def seller_pages(tree: Tree, seller: Seller | None = None) -> dict:
    seller = seller or SellerFactory()
    return _translations(tree.seller_indexes, SellerPage, slug=seller.slug, title=seller.legal_name, seller=seller)


def product_create(seller_pages_by_language: dict, *, title="Taznakht rug", craft="1.01.01", price="1200.00",
                   stock=5, hs_code="5701.10", image=None, **product_fields) -> Product:
    """A product with its page in each language, published, with one gallery image."""
    seller = seller_pages_by_language["en"].seller
    product = Product.objects.create(
        seller=seller, price=Decimal(price), stock=stock, craft=trade(craft), origin_region=seller.region or region(),
        weight_grams=3000, hs_code=hs_code, **product_fields,
    )
    image = image or image_create()
    key = None
    for language in LANGUAGES:
        page = ProductPage(
            title=f"{title} ({language})", slug=f"{title.lower().replace(' ', '-')}-{product.pk}", product=product,
            description=f"<p>{title} description {language}</p>", locale=Locale.objects.get(language_code=language),
        )
        if key:
            page.translation_key = key
        page.gallery_images = [ProductPageImage(image=image)]
        seller_pages_by_language[language].add_child(instance=page)
        page.save_revision().publish()
        key = page.translation_key
    # What the index task queued on commit would do (tests run inside a transaction never committed).
    listing_index_update(product.pages.values_list("pk", flat=True))
    return product


def product_create_in_one_language(seller_pages_by_language: dict, *, language="en", title="Azilal rug", live=True,
                                   alt_text="", image=None) -> ProductPage:
    """A product as a seller lists it: one page, in one language (its other languages come from the
    translation sync, on commit). Returns the page."""
    seller = seller_pages_by_language[language].seller
    product = Product.objects.create(
        seller=seller, price=Decimal("950.00"), stock=3, craft=trade("1.01.01"), origin_region=seller.region or region(),
        weight_grams=2500, hs_code="5701.10",
    )
    page = ProductPage(
        title=title, product=product, description=f"<p>{title}: hand-knotted wool.</p>",
        locale=Locale.objects.get(language_code=language), live=live,
    )
    page.gallery_images = [ProductPageImage(image=image or image_create(), alt_text=alt_text)]
    seller_pages_by_language[language].add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def eu_offer_ready(*products):
    """Give products (and their sellers) the product-safety information an EU offer needs (GPSR)."""
    for product in products:
        seller = product.seller
        seller.postal_address = seller.postal_address or f"{seller.legal_name}\nDouar Ait Ali, Taznakht"
        seller.contact_email = seller.contact_email or "contact@cooperative.example"
        seller.eu_responsible_person = seller.eu_responsible_person or "Tifawin Europe SARL, 5 rue de Lyon, 75012 Paris"
        seller.save()
        product.product_identifier = product.product_identifier or f"BATCH-{product.pk}"
        product.fibre_composition = product.fibre_composition or "100% wool"
        product.no_safety_warnings = True
        product.save()
    return products
