"""The demo's page tree in three languages: home pages, the sellers' index, the categories, and the
pool of demo photos."""

import uuid
import zlib

from django.core.files.base import ContentFile
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    Site,
)

from catalog.models import (
    CategoryIndexPage,
    HomePage,
)
from demo.data import (
    CATEGORY_INTROS,
    COLOURWAYS,
)
from demo.images import HEIGHT as IMAGE_HEIGHT
from demo.images import MOTIFS, demo_image_bytes
from demo.images import WIDTH as IMAGE_WIDTH
from sellers.models import Trade

LANGUAGES = ("en", "fr", "ar")

HOME = {
    "title": ("Handicraft from Morocco's cooperatives", "L'artisanat des coopératives du Maroc", "صناعة تقليدية من تعاونيات المغرب"),
    "intro": (
        "Rugs, zellige, copper and argan, bought directly from the registered cooperatives and artisans who make them.",
        "Tapis, zellige, cuivre et argan, achetés directement aux coopératives et artisans enregistrés qui les fabriquent.",
        "زرابي وزليج ونحاس وأركان، تشترى مباشرة من التعاونيات والصناع المسجلين الذين يصنعونها.",
    ),
}
SELLER_INDEX = {
    "title": ("Cooperatives and artisans", "Coopératives et artisans", "التعاونيات والصناع"),
    "intro": (
        "Every seller is registered and verified by the chamber of handicraft.",
        "Chaque vendeur est enregistré et vérifié par la chambre d'artisanat.",
        "كل بائع مسجل ومتحقق منه من طرف غرفة الصناعة التقليدية.",
    ),
}



def _text(triple, language):
    return triple[LANGUAGES.index(language)]

def _ensure_home_pages(locales):
    english = HomePage.objects.filter(locale=locales["en"]).first()
    if english is None:
        root = Page.get_first_root_node()
        english = root.add_child(
            instance=HomePage(
                title=_text(HOME["title"], "en"), slug="home-en", intro=_text(HOME["intro"], "en"), locale=locales["en"]
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        previous_root = site.root_page if site else None
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page, site.site_name = english, "Souk Export"
        site.save()
        if previous_root is not None and previous_root.specific_class is Page:
            previous_root.delete()  # Wagtail's "Welcome" page
    homes = {"en": english}
    for language in LANGUAGES[1:]:
        homes[language] = english.get_translation_or_none(locales[language]) or Page.get_first_root_node().add_child(
            instance=HomePage(
                title=_text(HOME["title"], language),
                slug=f"home-{language}",
                intro=_text(HOME["intro"], language),
                locale=locales[language],
                translation_key=english.translation_key,
            )
        )
    return homes


def _ensure_translations(parents, page_class, slug, texts, **shared):
    """The page under each language's parent, created where missing, sharing one translation key."""
    pages, translation_key = {}, None
    for language in LANGUAGES:
        parent = parents[language]
        existing = page_class.objects.child_of(parent).filter(slug=slug).first()
        if existing is None:
            existing = parent.add_child(
                instance=page_class(
                    title=_text(texts["title"], language),
                    slug=slug,
                    intro=_text(texts["intro"], language),
                    locale=parent.locale,
                    translation_key=translation_key or uuid.uuid4(),
                    **shared,
                )
            )
        translation_key = existing.translation_key
        pages[language] = existing
    return pages


def _ensure_image_pool():
    """One photo per motif and colourway, in the demo collection."""
    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    demo = collection.get_children().filter(name="Demo photos").first() or collection.add_child(name="Demo photos")
    existing = {image.title: image for image in image_model.objects.filter(collection=demo)}
    pool = {}
    for motif in MOTIFS:
        for index, colourway in enumerate(COLOURWAYS):
            title = f"Demo {motif} {colourway[0]}"
            image = existing.get(title)
            if image is None:
                content = demo_image_bytes(motif=motif, palette=colourway[3], seed=zlib.crc32(f"{motif}-{index}".encode()))
                image = image_model(title=title, collection=demo, description=f"{colourway[0]} {motif} pattern")
                image.file.save(f"demo-{motif}-{index}.jpg", ContentFile(content), save=False)
                image.width, image.height = IMAGE_WIDTH, IMAGE_HEIGHT  # the field cannot read a ContentFile
                image.save()
            pool[(motif, index)] = image
    return pool


def _ensure_categories(homes, images):
    trades = {trade.code: trade for trade in Trade.objects.filter(country="MA", code__in=CATEGORY_INTROS)}
    motifs = ["stripes", "weave", "rings", "rings", "radial", "tiles", "weave", "bottle", "radial"]
    for position, (code, intro) in enumerate(CATEGORY_INTROS.items()):
        trade = trades[code]
        titles = (trade.name, trade.name_fr, trade.name_ar)
        _ensure_translations(
            homes, CategoryIndexPage, slugify(trade.name), {"title": titles, "intro": intro},
            trade=trade, image=images[(motifs[position], position)],
        )
