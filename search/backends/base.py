from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListingQuery:
    text: str = ""
    language: str = "en"
    page: int = 1
    page_size: int = 24


@dataclass(frozen=True)
class ListingResults:
    """Product page ids of the requested page, best first, and how many match in all."""

    page_ids: list[int] = field(default_factory=list)
    total: int = 0


class ListingSearchBackend(ABC):
    """What every listing search backend does; the same behaviour tests run against each."""

    name: str

    @abstractmethod
    def search(self, query: ListingQuery) -> ListingResults:
        """Live, listed product pages in the query's language that match its text."""

    @abstractmethod
    def ping(self) -> None:
        """Return if the engine answers; raise otherwise."""
