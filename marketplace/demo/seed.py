"""Builds the demo marketplace: the page tree in three languages, sellers, products, images, logins.

Idempotent: a second run adds nothing; a run with a larger ``products`` adds only the difference.
Product pages are written with bulk inserts (the tree paths computed here), so that a catalogue of
100,000 products takes minutes, not hours.
"""

import random
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)
from wagtail.search.backends import get_search_backend

from catalog.label_services import (
    INSPECTORS_GROUP,
    LEAD_INSPECTORS_GROUP,
    label_apply,
    label_assign,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_decide,
    label_groups_ensure,
    label_inspection_record,
)
from catalog.models import (
    CategoryIndexPage,
    HomePage,
    LabelApplication,
    LabelCertificate,
    LabelCriterion,
    LabelLevel,
    LabelScheme,
    Material,
    Product,
    ProductPage,
    ProductPageImage,
    SellerIndexPage,
    SellerPage,
)
from catalog.services import CHAMBER_STAFF_GROUP, seller_workspace_open
from marketplace.orders.models import Order
from marketplace.shipping.models import ShippingRate, ShippingZone
from search.models import ListingDocument
from search.services import listing_documents_rebuild
from sellers.models import Region, Seller, SellerMember, Trade

from .data import CATEGORY_INTROS, COLOURWAYS, DEMO_LABELS, LABEL_SCHEMES, PRODUCTS, SELLERS, SHIPPING_ZONES, STORIES
from .images import HEIGHT as IMAGE_HEIGHT
from .images import MOTIFS, demo_image_bytes
from .images import WIDTH as IMAGE_WIDTH

LANGUAGES = ("en", "fr", "ar")
BATCH_SIZE = 2000
# Pages indexed for the admin's page search only up to this many; a bigger catalogue is indexed later.
ADMIN_SEARCH_INDEX_LIMIT = 5000
PENDING_SELLERS = 2  # the last sellers of the list wait for verification, as real applications do

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


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    note: str


DEMO_LOGINS = [
    DemoLogin("administrator", "admin", "souk-admin-2026", "everything"),
    DemoLogin("chamber staff", "staff", "souk-staff-2026", "verifies sellers, edits the whole catalogue"),
    DemoLogin("label inspector", "inspector", "souk-inspector-2026", "inspects label applications"),
    DemoLogin("lead inspector", "lead", "souk-lead-2026", "assigns applications, inspects, confirms revocations"),
    DemoLogin("seller manager", "seller", "souk-seller-2026", "manages Coopérative Tifaouine des Tisseuses"),
    DemoLogin("seller manager", "potter", "souk-potter-2026", "manages Poterie de la Colline des Potiers"),
    DemoLogin("buyer", "buyer", "souk-buyer-2026", "buys on the public site"),
]
# The sellers the demo's seller logins manage, and whose parts of the demo orders they handle.
DEMO_SELLER_LOGINS = {"seller": "Coopérative Tifaouine des Tisseuses", "potter": "Poterie de la Colline des Potiers"}


@dataclass
class SeedReport:
    sellers_created: int = 0
    products_created: int = 0
    products_total: int = 0
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def _text(triple, language):
    return triple[LANGUAGES.index(language)]


def seed_demo(*, products: int = 300, progress=None) -> SeedReport:
    """Create what is missing of the demo marketplace, up to ``products`` products in all."""
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
    verified = [entry for entry in sellers if entry[0].status == Seller.Status.VERIFIED]
    report.products_created = _ensure_products(verified, images, total=products, progress=progress)
    report.products_total = Product.objects.count()
    _ensure_labels()
    _ensure_orders()
    if report.products_created or not ListingDocument.objects.exists():
        listing_documents_rebuild()
    if report.products_created:
        _refresh_planner_statistics()
    return report


def _refresh_planner_statistics():
    """Bulk inserts leave the query planner guessing (autovacuum may be off or late): measure now."""
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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


def _ensure_sellers(seller_indexes, images):
    regions = {region.code: region for region in Region.objects.filter(country="MA")}
    trades = {trade.code: trade for trade in Trade.objects.filter(country="MA")}
    entries, created = [], 0
    for position, (name, kind, number, region_code, town, trade_codes, founded, family) in enumerate(SELLERS):
        slug = slugify(name)
        seller = Seller.objects.filter(slug=slug).first()
        if seller is None:
            pending = position >= len(SELLERS) - PENDING_SELLERS
            seller = Seller(
                kind=kind, legal_name=name, slug=slug, country="MA", register_number=number,
                region=regions[region_code], city=town, founded_year=founded,
                status=Seller.Status.PENDING if pending else Seller.Status.VERIFIED,
                verified_at=None if pending else timezone.now(),
                contact_name="", email=f"contact@{slug}.example", phone=f"+212 5{position:02d} 00 00 00",
            )
            seller.full_clean()
            seller.save()
            seller.trades.set([trades[code] for code in trade_codes])
            created += 1
        pages = {}
        if seller.status == Seller.Status.VERIFIED:
            story = STORIES[family]
            motif = PRODUCTS[family][0][9]
            pages = _ensure_translations(
                seller_indexes, SellerPage, slug, {"title": (name, name, name), "intro": story},
                seller=seller, story=f"<p>{story[0]}</p>", cover_image=images[(motif, position % len(COLOURWAYS))],
            )
            for language, page in pages.items():
                expected = f"<p>{_text(story, language)}</p>"
                if page.story != expected:
                    page.story = expected
                    page.save(update_fields=["story"])
        entries.append((seller, family, pages))
    return entries, created


def _ensure_products(verified, images, *, total, progress):
    existing = Product.objects.count()
    missing = max(0, total - existing)
    if not missing or not verified:
        return 0
    materials = {material.slug: material for material in Material.objects.all()}
    trades = {trade.code: trade for trade in Trade.objects.filter(country="MA")}
    created = 0
    for batch_start in range(existing, total, BATCH_SIZE):
        batch = range(batch_start, min(total, batch_start + BATCH_SIZE))
        with transaction.atomic():
            _create_product_batch(batch, verified, images, materials, trades, index_for_admin=total <= ADMIN_SEARCH_INDEX_LIMIT)
        created += len(batch)
        if progress:
            progress(created, missing)
    return created


def _create_product_batch(numbers, verified, images, materials, trades, *, index_for_admin):
    now = timezone.now()
    plans = []
    for number in numbers:
        seller, family, pages = verified[number % len(verified)]
        rng = random.Random(number)
        variant = number // len(verified)
        title, description, craft, material_slugs, hs_code, price_range, weight_range, dimensions, lead_time, motif = (
            PRODUCTS[family][variant % len(PRODUCTS[family])]
        )
        colour_index = (variant + number) % len(COLOURWAYS)
        made_to_order = lead_time is not None and rng.random() < 0.5
        product = Product(
            seller=seller,
            price=Decimal(rng.randrange(price_range[0], price_range[1] + 1, 10)),
            stock=0 if made_to_order else rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40]),
            made_to_order=made_to_order,
            lead_time_days=lead_time if made_to_order else None,
            min_order_quantity=6 if family == "argan" else 1,
            craft=trades[craft],
            origin_region=seller.region,
            weight_grams=rng.randrange(weight_range[0], weight_range[1] + 1),
            hs_code=hs_code,
            length_cm=Decimal(dimensions[0]) if dimensions else None,
            width_cm=Decimal(dimensions[1]) if dimensions else None,
            height_cm=Decimal(dimensions[2]) if dimensions else None,
        )
        published_at = now - timedelta(minutes=number * 7 % (60 * 24 * 120), seconds=number)
        plans.append((product, pages, title, description, colour_index, motif, material_slugs, published_at, number))
    Product.objects.bulk_create([plan[0] for plan in plans])
    Product.materials.through.objects.bulk_create(
        [
            Product.materials.through(product_id=plan[0].pk, material_id=materials[slug].pk)
            for plan in plans
            for slug in plan[6]
        ]
    )
    page_rows = {language: [] for language in LANGUAGES}
    for product, pages, title, description, colour_index, motif, _materials, published_at, number in plans:
        translation_key = uuid.uuid4()
        colour = COLOURWAYS[colour_index]
        for language in LANGUAGES:
            page_title = f"{_text(title, language)} · {_text(colour, language)}"
            page_rows[language].append(
                (pages[language], product, page_title, f"<p>{_text(description, language)}</p>", translation_key,
                 published_at, [images[(motif, colour_index)], images[(motif, (colour_index + 1) % len(COLOURWAYS))]],
                 f"{slugify(_text(title, 'en'))}-{number + 1}")
            )
    new_page_ids = []
    for rows in page_rows.values():
        new_page_ids += _bulk_add_product_pages(rows)
    if index_for_admin:
        get_search_backend().add_bulk(ProductPage, list(ProductPage.objects.filter(pk__in=new_page_ids)))


def _bulk_add_product_pages(rows) -> list[int]:
    """Insert product pages under their seller pages without one save per page.

    Each row: (parent, product, title, description, translation key, published at, images, slug).
    """
    content_type = ContentType.objects.get_for_model(ProductPage)
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row[0].pk, []).append(row)
    created_ids = []
    for parent_id, children in by_parent.items():
        parent = Page.objects.get(pk=parent_id)
        base_pages = []
        for offset, (_parent, _product, title, _desc, translation_key, published_at, _images, slug) in enumerate(children, 1):
            depth = parent.depth + 1
            base_pages.append(
                Page(
                    title=title, draft_title=title, slug=slug, content_type=content_type,
                    path=Page._get_path(parent.path, depth, parent.numchild + offset), depth=depth, numchild=0,
                    url_path=f"{parent.url_path}{slug}/", live=True, has_unpublished_changes=False,
                    first_published_at=published_at, last_published_at=published_at,
                    locale_id=parent.locale_id, translation_key=translation_key,
                )
            )
        Page.objects.bulk_create(base_pages)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ProductPage._meta.db_table} (page_ptr_id, product_id, description) VALUES (%s, %s, %s)",  # noqa: S608 (table name from the model)
                [(page.pk, row[1].pk, row[3]) for page, row in zip(base_pages, children, strict=True)],
            )
        ProductPageImage.objects.bulk_create(
            [
                ProductPageImage(page_id=page.pk, image=image, sort_order=position)
                for page, row in zip(base_pages, children, strict=True)
                for position, image in enumerate(row[6])
            ]
        )
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))
        created_ids += [page.pk for page in base_pages]
    return created_ids


def _ensure_logins(homes, sellers):
    User = get_user_model()
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User.objects.create_user(
                username=login.username, email=f"{login.username}@souk-export.example", password=login.password,
                first_name=login.role.split()[0].capitalize(),
            )
        users[login.username] = user
    admin = users["admin"]
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    chamber = _group(CHAMBER_STAFF_GROUP, admin_access=True)
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"):
        GroupPagePermission.objects.get_or_create(group=chamber, page=root_page, permission=_permission("wagtailcore", codename))
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "delete", "choose"):
            GroupCollectionPermission.objects.get_or_create(
                group=chamber, collection=root_collection, permission=_permission(app, f"{action}_{model}")
            )
    for codename in ("view_seller", "change_seller", "view_sellermember", "view_region", "view_trade"):
        chamber.permissions.add(_permission("sellers", codename))
    users["staff"].groups.add(chamber)
    label_groups_ensure()
    inspectors, leads = Group.objects.get(name=INSPECTORS_GROUP), Group.objects.get(name=LEAD_INSPECTORS_GROUP)
    users["inspector"].groups.add(inspectors)
    users["lead"].groups.add(inspectors, leads)

    for username, legal_name in DEMO_SELLER_LOGINS.items():
        seller = Seller.objects.get(legal_name=legal_name)
        SellerMember.objects.get_or_create(seller=seller, user=users[username], defaults={"role": SellerMember.Role.MANAGER})
        seller_workspace_open(seller=seller)


def _ensure_orders():
    """A few orders of the demo buyer across the two demo sellers, at every stage of their routing,
    made through the order, payment and fulfilment services. Once: skipped when any order exists."""
    from marketplace.orders.fulfilment_services import (
        seller_order_accept,
        seller_order_decline,
        seller_order_pack,
        seller_order_refund_record,
        seller_order_ship,
    )
    from marketplace.orders.services import OrderRequest, order_paid, order_place
    from marketplace.shipping.addresses import ShippingAddress

    if Order.objects.exists():
        return
    User = get_user_model()
    buyer, staff = User.objects.get(username="buyer"), User.objects.get(username="staff")
    members = {username: User.objects.get(username=username) for username in DEMO_SELLER_LOGINS}
    products = {}
    for username, legal_name in DEMO_SELLER_LOGINS.items():
        product = (Product.objects.filter(seller__legal_name=legal_name, made_to_order=False)
                   .order_by("pk").first())
        if product is None:
            return
        Product.objects.filter(pk=product.pk, stock__lt=10).update(stock=10)  # enough for the demo orders
        products[username] = product
    address = ShippingAddress(name="Camille Martin", line1="12 rue des Archives", line2="", city="Paris", region="",
                              postal_code="75004", country="FR", phone="+33 1 23 45 67 89")
    orders = []
    for _number in range(3):
        order = order_place(
            requests=[OrderRequest(product.pk, product.min_order_quantity) for product in products.values()],
            email=buyer.email, user=buyer, address=address, currency="EUR", provider_name="offline", language="en",
        )
        orders.append(order)
    for order in orders[:2]:
        order_paid(order=order, amount=order.total, currency=order.currency)
    # The first order is under way: one part shipped, the other declined and returned. The second waits
    # for both sellers to accept it, the third for its bank transfer.
    by_seller = {part.seller.legal_name: part for part in orders[0].seller_orders.select_related("seller")}
    shipped = by_seller[DEMO_SELLER_LOGINS["seller"]]
    shipped = seller_order_accept(seller_order=shipped, by=members["seller"])
    shipped = seller_order_pack(seller_order=shipped, by=members["seller"], weight_grams=3600, parcels=1)
    seller_order_ship(seller_order=shipped, by=members["seller"], carrier="Amana", tracking_number="RR000123456MA",
                      tracking_url="https://www.poste.ma/")
    declined = seller_order_decline(seller_order=by_seller[DEMO_SELLER_LOGINS["potter"]], by=members["potter"],
                                    reason="The kiln is being repaired; we cannot fire this order in time.")
    seller_order_refund_record(seller_order=declined, by=staff, reference="DEMO-RETURN-1")


def _ensure_label_schemes():
    for code, kind, names, issuing_body, validity_months, criteria, levels in LABEL_SCHEMES:
        if LabelScheme.objects.filter(code=code).exists():
            continue
        scheme = LabelScheme(
            code=code, kind=kind, name=names[0], name_fr=names[1], name_ar=names[2], country="MA",
            issuing_body=issuing_body, validity_months=validity_months,
        )
        scheme.criteria = [LabelCriterion(text=text, sort_order=position) for position, text in enumerate(criteria)]
        scheme.levels = [LabelLevel(name=name, sort_order=position) for position, name in enumerate(levels)]
        scheme.full_clean()
        scheme.save()


def _ensure_shipping_zones():
    for name, countries, transit_days, bands in SHIPPING_ZONES:
        if ShippingZone.objects.filter(name=name).exists():
            continue
        zone = ShippingZone(name=name, countries=countries, transit_days=transit_days)
        zone.full_clean()
        zone.rates = [ShippingRate(max_weight_grams=grams, price=Decimal(price), sort_order=position)
                      for position, (grams, price) in enumerate(bands)]
        zone.save()


def _ensure_labels():
    """Applications at every stage and certificates active, suspended and revoked, made through the
    label services so that their histories are real chains. Once: skipped when any application exists."""
    if LabelApplication.objects.exists():
        return
    User = get_user_model()
    inspector, lead = User.objects.get(username="inspector"), User.objects.get(username="lead")
    schemes = {scheme.code: scheme for scheme in LabelScheme.objects.all()}
    photo = demo_image_bytes(motif="lattice", palette=COLOURWAYS[0][3], seed=0)
    for legal_name, code, level, fate, product_count in DEMO_LABELS:
        seller = Seller.objects.filter(legal_name=legal_name, status=Seller.Status.VERIFIED).first()
        products = list(Product.objects.filter(seller=seller).order_by("pk")[:product_count]) if seller else []
        if not products:
            continue
        manager = _demo_manager(seller)
        with transaction.atomic():
            application = label_apply(
                seller=seller, scheme=schemes[code], products=products, by=manager,
                statement="Made by hand in our workshop; the materials are bought from local producers.",
                evidence=[ContentFile(photo, name="workshop.jpg")],
            )
            if fate == "submitted":
                continue
            label_assign(application=application, inspector=inspector, by=lead)
            if fate == "assigned":
                continue
            verdict = "not_met" if fate == "rejected" else "met"
            label_inspection_record(
                application=application, by=inspector, visit_date=timezone.localdate(), notes="Workshop visited.",
                verdicts={criterion.pk: (verdict, "") for criterion in schemes[code].criteria.all()},
            )
            if fate == "rejected":
                label_decide(application=application, by=inspector, approve=False,
                             reason="The finish does not meet the scheme's standard yet.")
                continue
            label_decide(application=application, by=inspector, approve=True, level=level)
            certificate = LabelCertificate.objects.get(application=application)
            if fate == "suspended":
                label_certificate_suspend(certificate=certificate, by=inspector,
                                          reason="A buyer's complaint is being checked.")
            elif fate == "revoked":
                label_certificate_revocation_request(certificate=certificate, by=inspector,
                                                     reason="Tiles made outside the workshop were sold under the label.")
                label_certificate_revocation_confirm(certificate=certificate, by=lead)


def _demo_manager(seller):
    member = SellerMember.objects.filter(seller=seller, role=SellerMember.Role.MANAGER).select_related("user").first()
    if member is not None:
        return member.user
    user = get_user_model().objects.create_user(username=f"manager-{seller.slug}"[:150], email=seller.email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return SellerMember.objects.create(seller=seller, user=user, role=SellerMember.Role.MANAGER).user


def _group(name, *, admin_access):
    group, _ = Group.objects.get_or_create(name=name)
    if admin_access:
        group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
