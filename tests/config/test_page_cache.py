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


def hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


class TestShoppersGetCachedPages:
    def test_a_shopper_with_a_basket_and_a_currency_gets_the_cached_page(self, client, cached_site):
        from catalog.models import ProductPage

        page = ProductPage.objects.get(locale__language_code="en")
        client.post("/en/basket/add/", {"product": page.product_id, "quantity": "1"}, HTTP_ORIGIN="http://testserver")
        assert client.cookies["basket_count"].value == "1" and client.session.get("basket")
        client.cookies["currency"] = "EUR"
        url = cached_site.categories["en"].url

        assert not hit(client.get(url))
        second, count = queries_for(client, url)
        assert hit(second) and count <= 1  # at most the session, to learn that nobody signed in

        # Another shopper in euros, with another session, gets the same copy; one in dirhams does not.
        from django.test import Client

        other = Client()
        other.cookies["currency"] = "EUR"
        assert hit(other.get(url)) and other.get(url).content == second.content
        other.cookies["currency"] = "MAD"
        assert not hit(other.get(url))

    def test_the_shared_copy_holds_no_basket_no_token_and_sets_no_cookie(self, client, cached_site):
        from catalog.models import ProductPage

        page = ProductPage.objects.get(locale__language_code="en")
        client.post("/en/basket/add/", {"product": page.product_id, "quantity": "1"}, HTTP_ORIGIN="http://testserver")
        client.get(page.url)
        served = client.get(page.url)
        html = served.content.decode()
        assert hit(served) and "csrfmiddlewaretoken" not in html and not served.cookies
        assert 'data-basket-count hidden></span>' in html  # filled by basket-count.js from the cookie

    def test_signing_in_sets_the_cookie_that_keeps_a_buyer_off_the_shared_copies(self, client, cached_site):
        from allauth.account.models import EmailAddress

        buyer = UserFactory(username="samira")
        buyer.set_password("a long pass phrase 2026")
        buyer.save()
        EmailAddress.objects.create(user=buyer, email=buyer.email, verified=True, primary=True)
        url = cached_site.homes["en"].url
        client.get(url)
        client.post("/en/account/login/", {"login": buyer.email, "password": "a long pass phrase 2026"})
        assert client.cookies["signed_in"].value == "1"
        signed_in = client.get(url)
        assert not hit(signed_in) and "My account" in signed_in.content.decode()

        client.post("/en/account/logout/")
        assert client.cookies["signed_in"].value == ""  # deleted
        assert "Sign in" in client.get(url).content.decode()

    def test_a_session_holding_a_user_without_the_cookie_is_not_served_the_shared_copy(self, client, cached_site):
        url = cached_site.homes["en"].url
        client.get(url)
        client.force_login(UserFactory(username="legacy"))  # a session from before the cookie existed
        assert "signed_in" not in client.cookies
        assert not hit(client.get(url))


class TestASaleInvalidatesOnlyWhatShowsTheProduct:
    def test_a_sale_makes_its_product_page_and_listings_stale_and_leaves_other_products_cached(
        self, client, cached_site, django_capture_on_commit_callbacks
    ):
        from catalog.models import Product, ProductPage
        from tests.factories.orders import europe_zone, order_for

        europe_zone()
        sold = Product.objects.get()
        other = product_create(seller_pages(cached_site), title="Safi plate", price="300.00", stock=9)
        sold_url = ProductPage.objects.get(product=sold, locale__language_code="en").url
        other_url = ProductPage.objects.get(product=other, locale__language_code="en").url
        listing_url = cached_site.categories["en"].url
        for url in (sold_url, other_url, listing_url):
            client.get(url)
            assert hit(client.get(url)), url

        with django_capture_on_commit_callbacks(execute=True):
            order_for((sold, 2), provider="offline")
        assert Product.objects.get(pk=sold.pk).stock == 3  # still in stock: no listing document changes

        assert not hit(client.get(sold_url))
        assert not hit(client.get(listing_url))
        assert hit(client.get(other_url))
        other_listing = cached_site.homes["ar"].url  # never rendered with the sold product: untouched
        client.get(other_listing)
        assert hit(client.get(other_listing))

    def test_a_price_change_in_the_admin_makes_its_pages_stale_not_the_other_products(
        self, client, cached_site, django_capture_on_commit_callbacks
    ):
        from catalog.models import Product, ProductPage

        changed = Product.objects.get()
        other = product_create(seller_pages(cached_site), title="Safi plate", price="300.00", stock=9)
        changed_url = ProductPage.objects.get(product=changed, locale__language_code="en").url
        other_url = ProductPage.objects.get(product=other, locale__language_code="en").url
        for url in (changed_url, other_url):
            client.get(url)

        with django_capture_on_commit_callbacks(execute=True):
            changed.price = "1100.00"
            changed.save()

        fresh = client.get(changed_url)
        assert not hit(fresh) and "1,100.00" in fresh.content.decode()
        assert hit(client.get(other_url))

    def test_a_page_rendered_while_its_product_changed_is_not_kept(self, client, cached_site, monkeypatch):
        from catalog import cache as catalog_cache
        from catalog.models import Product, ProductPage

        product = Product.objects.get()
        url = ProductPage.objects.get(product=product, locale__language_code="en").url
        original = ProductPage.get_context

        def changed_meanwhile(self, request, *args, **kwargs):
            context = original(self, request, *args, **kwargs)
            catalog_cache.cache_tags_invalidate({catalog_cache.product_tag(product.pk)})  # a sale commits now
            return context

        monkeypatch.setattr(ProductPage, "get_context", changed_meanwhile)
        client.get(url)
        monkeypatch.setattr(ProductPage, "get_context", original)
        assert not hit(client.get(url))
        assert hit(client.get(url))
