"""What search reads of each listed product page, flattened: one row per page (so per language).

Rebuilt from the catalogue whenever a page, its product, its seller or its certificates change
(``search.documents``). The database backend queries these rows; the Elasticsearch backend indexes
them. Multi-valued fields (materials, labels) are stored as ``|a|b|`` so that a value is matched
with ``contains("|a|")`` and counted with one conditional aggregate per value.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ListingDocument(models.Model):
    class Availability(models.TextChoices):
        IN_STOCK = "in_stock"
        MADE_TO_ORDER = "made_to_order"
        SOLD_OUT = "sold_out"

    page = models.OneToOneField("catalog.ProductPage", primary_key=True, on_delete=models.CASCADE, related_name="+")
    product_id = models.IntegerField(db_index=True)
    seller_id = models.IntegerField(db_index=True)
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    category = models.CharField(max_length=20)
    craft = models.CharField(max_length=20)
    region = models.CharField(max_length=10)
    seller_kind = models.CharField(max_length=20)
    materials = models.CharField(max_length=500, blank=True)
    labels = models.CharField(max_length=200, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    availability = models.CharField(max_length=20, choices=Availability.choices)
    published_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["language", "-published_at"], name="listing_language_newest"),
            models.Index(fields=["language", "price"], name="listing_language_price"),
            models.Index(fields=["language", "category"], name="listing_language_category"),
        ]

    def __str__(self):
        return f"{self.page_id} ({self.language}) {self.title}"

    @staticmethod
    def multi_value(values) -> str:
        values = sorted(set(values))
        return f"|{'|'.join(values)}|" if values else ""

    @staticmethod
    def values_of(stored: str) -> list[str]:
        return [value for value in stored.split("|") if value]

    @property
    def material_list(self) -> list[str]:
        return self.values_of(self.materials)

    @property
    def label_list(self) -> list[str]:
        return self.values_of(self.labels)


class SynonymSet(models.Model):
    """Words and phrases, in any language, that find each other's listings: a buyer typing one of them
    also gets the listings holding another. Edited by chamber staff."""

    terms = models.TextField(
        verbose_name=_("words and phrases"),
        help_text=_("Separated by commas, in any language and spelling, e.g. “argan oil, huile d'argan, زيت أركان”."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_sample = models.BooleanField(
        _("sample data"), default=False,
        help_text=_("Shipped as an example with the software; review it, then untick or delete it."),
    )

    class Meta:
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonyms")
        ordering = ["pk"]

    def __str__(self):
        return ", ".join(self.term_list[:4]) + (" …" if len(self.term_list) > 4 else "")

    def clean(self):
        if len(self.term_list) < 2:
            raise ValidationError({"terms": _("Give at least two words or phrases, separated by commas.")})

    @property
    def term_list(self) -> list[str]:
        return list(dict.fromkeys(" ".join(term.split()) for term in re.split(r"[,،]", self.terms) if term.strip()))


class VocabularyTerm(models.Model):
    """A word of the listed documents of one language (folded: lowercased, unaccented) and in how many
    documents it appears; misspelt query words are corrected to the nearest of them."""

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=100)
    # The spelling the term was first seen in (accents, Arabic letter forms), which the corrected query uses.
    form = models.CharField(max_length=100)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "term"], name="vocabulary_language_term")]

    def __str__(self):
        return f"{self.term} ({self.language}, {self.documents})"


class SearchMiss(models.Model):
    """A query (normalised) that found no listing with all its words, counted; no buyer data is kept."""

    class Outcome(models.TextChoices):
        CORRECTED = "corrected", _("Found after correcting the spelling")
        RELAXED = "relaxed", _("Found listings with some of the words")
        NOTHING = "nothing", _("Found nothing")

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    count = models.PositiveIntegerField(_("searches"), default=0)
    outcome = models.CharField(_("last outcome"), max_length=20, choices=Outcome.choices, default=Outcome.NOTHING)
    first_seen = models.DateTimeField(_("first searched"), default=timezone.now)
    last_seen = models.DateTimeField(_("last searched"), default=timezone.now)

    class Meta:
        verbose_name = _("search that found nothing")
        verbose_name_plural = _("searches that found nothing")
        constraints = [models.UniqueConstraint(fields=["language", "query"], name="search_miss_language_query")]
        indexes = [models.Index(fields=["-count"], name="search_miss_most_searched")]

    def __str__(self):
        return f"{self.query} ({self.language}): {self.count}"
