"""The catalogue's writes, one module per subject: ``workspace`` (a seller's pages, group, collection
and review workflow), ``translations`` (every page in every language) and ``listing`` (a product listed
in a few steps). Callers import from here."""

from .listing import (  # noqa: F401
    listing_slug,
    pending_listing_photos_expire,
    pending_listing_photos_keep,
    product_listing_create,
)
from .translations import (  # noqa: F401
    TRANSLATED_PAGE_TYPES,
    TRANSLATED_TEXT_FIELDS,
    page_translation_aliases_delete,
    page_translation_aliases_move,
    page_translation_prefill,
    page_translations_ensure,
    page_translations_ensure_all,
)
from .workspace import (  # noqa: F401
    CHAMBER_REVIEW_TASK,
    CHAMBER_REVIEW_WORKFLOW,
    SELLER_COLLECTION_PERMISSIONS,
    SELLER_PAGE_PERMISSIONS,
    TRUSTED_SELLER_PAGE_PERMISSIONS,
    chamber_review_workflow,
    seller_collection,
    seller_collection_documents_restrict,
    seller_listings_restore,
    seller_listings_withdraw,
    seller_workspace_group,
    seller_workspace_open,
    seller_workspace_trust_applied,
)
