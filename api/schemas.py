"""The typed shapes of the open catalogue API's answers: the OpenAPI schema is generated from them, and
every answer is checked against it (tests/api/test_api_schema.py)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    """Every 4xx answer: a message for people, and for invalid parameters the details of each."""

    error: str
    detail: list[dict] | None = None


class NotFound(Error):
    number: str | None = None


class Money(Schema):
    amount: str  # a decimal written as text, never a float
    currency: str


class Coded(Schema):
    """A value of a reference table: its stable code and its name in the requested language."""

    code: str
    name: str


# --- search (the JSON of /api/v1/search/ as it was before the API moved to django-ninja)

class SearchLabel(Schema):
    scheme: str
    certificate: str


class SearchHit(Schema):
    id: int
    product_id: int
    title: str
    url: str
    seller: str
    region: str
    price: Money
    in_stock: bool
    made_to_order: bool
    labels: list[SearchLabel]


class FacetCount(Schema):
    value: str
    count: int
    selected: bool


class CategoryLink(Schema):
    value: str
    name: str


class SearchResults(Schema):
    total: int
    page: int
    page_size: int
    currency: str
    query: str
    corrected_query: str | None
    relaxed: bool
    suggestions: list[str]
    popular_categories: list[CategoryLink]
    results: list[SearchHit]
    facets: dict[str, list[FacetCount]]


class Suggestions(Schema):
    suggestions: list[str]


# --- certificates (the record of /verify/<number>.json)

class CertificateScheme(Schema):
    code: str
    name: str
    kind: str
    issuing_body: str


class CertificateSeller(Schema):
    name: str
    region: str
    country: str


class CertificateProduct(Schema):
    id: int
    title: str
    titles: dict[str, str]
    hs_code: str


class CertificateEvent(Schema):
    """A public step of the certificate's history; it shows only the public keys it has
    (labels.selectors.PUBLIC_KEYS), the others are left out rather than null."""

    action: str
    label: str
    date: str
    reason: str | None = None
    certificate: str | None = None
    valid_until: str | None = None
    level: str | None = None
    renews: str | None = None
    visit_date: str | None = None


class Certificate(Schema):
    number: str
    status: str
    status_label: str
    status_reason: str
    scheme: CertificateScheme
    seller: CertificateSeller
    products: list[CertificateProduct]
    level: str
    level_name: str
    valid_from: str
    valid_until: str
    history: list[CertificateEvent]
    history_intact: bool


# --- sector figures (the open data of /<lang>/sector/figures.json)

class FigureCell(Schema):
    key: str
    label: str
    value: int | str | None  # money as a decimal written as text; None: a month too small to publish
    extra: dict


class FigureTable(Schema):
    name: str
    title: str
    value_label: str
    cells: list[FigureCell]
    hidden_cells: int


class SectorFigures(Schema):
    as_of: str
    period_start: str
    period_end: str
    currency: str
    verified_sellers: int | None
    listed_products: int | None
    labelled_products: int | None
    active_certificates: int
    tables: list[FigureTable]
    monthly_exports: list[FigureCell]
    median_hours_to_accept: float | None
    declined_share: float | None


# --- currencies

class Currency(Schema):
    code: str
    name: str
    symbol: str
    decimals: int
    rate: str | None  # units of this currency for one unit of the base currency; None without a rate
    per_euro: str | None
    as_of: date | None
    source: str


class Currencies(Schema):
    base: str
    currencies: list[Currency]


# --- catalogue

class ProductLabel(Schema):
    scheme: Coded
    certificate: str
    level: str
    valid_until: date
    verify_url: str


class SellerRef(Schema):
    id: int
    name: str


class ProductSummary(Schema):
    id: int
    language: str
    title: str
    url: str
    image: str | None
    seller: SellerRef
    seller_kind: Coded
    category: Coded
    craft: Coded
    region: Coded
    materials: list[Coded]
    labels: list[ProductLabel]
    price: Money
    base_price: Money
    availability: Coded
    published_at: datetime


class ProductDetail(ProductSummary):
    description: str
    translations: dict[str, str]  # language -> the product's address in it
    passport_url: str
    min_order_quantity: int
    lead_time_days: int | None
    hs_code: str
    weight_grams: int
    length_cm: str | None
    width_cm: str | None
    height_cm: str | None
    fibre_composition: str
    gtin: str


class ProductPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[ProductSummary]


class SellerCertificate(Schema):
    scheme: Coded
    certificate: str
    valid_until: date
    verify_url: str


class SellerSummary(Schema):
    id: int
    name: str
    legal_name: str
    kind: Coded
    country: Coded
    region: Coded
    city: str
    trades: list[Coded]
    founded_year: int | None
    verified_since: date | None
    url: str | None
    listed_products: int


class SellerDetail(SellerSummary):
    intro: str
    certificates: list[SellerCertificate]


class SellerPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[SellerSummary]


class Category(Schema):
    code: str
    name: str
    country: str
    level: int
    level_name: str
    parent: str | None
    listings: int  # listed products of this category or craft, in the requested language


class LabelScheme(Schema):
    code: str
    name: str
    kind: Coded
    country: str
    issuing_body: str
    description: str
    validity_months: int
    levels: list[str]
    active_certificates: int


# --- query parameters

ID_MAX = 2_147_483_647
LanguageField = Field("en", max_length=10, description="Language of titles and names: en, fr or ar.",
                      examples=["fr"])
CurrencyField = Field(None, max_length=10, examples=["EUR"],
                      description="Currency of prices (one of /api/v1/currencies); the base currency by default.")
PageField = Field(1, ge=1, le=100_000, description="Page number, from 1.")
PageSizeField = Field(24, ge=1, le=100, description="Results per page, at most 100.")


class SearchQuery(Schema):
    """The search page's parameters. They are read from the query string by the search's own parser
    (repeated values, its defaults and its 400 messages); this only describes them, so all are text."""

    q: str = Field("", description="Words to find.")
    language: str = Field("en", description="Language of the listings: en, fr or ar (others: en).", examples=["fr"])
    currency: str | None = Field(None, description="Currency of prices; the base currency by default.", examples=["EUR"])
    page: str | None = Field(None, description="Page number, from 1.")
    page_size: str | None = Field(None, description="Results per page (24 by default, at most 60).")
    sort: str | None = Field(None, description="relevance, price_asc, price_desc or newest.")
    exact: str | None = Field(None, description="1: the words as typed, without spelling correction.")
    category: list[str] | None = Field(None, description="Branch code (repeat for several).")
    craft: list[str] | None = Field(None, description="Activity code (repeat for several).")
    region: list[str] | None = Field(None, description="ISO 3166-2 region (repeat for several).")
    material: list[str] | None = Field(None, description="Material slug (repeat for several).")
    label: list[str] | None = Field(None, description="Label scheme code (repeat for several).")
    seller_kind: list[str] | None = Field(None, description="cooperative, artisan, master_artisan or enterprise.")
    availability: list[str] | None = Field(None, description="in_stock, made_to_order or sold_out.")
    price: list[str] | None = Field(None, description="A price range in the currency, low-high or low-.")


class SuggestQuery(Schema):
    q: str = Field("", description="What has been typed so far.")
    language: str = Field("en", description="Language of the titles: en, fr or ar.", examples=["fr"])


class LanguageQuery(Schema):
    language: str = LanguageField


class ProductQuery(Schema):
    language: str = LanguageField
    currency: str | None = CurrencyField
    category: list[str] | None = Field(None, description="Branch code of the trade nomenclature (see /categories).")
    craft: list[str] | None = Field(None, description="Activity code of the trade nomenclature (see /categories).")
    region: list[str] | None = Field(None, description="ISO 3166-2 region of origin, e.g. MA-08.")
    seller: int | None = Field(None, ge=1, le=ID_MAX, description="A seller's id (see /sellers).")
    label: list[str] | None = Field(None, description="Code of a label scheme with an active certificate (see /labels).")
    material: list[str] | None = Field(None, description="Material slug, e.g. wool.")
    availability: list[str] | None = Field(None, description="in_stock, made_to_order or sold_out.")
    min_price: Decimal | None = Field(None, ge=0, le=10**9, description="Lowest price, in the currency.")
    max_price: Decimal | None = Field(None, ge=0, le=10**9, description="Highest price, in the currency.")
    sort: Literal["newest", "price_asc", "price_desc"] = Field("newest", description="Order of the results.")
    page: int = PageField
    page_size: int = PageSizeField


class ProductDetailQuery(Schema):
    language: str = LanguageField
    currency: str | None = CurrencyField


class SellerQuery(Schema):
    language: str = LanguageField
    region: list[str] | None = Field(None, description="ISO 3166-2 region, e.g. MA-08.")
    trade: list[str] | None = Field(None, description="Trade code (see /categories).")
    kind: list[str] | None = Field(None, description="cooperative, artisan, master_artisan or enterprise.")
    country: list[str] | None = Field(None, description="ISO 3166-1 country, e.g. MA.")
    page: int = PageField
    page_size: int = PageSizeField


class CategoryQuery(Schema):
    language: str = LanguageField
    country: list[str] | None = Field(None, description="ISO 3166-1 country of the nomenclature, e.g. MA.")
    level: int | None = Field(None, ge=1, le=3, description="1 sectors, 2 branches (categories), 3 activities (crafts).")
