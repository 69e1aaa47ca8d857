"""The demo's sellers, verified or waiting for verification, and the pages of the verified ones."""

from django.utils import timezone
from django.utils.text import slugify

from catalog.models import (
    SellerPage,
)
from demo.data import (
    COLOURWAYS,
    MEMBERS,
    NAME_ALTERNATES,
    PRODUCTS,
    SELLERS,
    STORIES,
)
from sellers.models import Region, Seller, Trade

from .pages import _ensure_translations, _text

PENDING_SELLERS = 2  # the last sellers of the list wait for verification, as real applications do


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
