from elasticsearch import Elasticsearch, dsl

from .base import ListingQuery, ListingResults, ListingSearchBackend


class ElasticsearchListingBackend(ListingSearchBackend):
    """Searches the listing index on an Elasticsearch 9 cluster, through ``elasticsearch.dsl``."""

    name = "elasticsearch"

    def __init__(self, *, url: str, index: str = "souk-listings", timeout: float = 5.0):
        self.index = index
        self.client = Elasticsearch(url, request_timeout=timeout)

    def build_search(self, query: ListingQuery) -> dsl.Search:
        search = dsl.Search(using=self.client, index=self.index).filter("term", language=query.language)
        if query.text:
            search = search.query(
                "multi_match", query=query.text, fields=["title^3", "description"], fuzziness="AUTO"
            )
        start = (query.page - 1) * query.page_size
        return search.source(False)[start : start + query.page_size]

    def search(self, query: ListingQuery) -> ListingResults:
        response = self.build_search(query).execute()
        return ListingResults(page_ids=[int(hit.meta.id) for hit in response], total=response.hits.total.value)

    def ping(self) -> None:
        if not self.client.ping():
            raise ConnectionError(f"Elasticsearch does not answer at {self.client.transport.node_pool.all()}")
