from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

SORTS = ("relevance", "price_asc", "price_desc", "newest")


@dataclass(frozen=True)
class PriceRange:
    """Prices from ``low`` (included) to ``high`` (excluded; None: no limit), in the base currency."""

    key: str
    low: Decimal
    high: Decimal | None


@dataclass(frozen=True)
class ListingQuery:
    """What a buyer asks: text, filters (facet name to the values chosen; values of one facet are
    alternatives, facets combine), a sort and a page, in a language. ``match_any``: a listing needs
    only one of the words (or their synonyms), not all of them (the relaxed search)."""

    text: str = ""
    language: str = "en"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    price_ranges: tuple[PriceRange, ...] = ()
    facet_price_ranges: tuple[PriceRange, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 24
    match_any: bool = False


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class ListingResults:
    """Product page ids of the requested page, best first, how many match in all, and for each facet
    the count of every value (computed without that facet's own filter, so choosing a value never
    hides the others)."""

    page_ids: list[int] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


class ListingSearchBackend(ABC):
    """What every listing search backend does; the same behaviour tests run against each."""

    name: str
    # Whether misspelt words find their products in the engine itself (every backend gets the
    # vocabulary's corrections on top: ``search.selectors.listing_search``).
    supports_fuzzy: bool = False

    @abstractmethod
    def search(self, query: ListingQuery) -> ListingResults:
        """Listed product pages in the query's language that match its text and filters."""

    @abstractmethod
    def suggest(self, text: str, language: str, size: int = 8) -> list[str]:
        """Titles of listed products that the text being typed could lead to, best first."""

    def index_update(self, page_ids) -> None:
        """Push the listing documents of these pages (or their removal) to the engine, if it keeps its own index."""
        return None

    @abstractmethod
    def ping(self) -> None:
        """Return if the engine answers; raise otherwise."""
