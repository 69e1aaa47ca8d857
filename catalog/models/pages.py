"""The catalogue's Wagtail pages: home, category index, seller index, seller and product pages, with
the mixins they share (readable slugs, translations replacing aliases, served only when visible)."""


from anyascii import anyascii
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.coreutils import find_available_slug
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from sellers.models import Trade

from ..badges import product_badges
from ..cache import cache_tag, cached, product_tag
from ..listing_providers import category_listing
from ..pricing import buys_wholesale, product_wholesale_terms
from .product import Product

LISTING_PAGE_SIZE = 24


# Held by chamber staff, never by a seller's members: what only the chamber edits on a seller's pages.
CHAMBER_ONLY_PERMISSION = "sellers.change_seller"


def readable_slug(text: str) -> str:
    """A slug in ASCII that reads like the text: "Tapis berbère" -> "tapis-berbere", "زربية" -> "zrbyh"."""
    return slugify(anyascii(text or ""))[:255].strip("-")


class ReadableSlugMixin:
    """Pages whose address is readable ASCII in every language: an Arabic or accented title or slug is
    transliterated (Wagtail would keep Arabic, or drop it and leave no slug), unique under the parent."""

    def full_clean(self, *args, **kwargs):
        if (self.slug and not self.slug.isascii()) or (not self.slug and self.title):
            parent = self.get_parent() if self.path else getattr(self, "_cached_parent_obj", None)
            base = readable_slug(self.slug or self.title)
            if base and parent is not None:
                self.slug = find_available_slug(parent, base, ignore_page_id=self.pk)
            elif base:
                self.slug = base
        super().full_clean(*args, **kwargs)


class TranslationReplacesAliasMixin:
    """A page written in a language where its alias stands (the alias made when the page was created in
    another language) takes the alias's place: code that writes its translations itself, right after
    the source, never collides with the sync (catalog.services.page_translations_ensure)."""

    def full_clean(self, *args, **kwargs):
        if self.pk is None and self.alias_of_id is None and self.translation_key and self.locale_id:
            for alias in Page.objects.filter(
                translation_key=self.translation_key, locale_id=self.locale_id, alias_of__isnull=False
            ):
                alias.delete()
        super().full_clean(*args, **kwargs)


class ServedPageMixin:
    """What the cached page router (catalog.routing) needs of a page type."""

    @classmethod
    def served_queryset(cls):
        return cls.objects.select_related("locale")

    def get_view_restrictions(self):
        # selectors import these models: they are imported when the page is used
        from ..selectors import any_view_restriction

        # Wagtail looks restrictions up for every ancestor on every view; almost no site has any.
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(ReadableSlugMixin, ServedPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["catalog.CategoryIndexPage", "catalog.SellerIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        # selectors import these models: they are imported when the page is used
        from ..selectors import home_page_content

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_content(locale=self.locale, product_count=12, request=request))
        return context


class CachedCountPaginator(Paginator):
    """Counts the listing once per catalogue generation: the count is the slowest query of a big listing."""

    def __init__(self, object_list, per_page, *, count_key):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self):
        return cached(f"count:{self.count_key}", lambda: Paginator.count.func(self))


def _paginate(request, queryset, *, count_key, per_page=LISTING_PAGE_SIZE):
    paginator = CachedCountPaginator(queryset, per_page, count_key=count_key)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class CategoryIndexPage(TranslationReplacesAliasMixin, ReadableSlugMixin, ServedPageMixin, Page):
    """Products of a branch of the trade nomenclature, wherever they sit in the page tree."""

    trade = models.ForeignKey(
        "sellers.Trade", on_delete=models.PROTECT, related_name="category_pages", verbose_name=_("trade"),
        help_text=_("Products whose craft is this trade or one of its activities are listed here."),
    )
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("image")
    )

    content_panels = Page.content_panels + [FieldPanel("trade"), FieldPanel("intro"), FieldPanel("image")]
    parent_page_types = ["catalog.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("category index page")

    def listing_filters(self) -> dict[str, tuple[str, ...]]:
        """The search filter that holds this category's products: its branch, its activity, or every
        branch of its sector."""
        def compute():
            trade = self.trade
            if trade.level == Trade.Level.ACTIVITY:
                return {"craft": (trade.code,)}
            if trade.level == Trade.Level.BRANCH:
                return {"category": (trade.code,)}
            return {"category": tuple(trade.children.values_list("code", flat=True))}

        return cached(f"category-filters:{self.pk}:{self.trade_id}", compute)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(category_listing(request, self))
        return context


class SellerIndexPage(TranslationReplacesAliasMixin, ReadableSlugMixin, ServedPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["catalog.HomePage"]
    subpage_types = ["catalog.SellerPage"]

    class Meta:
        verbose_name = _("seller index page")

    def get_context(self, request, *args, **kwargs):
        # selectors import these models: they are imported when the page is used
        from ..selectors import LISTING_IMAGE_SPECS, renditions_prefetch, seller_pages_for_listing

        context = super().get_context(request, *args, **kwargs)
        sellers = _paginate(request, seller_pages_for_listing(parent=self), count_key=f"page:{self.pk}")
        sellers.object_list = list(sellers.object_list)
        renditions_prefetch([seller_page.cover_image for seller_page in sellers.object_list], LISTING_IMAGE_SPECS)
        context["sellers"] = sellers
        return context


class SellerPage(TranslationReplacesAliasMixin, ReadableSlugMixin, ServedPageMixin, Page):
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="pages", verbose_name=_("seller"))
    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    story = RichTextField(_("story"), blank=True, features=["bold", "italic", "h3", "ol", "ul", "link"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("cover image"),
    )

    content_panels = Page.content_panels + [
        # Only chamber staff attach a profile page to a seller; a seller can never move it to another.
        FieldPanel("seller", permission=CHAMBER_ONLY_PERMISSION),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("story"),
        InlinePanel("photos", label=_("Photos")),
    ]
    parent_page_types = ["catalog.SellerIndexPage"]
    subpage_types = ["catalog.ProductPage"]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("story")]

    class Meta:
        verbose_name = _("seller page")

    def get_context(self, request, *args, **kwargs):
        # selectors import these models: they are imported when the page is used
        from ..selectors import (
            COVER_IMAGE_SPECS,
            LISTING_IMAGE_SPECS,
            product_cards_by_id,
            product_pages_for_listing,
            renditions_prefetch,
            seller_page_photos,
        )

        context = super().get_context(request, *args, **kwargs)
        photos = seller_page_photos(self)
        listed = product_pages_for_listing(locale=self.locale, seller=self.seller_id)
        products = _paginate(request, listed, count_key=f"page:{self.pk}")
        products.object_list = product_cards_by_id(products.object_list.values_list("pk", flat=True), pages=listed, request=request)
        renditions_prefetch([self.cover_image] + [photo.image for photo in photos], LISTING_IMAGE_SPECS + COVER_IMAGE_SPECS)
        context.update(products=products, photos=photos)
        return context

    @classmethod
    def served_queryset(cls):
        return cls.objects.select_related("locale", "seller", "seller__region", "cover_image")

    def serve(self, request, *args, **kwargs):
        if not self.seller.is_verified:
            raise Http404  # pending, informal, rejected or suspended: not on the public site
        return super().serve(request, *args, **kwargs)


class SellerPagePhoto(Orderable):
    page = ParentalKey(SellerPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductPage(TranslationReplacesAliasMixin, ReadableSlugMixin, ServedPageMixin, Page):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="pages", editable=False)
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    safety_warnings = models.TextField(
        _("safety warnings"), blank=True, default="", db_default="", max_length=2000,
        help_text=_("What a buyer must know to use it safely, in this page's language, e.g. “Not for food: the "
                    "glaze contains lead.” Leave empty and tick “no safety warnings needed” if there is none."))
    care_instructions = models.TextField(
        _("care instructions"), blank=True, default="", db_default="", max_length=2000,
        help_text=_("How to clean and look after it, in this page's language."))

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        InlinePanel("gallery_images", label=_("Gallery"), min_num=1),
        MultiFieldPanel([FieldPanel("safety_warnings"), FieldPanel("care_instructions")], heading=_("Safety and care")),
    ]
    commerce_panels = [
        MultiFieldPanel(
            [
                FieldPanel("product_price", required_on_save=True),
                FieldPanel("product_stock", required_on_save=True),
                FieldPanel("product_made_to_order"),
                FieldPanel("product_personalised"),
                FieldPanel("product_lead_time_days"),
                FieldPanel("product_min_order_quantity", required_on_save=True),
            ],
            heading=_("Price and availability (shared by every language)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("product_price_tiers"),
                FieldPanel("product_case_pack"),
                FieldPanel("product_suggested_retail_price"),
            ],
            heading=_("Wholesale (shared by every language)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("product_craft", required_on_save=True),
                FieldPanel("product_origin_region", required_on_save=True),
                FieldPanel("product_materials"),
            ],
            heading=_("Craft and origin"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("product_hs_code", required_on_save=True),
                FieldPanel("product_hs_edition"),
                FieldPanel("product_weight_grams", required_on_save=True),
                FieldPanel("product_length_cm"),
                FieldPanel("product_width_cm"),
                FieldPanel("product_height_cm"),
            ],
            heading=_("Shipping and customs"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("product_product_identifier"),
                FieldPanel("product_fibre_composition"),
                FieldPanel("product_no_safety_warnings"),
                FieldPanel("product_gtin"),
            ],
            heading=_("Product safety (needed to sell to the EU)"),
        ),
    ]
    # Sellers never see these: the address comes from the title (Wagtail fills in an empty slug) and the
    # search-engine fields are the chamber's business. A field a user may not change is left out of the
    # form altogether (Wagtail's field permissions), so nothing required hides on a tab they cannot open.
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", permission=CHAMBER_ONLY_PERMISSION),
                FieldPanel("seo_title", permission=CHAMBER_ONLY_PERMISSION),
                FieldPanel("search_description", permission=CHAMBER_ONLY_PERMISSION),
            ],
            heading=_("For search engines"),
        ),
        FieldPanel("show_in_menus", permission=CHAMBER_ONLY_PERMISSION),
    ]
    # The form (catalog.forms.ProductPageForm, set in CatalogConfig.ready) edits the shared Product.
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(commerce_panels, heading=_("Product")),
            ObjectList(promote_panels, heading=_("Promote"), permission=CHAMBER_ONLY_PERMISSION),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = ["catalog.SellerPage"]
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("description")]

    class Meta:
        verbose_name = _("product page")

    def get_context(self, request, *args, **kwargs):
        cache_tag(product_tag(self.product_id))
        # selectors import these models: they are imported when the page is used
        from ..selectors import (
            DETAIL_IMAGE_SPECS,
            page_untranslated_source_language,
            product_eu_responsible_person,
            renditions_prefetch,
        )

        context = super().get_context(request, *args, **kwargs)
        gallery = list(self.gallery_images.all())
        renditions_prefetch([item.image for item in gallery], DETAIL_IMAGE_SPECS)
        context["gallery"] = gallery
        context["untranslated_from"] = page_untranslated_source_language(self)
        context["labels"] = product_badges(product_ids=[self.product_id]).get(self.product_id, ())
        context["eu_responsible_person"] = product_eu_responsible_person(self.product)
        context["wholesale"] = product_wholesale_terms(self.product) if buys_wholesale(request.user) else None
        return context

    @classmethod
    def served_queryset(cls):
        # selectors import these models: they are imported when the page is used
        from ..selectors import served_product_pages

        return served_product_pages()

    def serve(self, request, *args, **kwargs):
        if not self.product.seller.is_verified:
            raise Http404  # an informal artisan prepares listings that go public once it is verified
        response = super().serve(request, *args, **kwargs)
        if buys_wholesale(request.user):
            # Wholesale prices are for this buyer only: never into the shared page cache or a proxy's.
            patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def parent_url(self) -> str:
        """The seller page's address: this page's, one level up (no query)."""
        return self.url.rstrip("/").rsplit("/", 1)[0] + "/"

    @property
    def first_image(self):
        images = sorted(self.gallery_images.all(), key=lambda item: item.sort_order or 0)
        return images[0].image if images else None


class ProductPageImage(Orderable):
    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image"))
    alt_text = models.CharField(
        _("alternative text"), max_length=250, blank=True,
        help_text=_("Describes the photo for people who cannot see it, in this page's language."),
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True, help_text=_("Shown under the photo."))

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    @property
    def alt(self) -> str:
        """The alternative text, or what describes the photo best when it has none: this page's own
        text first (copied with the page, so an untranslated page falls back to its source text)."""
        return self.alt_text or self.caption or self.page.title or self.image.description
