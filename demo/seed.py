"""Builds the demo marketplace: the page tree in three languages, sellers, products, images, logins.

Idempotent: a second run adds nothing; a run with a larger ``products`` adds only the difference.
Product pages are written with bulk inserts (the tree paths computed here), so that a catalogue of
100,000 products takes minutes, not hours.
"""

import random
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
from wagtail.log_actions import registry as log_registry
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)
from wagtail.search.backends import get_search_backend

from catalog.models import (
    CategoryIndexPage,
    HomePage,
    Material,
    Product,
    ProductPage,
    ProductPageImage,
    SellerIndexPage,
    SellerPage,
)
from catalog.services import CHAMBER_STAFF_GROUP, seller_workspace_open
from labels.models import LabelApplication, LabelCertificate, LabelCriterion, LabelLevel, LabelScheme
from labels.services import (
    label_apply,
    label_assign,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_decide,
    label_groups_ensure,
    label_inspection_record,
)
from marketplace.orders.models import Order, SellerOrder
from marketplace.payments.models import BankAccount
from marketplace.shipping.addresses import ShippingAddress
from marketplace.shipping.models import ShippingRate, ShippingZone
from outbox.models import OutboxMessage
from search.models import ListingDocument
from search.services import listing_documents_rebuild
from sellers.models import Region, Seller, SellerMember, Trade
from sellers.roles import INSPECTORS_GROUP, LEAD_INSPECTORS_GROUP

from .data import (
    BANK_ACCOUNTS,
    BUYER_NAMES,
    CARRIERS,
    CATEGORY_INTROS,
    COLOURWAYS,
    DECLINE_REASONS,
    DEMO_LABELS,
    DESTINATIONS,
    LABEL_SCHEMES,
    MEMBERS,
    NAME_ALTERNATES,
    PRODUCTS,
    SEASON,
    SELLERS,
    SHIPPING_ZONES,
    STORIES,
)
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
    history_orders_created: int = 0
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))


def _text(triple, language):
    return triple[LANGUAGES.index(language)]


def seed_demo(*, products: int = 300, history_months: int = 12, progress=None) -> SeedReport:
    """Create what is missing of the demo marketplace, up to ``products`` products in all, with
    ``history_months`` months of past orders (none if 0)."""
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
        _ensure_bank_accounts()
    verified = [entry for entry in sellers if entry[0].status == Seller.Status.VERIFIED]
    report.products_created = _ensure_products(verified, images, total=products, progress=progress)
    report.products_total = Product.objects.count()
    _ensure_labels()
    _ensure_orders()
    _ensure_buyer_account()
    report.history_orders_created = _ensure_order_history(months=history_months)
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
            members = MEMBERS.get(name, (None, None))
            seller = Seller(
                kind=kind, legal_name=name, name_alternate=NAME_ALTERNATES.get(name, ""), slug=slug, country="MA",
                register_number=number, region=regions[region_code], city=town, founded_year=founded,
                status=Seller.Status.PENDING if pending else Seller.Status.VERIFIED,
                verified_at=None if pending else timezone.now(),
                contact_name="", email=f"contact@{slug}.example", phone=f"+212 5{position:02d} 00 00 00",
                members_women=members[0], members_men=members[1],
            )
            seller.full_clean()
            seller.save()
            seller.trades.set([trades[code] for code in trade_codes])
            created += 1
        elif name in MEMBERS and seller.members_women is None and seller.members_men is None:
            # A demo database seeded before sellers declared their members gets the numbers too.
            seller.members_women, seller.members_men = MEMBERS[name]
            Seller.objects.filter(pk=seller.pk).update(members_women=seller.members_women,
                                                       members_men=seller.members_men)
        if name in NAME_ALTERNATES and not seller.name_alternate:
            # A demo database seeded before sellers gave a name in another script gets it too.
            seller.name_alternate = NAME_ALTERNATES[name]
            Seller.objects.filter(pk=seller.pk).update(name_alternate=seller.name_alternate)
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
    for codename in ("view_seller", "change_seller", "view_sellermember", "delete_sellermember", "view_region", "view_trade"):
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


def _ensure_buyer_account():
    """Every demo login's email address verified (buyers sign in by email), and the demo buyer's saved
    address and favourites. Idempotent."""
    from allauth.account.models import EmailAddress

    from accounts.models import Favourite, SavedAddress

    for user in get_user_model().objects.filter(username__in=[login.username for login in DEMO_LOGINS]):
        EmailAddress.objects.get_or_create(user=user, email__iexact=user.email,
                                           defaults={"email": user.email, "verified": True, "primary": True})
    buyer = get_user_model().objects.get(username="buyer")
    if not SavedAddress.objects.filter(user=buyer).exists():
        SavedAddress.objects.create(user=buyer, name="Camille Martin", line1="12 rue des Archives", city="Paris",
                                    postal_code="75004", country="FR", phone="+33123456789", is_default=True)
    if not Favourite.objects.filter(user=buyer).exists():
        for product in Product.objects.filter(pages__live=True).distinct().order_by("pk")[:3]:
            Favourite.objects.get_or_create(user=buyer, product=product)


def _ensure_orders():
    """A few orders of the demo buyer across the two demo sellers, at every stage of their routing,
    made through the order, payment and fulfilment services. Once: skipped when any order exists."""
    from marketplace.orders.services import (
        OrderRequest,
        order_paid,
        order_place,
        seller_order_accept,
        seller_order_decline,
        seller_order_pack,
        seller_order_refund_record,
        seller_order_ship,
    )
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


# --- a year of orders -------------------------------------------------------------------------------

HISTORY_EMAIL_DOMAIN = "buyers.example.org"  # marks the history's guest orders (example.org: no real mailbox)
HISTORY_ORDERS_PER_MONTH = 25  # in an average month; SEASON shapes the year
HISTORY_UNPAID_SHARE = 0.05
HISTORY_DECLINED_SHARE = 0.08
HISTORY_SEED = 2026  # the same history on every fresh database of the same catalogue


@dataclass(frozen=True)
class _PartPlan:
    """What becomes of one seller's part of a history order; each delay counts from the step before."""

    declined: bool
    decline_reason: str
    decline_hours: float
    refund_hours: float
    accept_hours: float
    ship_days: float
    pack_share: float  # of the time from acceptance to shipment
    deliver_days: float
    carrier: tuple
    tracking_serial: int


@dataclass(frozen=True)
class _OrderPlan:
    placed_at: datetime
    address: ShippingAddress
    email: str
    currency: str
    language: str
    lines: tuple[tuple[int, int], ...]  # (product id, quantity)
    pay_hours: float | None  # None: never paid
    parts: dict[int, _PartPlan]  # by seller id


def _history_orders():
    return Order.objects.filter(email__endswith="@" + HISTORY_EMAIL_DOMAIN)


def _ensure_order_history(*, months: int = 12) -> int:
    """``months`` months of guests' orders from the countries the demo ships to, placed, paid, accepted
    or declined, packed, shipped, delivered and paid out through the real services, each step dated in
    the past: the observatory's figures and the order lists look lived in. Once: skipped when the history
    exists. Returns how many orders it placed."""
    if months <= 0 or _history_orders().exists():
        return 0
    catalogue = _history_catalogue()
    if not catalogue:
        return 0
    now = timezone.now()
    plans = _history_plans(random.Random(HISTORY_SEED), catalogue, months=months, now=now)
    User = get_user_model()
    actors = {}
    for member in SellerMember.objects.filter(role=SellerMember.Role.MANAGER).select_related("user").order_by("pk"):
        actors.setdefault(member.seller_id, member.user)
    run = _HistoryRun(now=now, actors=actors, admin=User.objects.get(username="admin"),
                      staff=User.objects.get(username="staff"))
    with _after_commit_work_dropped():
        for plan in plans:
            run.order(plan)
        run.payouts_pay()
        run.log_backdate()
        _history_stock_restore(catalogue)
    return len(plans)


@contextmanager
def _after_commit_work_dropped():
    """Run the block in a transaction, dropping the after-commit work its services queue.

    For a year of orders that work is some 2,000 emails (to invented buyers and to sellers, about steps
    long past), 850 tasks making two export PDFs each (made on demand anyway when someone downloads
    them) and 300 search updates of stock changes (the history leaves the stock as it found it): minutes
    of work and a flooded console. The other ways are worse. A locmem email backend set for the seeding
    silences emails only while tasks run eagerly in this process: with a broker, a worker sends them with
    its own settings, and the PDFs are made either way. Replacing ``transaction.on_commit`` would swallow
    every caller's callbacks, not only the history's. Django keeps what a transaction queued in
    ``connection.run_on_commit`` (its own ``captureOnCommitCallbacks`` reads it the same way); cut back
    to its length at the start of the block, it holds only what was queued before, which still runs.
    The tasks the block recorded in the outbox (in this same transaction) are deleted with it, so the
    relay never sends them later.
    """
    connection = transaction.get_connection()
    with transaction.atomic():
        queued = len(connection.run_on_commit)
        last_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        OutboxMessage.objects.filter(pk__gt=last_message).delete()
        del connection.run_on_commit[queued:]


def _history_catalogue() -> dict[int, list[Product]]:
    """The products a guest can buy off the shelf (listed, from a verified seller, not made to order),
    by seller."""
    listed = ProductPage.objects.live().values("product_id")
    by_seller = {}
    for product in (Product.objects.filter(seller__status=Seller.Status.VERIFIED, made_to_order=False, pk__in=listed)
                    .only("pk", "seller_id", "stock", "min_order_quantity").order_by("pk")):
        by_seller.setdefault(product.seller_id, []).append(product)
    return by_seller


def _history_month_windows(months: int, now: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of the last ``months`` calendar months, this one included, oldest first."""
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    windows = [(start, (start + timedelta(days=32)).replace(day=1))]
    for _ in range(months - 1):
        end = windows[-1][0]
        windows.append(((end - timedelta(days=1)).replace(day=1), end))
    return windows[::-1]


def _history_plans(rng: random.Random, catalogue, *, months: int, now: datetime) -> list[_OrderPlan]:
    """Every order of the history decided up front, from one seeded generator: the same catalogue
    gives the same history."""
    popularity = {seller_id: rng.uniform(0.4, 2.5) for seller_id in sorted(catalogue)}
    plans = []
    for start, end in _history_month_windows(months, now):
        elapsed = min(end, now) - start
        count = HISTORY_ORDERS_PER_MONTH * SEASON[start.month - 1] * rng.uniform(0.9, 1.1) * (elapsed / (end - start))
        for _ in range(max(1, round(count))):
            plans.append(_history_plan(rng, start + elapsed * rng.random(), catalogue, popularity))
    return sorted(plans, key=lambda plan: plan.placed_at)


def _history_plan(rng: random.Random, placed_at: datetime, catalogue, popularity) -> _OrderPlan:
    countries = sorted(DESTINATIONS)
    country = rng.choices(countries, weights=[DESTINATIONS[code][0] for code in countries])[0]
    _weight, currency, language, names, streets, towns = DESTINATIONS[country]
    first, last = rng.choice(BUYER_NAMES[names][0]), rng.choice(BUYER_NAMES[names][1])
    town, region, postal_code = rng.choice(towns)
    address = ShippingAddress(name=f"{first} {last}", line1=rng.choice(streets).format(n=rng.randint(1, 160)),
                              line2="", city=town, region=region, postal_code=postal_code, country=country, phone="")
    # One or two sellers, one to three products, one or two of each (or twice the minimum order).
    line_count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    sellers = list(popularity)
    chosen = rng.choices(sellers, weights=list(popularity.values()))
    if line_count > 1 and len(sellers) > 1 and rng.random() < 0.4:
        others = [seller_id for seller_id in sellers if seller_id != chosen[0]]
        chosen += rng.choices(others, weights=[popularity[seller_id] for seller_id in others])
    picked = [rng.choice(catalogue[seller_id]) for seller_id in chosen]
    more = [product for seller_id in chosen for product in catalogue[seller_id] if product not in picked]
    picked += rng.sample(more, min(len(more), line_count - len(picked)))
    lines = tuple((product.pk, product.min_order_quantity * (2 if rng.random() < 0.2 else 1))
                  for product in sorted(picked, key=lambda product: product.pk))
    return _OrderPlan(
        placed_at=placed_at, address=address, currency=currency, language=language, lines=lines,
        email=f"{slugify(first)}.{slugify(last)}{rng.randint(1, 99)}@{HISTORY_EMAIL_DOMAIN}",
        pay_hours=None if rng.random() < HISTORY_UNPAID_SHARE else rng.uniform(2, 60),  # a bank transfer's delay
        parts={seller_id: _history_part_plan(rng) for seller_id in sorted(chosen)},
    )


def _history_part_plan(rng: random.Random) -> _PartPlan:
    return _PartPlan(
        declined=rng.random() < HISTORY_DECLINED_SHARE, decline_reason=rng.choice(DECLINE_REASONS),
        decline_hours=rng.uniform(3, 40), refund_hours=rng.uniform(18, 72), accept_hours=rng.triangular(2, 40, 8),
        ship_days=rng.uniform(1, 5), pack_share=rng.uniform(0.3, 0.9), deliver_days=rng.uniform(5, 12),
        carrier=rng.choices(CARRIERS, weights=[carrier[2] for carrier in CARRIERS])[0],
        tracking_serial=rng.randrange(10**8),
    )


def _tracking_number(carrier: str, serial: int) -> str:
    """A postal S10 number (with its check digit) for Amana, the Moroccan post's parcels; else digits."""
    if carrier != "Amana":
        return f"{serial:010d}"
    digits = f"{serial:08d}"
    check = 11 - sum(int(digit) * weight for digit, weight in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"CP{digits}{check}MA"


@dataclass
class _HistoryRun:
    """Plays the plans through the services, each step at its own past moment, and dates in the past
    what the services date themselves (placing, receiving, the audit log)."""

    now: datetime
    actors: dict  # seller id -> the member who acts for it; the administrator for the others
    admin: object
    staff: object
    log_times: dict = field(default_factory=dict)  # (model, pk, action) -> when

    def order(self, plan: _OrderPlan) -> None:
        from marketplace.orders.services import OrderRequest, order_cancel_unpaid, order_paid, order_place

        # Restocked as needed, so that no order fails: twice the quantity, as a guest's unpaid bank
        # transfer may hold only part of a product's units (UNPAID_GUEST_HOLD_SHARE).
        for product_id, quantity in plan.lines:
            Product.objects.filter(pk=product_id, stock__lt=2 * quantity).update(stock=2 * quantity)
        order = order_place(
            requests=[OrderRequest(product_id, quantity) for product_id, quantity in plan.lines], email=plan.email,
            address=plan.address, currency=plan.currency, provider_name="offline", language=plan.language,
            now=plan.placed_at,
        )
        Order.objects.filter(pk=order.pk).update(
            placed_at=plan.placed_at, exchange_rate_as_of=plan.placed_at.date() if order.exchange_rate_as_of else None)
        if plan.pay_hours is None:
            if order.pay_by <= self.now:
                order_cancel_unpaid(order=order, reason="Not paid in time.", now=order.pay_by)
            return
        paid_at = plan.placed_at + timedelta(hours=plan.pay_hours)
        if paid_at > self.now:
            return  # the transfer is on its way
        order_paid(order=order, amount=order.total, currency=order.currency, now=paid_at)
        order.seller_orders.update(created_at=paid_at)
        for part in order.seller_orders.prefetch_related("lines"):
            self.part(part, plan.parts[part.seller_id])

    def part(self, part: SellerOrder, plan: _PartPlan) -> None:
        from marketplace.orders.services import (
            seller_order_accept,
            seller_order_decline,
            seller_order_deliver,
            seller_order_pack,
            seller_order_refund_record,
            seller_order_ship,
        )

        by = self.actors.get(part.seller_id, self.admin)
        if plan.declined:
            declined_at = part.created_at + timedelta(hours=plan.decline_hours)
            refunded_at = declined_at + timedelta(hours=plan.refund_hours)
            if refunded_at <= self.now:  # too recent to be refunded yet: accepted instead, all declines are settled
                part = seller_order_decline(seller_order=part, by=by, reason=plan.decline_reason, now=declined_at)
                seller_order_refund_record(seller_order=part, by=self.staff, reference=f"RET-{part.reference}")
                self._logged(part, "seller_order_decline", declined_at)
                self._logged(part, "seller_order_refund", refunded_at)
                return
        accepted_at = part.created_at + timedelta(hours=plan.accept_hours)
        shipped_at = accepted_at + timedelta(days=plan.ship_days)
        packed_at = accepted_at + (shipped_at - accepted_at) * plan.pack_share
        delivered_at = shipped_at + timedelta(days=plan.deliver_days)
        goods = sum(line.weight_grams * line.quantity for line in part.lines.all())
        packed = int(goods * 1.1) + 250  # wrapping and carton
        carrier, tracking_url, _share = plan.carrier
        steps = (
            (accepted_at, "seller_order_accept", lambda part, when: seller_order_accept(seller_order=part, by=by, now=when)),
            (packed_at, "seller_order_pack", lambda part, when: seller_order_pack(
                seller_order=part, by=by, weight_grams=packed, parcels=-(-packed // 30_000), now=when)),
            (shipped_at, "seller_order_ship", lambda part, when: seller_order_ship(
                seller_order=part, by=by, carrier=carrier, tracking_number=_tracking_number(carrier, plan.tracking_serial),
                tracking_url=tracking_url, now=when)),
            (delivered_at, "seller_order_deliver", lambda part, when: seller_order_deliver(seller_order=part, by=by, now=when)),
        )
        for when, action, step in steps:
            if when > self.now:
                return  # the recent parts are still under way
            part = step(part, when)
            self._logged(part, action, when)

    def payouts_pay(self) -> None:
        """The chamber pays each month's deliveries by bank transfer on the 5th of the next month."""
        from marketplace.payouts.models import SellerPayout
        from marketplace.payouts.services import payout_mark_paid

        owed = SellerPayout.objects.filter(seller_order__order__in=_history_orders(), status=SellerPayout.Status.OWED)
        for payout in owed.order_by("delivered_at", "pk"):
            month = timezone.localtime(payout.delivered_at).replace(day=1, hour=10, minute=0, second=0, microsecond=0)
            paid_at = (month + timedelta(days=32)).replace(day=5)
            if paid_at > self.now:
                continue
            payout = payout_mark_paid(payout=payout, by=self.staff, reference=f"VIR-{paid_at:%Y%m}-{payout.seller_id}",
                                      now=paid_at)
            self._logged(payout, "payout_paid", paid_at)

    def _logged(self, instance, action: str, when: datetime) -> None:
        self.log_times[(type(instance), instance.pk, f"marketplace.{action}")] = when

    def log_backdate(self) -> None:
        """The audit log's entries of the history, dated when their step happened rather than now."""
        by_model = {}
        for model, pk, _action in self.log_times:
            by_model.setdefault(model, set()).add(str(pk))
        for model, object_ids in by_model.items():
            entry_model = log_registry.get_log_model_for_model(model)
            entries = list(entry_model.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                                      object_id__in=object_ids))
            for entry in entries:
                entry.timestamp = self.log_times.get((model, int(entry.object_id), entry.action), entry.timestamp)
            entry_model.objects.bulk_update(entries, ["timestamp"], batch_size=500)


def _history_stock_restore(catalogue) -> None:
    """Each product back to the stock it had before the history (its cooperative restocked since): the
    listings and their search documents, whose updates were dropped with the emails, stay true."""
    before = {product.pk: product.stock for products in catalogue.values() for product in products}
    changed = {}
    for pk, stock in Product.objects.filter(pk__in=before).values_list("pk", "stock"):
        if stock != before[pk]:
            changed.setdefault(before[pk], []).append(pk)
    for stock, pks in changed.items():
        Product.objects.filter(pk__in=pks).update(stock=stock)


def _ensure_label_schemes():
    for code, kind, names, issuing_body, validity_months, criteria, levels in LABEL_SCHEMES:
        if LabelScheme.objects.filter(code=code).exists():
            for en, fr, ar in levels:  # a demo seeded before levels were translated
                LabelLevel.objects.filter(scheme__code=code, name=en, name_fr="").update(name_fr=fr, name_ar=ar)
            continue
        scheme = LabelScheme(
            code=code, kind=kind, name=names[0], name_fr=names[1], name_ar=names[2], country="MA",
            issuing_body=issuing_body, validity_months=validity_months,
        )
        scheme.criteria = [LabelCriterion(text=text, sort_order=position) for position, text in enumerate(criteria)]
        scheme.levels = [LabelLevel(name=en, name_fr=fr, name_ar=ar, sort_order=position)
                         for position, (en, fr, ar) in enumerate(levels)]
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


def _ensure_bank_accounts():
    """Sample accounts (not real ones, and said so): one in Morocco taking dirhams, one taking euros, so
    that a dollar order shows its amount converted into dirhams."""
    for bank_name, holder, iban, swift, currencies in BANK_ACCOUNTS:
        if not BankAccount.objects.filter(iban=iban).exists():
            account = BankAccount(bank_name=bank_name, holder=holder, iban=iban, swift=swift, currencies=currencies)
            account.full_clean()
            account.save()


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
