"""What search reads of each listed product page, flattened: one row per page (so per language).

Rebuilt from the catalogue whenever a page, its product, its seller or its certificates change
(``search.documents``). The database backend queries these rows; the Elasticsearch backend indexes
them. Multi-valued fields (materials, labels) are stored as ``|a|b|`` so that a value is matched
with ``contains("|a|")`` and counted with one conditional aggregate per value.
"""

from django.db import models


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
