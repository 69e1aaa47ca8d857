"""The catalogue's models, one module per subject: ``product`` (the shared record, materials, HS code
suggestions), ``pages`` (the Wagtail pages), ``safety`` (the platform's
responsible person in the EU) and ``workspace`` (what a seller's workspace keeps aside).
Callers and migrations import from here."""

from .pages import (  # noqa: F401
    CHAMBER_ONLY_PERMISSION,
    LISTING_PAGE_SIZE,
    CachedCountPaginator,
    CategoryIndexPage,
    HomePage,
    ProductPage,
    ProductPageImage,
    ReadableSlugMixin,
    SellerIndexPage,
    SellerPage,
    SellerPagePhoto,
    ServedPageMixin,
    TranslationReplacesAliasMixin,
    _paginate,
    readable_slug,
)
from .product import (  # noqa: F401
    CraftHsSuggestion,
    Material,
    Product,
    ProductPriceTier,
    product_in_stock,
)
from .safety import EuResponsiblePersonSettings  # noqa: F401
from .workspace import (  # noqa: F401
    PendingListingPhoto,
    WithdrawnPage,
    pending_photo_storage,
)
