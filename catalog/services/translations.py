"""Every page in every language: aliases made for the languages a page lacks, deleted and moved with
it, and a translation pre-filled by machine translation when one is configured."""

import logging

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import find_available_slug
from wagtail.models import (
    Locale,
    Page,
)
from wagtail.signals import page_published

from ..machine_translation import MachineTranslationError, machine_translation_backend
from ..models import (
    CategoryIndexPage,
    ProductPage,
    SellerIndexPage,
    SellerPage,
)

logger = logging.getLogger(__name__)

# The page types kept in every language: what sellers create and the site's sections.
TRANSLATED_PAGE_TYPES = (CategoryIndexPage, SellerIndexPage, SellerPage, ProductPage)


def _locales_with_site_tree(page: Page) -> list[Locale]:
    """The other languages whose home page exists: a page is mirrored there, never into a language
    the site does not have yet (copying parents up to the root would make an unreachable tree)."""
    top = page if page.depth == 2 else page.get_ancestors().filter(depth=2).first()
    if top is None:
        return []
    languages = Page.objects.filter(translation_key=top.translation_key).values_list("locale_id", flat=True)
    return list(Locale.objects.filter(pk__in=languages).exclude(pk=page.locale_id))


def page_translations_ensure(*, page: Page) -> list[Page]:
    """Give ``page`` an alias in every language of the site that has no page of it yet, under the
    translation of its parent (aliased too where missing). An alias shows the source text, marked as
    not yet translated, is published and unpublished with its source, and becomes an ordinary page
    when someone translates it. Returns the aliases created; idempotent.
    """
    page = page.specific
    if page.alias_of_id is not None or not isinstance(page, TRANSLATED_PAGE_TYPES):
        return []
    created = []
    with transaction.atomic():
        for locale in _locales_with_site_tree(page):
            if Page.objects.filter(translation_key=page.translation_key, locale=locale).exists():
                continue
            created.append(page.copy_for_translation(locale, copy_parents=True, alias=True).specific)
    for alias in created:
        if alias.live:
            # What Wagtail sends when it publishes an alias with its source: caches and search follow.
            page_published.send(sender=alias.specific_class, instance=alias, revision=None, alias=True)
    return created


def page_translations_ensure_all() -> int:
    """Aliases for every page (of the kinds kept in every language) that lacks a language; returns
    how many were created. For a database filled before translations were kept in sync."""
    created = 0
    for page_type in TRANSLATED_PAGE_TYPES:
        for page_id in list(page_type.objects.filter(alias_of__isnull=True).order_by("path").values_list("pk", flat=True)):
            created += len(page_translations_ensure(page=page_type.objects.get(pk=page_id)))
    return created


def page_translation_aliases_delete(*, page: Page) -> int:
    """Delete the aliases standing for ``page`` in other languages: a source deleted must not leave its
    copies live as ordinary pages (Wagtail only unlinks them). Returns how many were deleted."""
    aliases = Page.objects.filter(alias_of=page, translation_key=page.translation_key).exclude(locale_id=page.locale_id)
    count = 0
    for alias in aliases:
        alias.delete()
        count += 1
    return count


def page_translation_aliases_move(*, page: Page) -> int:
    """Move the aliases of ``page`` under the translations of its new parent. Returns how many moved."""
    parent = page.get_parent()
    moved = 0
    for alias in Page.objects.filter(alias_of=page, translation_key=page.translation_key).exclude(locale_id=page.locale_id):
        target = parent.get_translation_or_none(alias.locale)
        if target is None or alias.get_parent().pk == target.pk:
            continue
        slug = find_available_slug(target, alias.slug)
        if slug != alias.slug:
            Page.objects.filter(pk=alias.pk).update(slug=slug)
            alias.slug = slug
        alias.move(target, pos="last-child")
        moved += 1
    return moved


def page_translation_prefill(*, page: Page, user=None) -> bool:
    """Pre-fill a page just converted from an alias with the machine translation of its text, as a draft
    for the translator to check (the live page keeps the source text until then). Does nothing when
    no provider is configured. Returns whether a draft was written; a provider failing is logged.
    """
    backend = machine_translation_backend()
    if backend is None:
        return False
    page = page.specific
    source = Page.objects.filter(translation_key=page.translation_key, alias_of__isnull=True).exclude(pk=page.pk)
    source = source.select_related("locale").order_by("pk").first()
    source_language = source.locale.language_code if source else settings.LANGUAGE_CODE
    target_language = page.locale.language_code
    if source_language == target_language:
        return False
    fields = [name for name in TRANSLATED_TEXT_FIELDS if hasattr(page, name)]
    texts = [getattr(page, name) or "" for name in fields]
    images = list(page.gallery_images.all()) if hasattr(page, "gallery_images") else []
    for image in images:
        texts += [image.alt_text, image.caption]
    try:
        translated = backend.translate(texts, source=source_language, target=target_language)
    except MachineTranslationError:
        logger.warning("Machine translation of page %s failed; the translator starts from the source text.", page.pk)
        return False
    if len(translated) != len(texts):
        logger.warning("Machine translation of page %s returned %s texts for %s.", page.pk, len(translated), len(texts))
        return False
    draft = page.get_latest_revision_as_object()
    for name, text in zip(fields, translated, strict=False):
        setattr(draft, name, text)
    draft_images = list(draft.gallery_images.all())
    for position, image in enumerate(draft_images):
        offset = len(fields) + position * 2
        image.alt_text, image.caption = translated[offset][:250], translated[offset + 1][:200]
    draft.gallery_images = draft_images
    draft.draft_title = draft.title
    draft.save_revision(user=user, changed=True, clean=False)
    return True


# The text of a page that a translator writes (commercial data is shared on Product).
TRANSLATED_TEXT_FIELDS = ("title", "intro", "description", "story", "safety_warnings", "care_instructions", "seo_title",
                          "search_description")


# --- the quick listing form ------------------------------------------------------------------------
