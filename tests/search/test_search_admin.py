"""Staff's side of search: the report of what buyers look for and don't find, and the synonym sets they
edit (which apply at once). Who may open them is in tests/sellers/test_permission_matrix.py."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from search.models import SearchMiss, SynonymSet
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="chamber-staff")
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    client.force_login(user)
    return user


class TestSearchMissReport:
    def test_most_searched_first_filtered_by_language_and_exported(self, client, staff):
        SearchMiss.objects.create(query="tapis volant", language="fr", count=3)
        SearchMiss.objects.create(query="flying carpet", language="en", count=9, outcome="relaxed")
        html = client.get(reverse("search_misses")).content.decode()
        assert "What buyers look for and don" in html
        assert html.index("flying carpet") < html.index("tapis volant")
        html = client.get(reverse("search_misses"), {"language": "fr"}).content.decode()
        assert "tapis volant" in html and "flying carpet" not in html
        response = client.get(reverse("search_misses"), {"export": "csv"})
        exported = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert "flying carpet,en,9,relaxed" in exported

    def test_it_is_in_the_reports_menu_for_staff(self, client, staff):
        assert reverse("search_misses") in client.get(reverse("wagtailadmin_home")).content.decode()


class TestSynonymSets:
    def test_the_migration_brings_sample_sets_marked_as_sample(self):
        samples = SynonymSet.objects.filter(is_sample=True)
        assert samples.count() >= 15
        terms = {term for synonyms in samples for term in synonyms.term_list}
        assert {"berbère", "amazigh", "tapis", "زربية", "huile d'argan", "argan oil"} <= terms

    def test_staff_add_a_set_through_the_admin_and_it_applies_at_once(self, client, staff, tree):
        product_create(seller_pages(tree), title="Handira wedding blanket")
        assert client.get("/api/v1/search/", {"q": "couverture", "language": "fr"}).json()["total"] == 0
        response = client.post(reverse("wagtailsnippets_listing_search_synonymset:add"),
                                {"terms": "handira, couverture de mariage, couverture", "note": "", "is_sample": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        data = client.get("/api/v1/search/", {"q": "couverture", "language": "fr"}).json()
        assert data["total"] == 1 and data["relaxed"] is False and data["corrected_query"] is None

    def test_a_set_of_one_term_is_refused(self, client, staff):
        response = client.post(reverse("wagtailsnippets_listing_search_synonymset:add"), {"terms": "handira"})
        assert response.status_code == 200 and not SynonymSet.objects.filter(terms="handira").exists()
