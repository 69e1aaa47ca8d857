"""Pages served from the cache stay right for the language and currency, and never leak a visitor's session."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.cache import catalog_invalidate
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_site(settings, tree):
    settings.PAGE_CACHE_SECONDS = 300
    product_create(seller_pages(tree), title="Taznakht rug", price="1000.00")
    return tree


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


class TestSignedInPagesAreNotCached:
    def test_a_signed_in_buyer_sees_a_favourite_at_once_on_a_page_seen_before(self, client, cached_site):
        from allauth.account.models import EmailAddress

        from catalog.models import ProductPage

        buyer = UserFactory(username="camille")
        EmailAddress.objects.create(user=buyer, email=buyer.email, verified=True, primary=True)
        page = ProductPage.objects.get(locale__language_code="en")
        client.force_login(buyer)
        client.get(page.url)  # the CSRF cookie is set: the cookies of the next requests are the same
        assert 'aria-pressed="false"' in client.get(page.url).content.decode()

        client.post("/en/account/favourites/toggle/", {"product": page.product_id, "favourite": "1", "next": page.url})

        assert 'aria-pressed="true"' in client.get(page.url).content.decode()


class TestAnonymousPagesAreCached:
    def test_the_second_visit_is_served_without_a_query(self, client, cached_site):
        url = cached_site.categories["en"].url
        first, _ = queries_for(client, url)
        second, count = queries_for(client, url)
        assert count == 0
        assert second.content == first.content

    def test_each_language_has_its_own_copy(self, client, cached_site):
        english = client.get(cached_site.homes["en"].url)
        arabic = client.get(cached_site.homes["ar"].url)
        assert 'lang="ar"' in arabic.content.decode()
        assert 'lang="en"' in english.content.decode()

    def test_a_buyer_who_chose_euros_never_gets_the_dirham_copy(self, client, cached_site):
        url = cached_site.categories["en"].url
        assert "€" not in client.get(url).content.decode().split("<main")[1]
        client.cookies["currency"] = "EUR"
        in_euros = client.get(url).content.decode()
        assert "€92.17" in in_euros  # 1000 MAD at 10.85 MAD to the euro, as English writes euros
        client.cookies["currency"] = "MAD"
        assert "€92.17" not in client.get(url).content.decode()

    def test_a_signed_in_visitor_is_never_served_to_anyone_else(self, client, cached_site):
        url = cached_site.homes["en"].url
        client.force_login(UserFactory(username="amina", is_staff=True, is_superuser=True))
        signed_in = client.get(url).content.decode()
        assert "wagtail-userbar" in signed_in or "userbar" in signed_in

        client.logout()
        client.cookies.clear()
        anonymous = client.get(url).content.decode()
        assert "userbar" not in anonymous

    def test_publishing_makes_cached_pages_stale(self, client, cached_site):
        url = cached_site.categories["en"].url
        client.get(url)
        catalog_invalidate()  # what publishing, unpublishing or a product change triggers on commit
        _, count = queries_for(client, url)
        assert count > 0

    def test_the_admin_is_never_cached(self, client, cached_site):
        client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
        client.get("/admin/")
        _, count = queries_for(client, "/admin/")
        assert count > 0


class TestInvalidationOnPublish:
    def test_publishing_a_page_starts_a_new_generation(self, cached_site, django_capture_on_commit_callbacks):
        from catalog.cache import catalog_generation

        before = catalog_generation()
        with django_capture_on_commit_callbacks(execute=True):
            cached_site.categories["en"].save_revision().publish()
        assert catalog_generation() != before
