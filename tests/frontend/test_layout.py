"""The base layout: accessible landmarks, a language switcher to real translations, no asset from elsewhere."""

import re

import pytest

from catalog.models import ProductPage
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def product_pages(tree):
    product = product_create(seller_pages(tree), title="Azilal rug")
    return {page.locale.language_code: page for page in ProductPage.objects.filter(product=product).select_related("locale")}


class TestLayout:
    def test_landmarks_and_labelled_search(self, client, product_pages):
        html = client.get(product_pages["en"].url).content.decode()
        for landmark in ('role="banner"', '<main id="main"', 'role="contentinfo"', 'role="search"'):
            assert landmark in html
        assert '<label for="site-search-q"' in html and 'id="site-search-q"' in html

    def test_every_image_has_an_alt_attribute(self, client, product_pages):
        html = client.get(product_pages["en"].url).content.decode()
        images = re.findall(r"<img\b[^>]*>", html)
        assert images
        assert all(" alt=" in tag for tag in images)

    def test_every_asset_is_served_by_the_site_itself(self, client, product_pages, tree):
        for url in (product_pages["ar"].url, tree.homes["fr"].url, tree.categories["en"].url):
            html = client.get(url).content.decode()
            sources = re.findall(r'(?:src|href|srcset|content)="([^"]+)"', html)
            assert sources
            # Canonical and alternate links and link-preview images are absolute, on the site's own host.
            foreign = [source for source in sources
                       if re.match(r"(https?:)?//", source) and not re.match(r"(https?:)?//testserver/", source)]
            assert not foreign, url

    def test_the_language_switcher_links_to_this_products_translations(self, client, product_pages):
        html = client.get(product_pages["en"].url).content.decode()
        for language in ("fr", "ar"):
            assert f'href="{product_pages[language].url}" lang="{language}"' in html

    def test_a_view_that_is_not_a_page_links_to_the_same_view_in_each_language(self, client, tree):
        response = client.get("/en/search/?q=x")
        assert 'href="/ar/search/?q=x" lang="ar"' in response.content.decode()


class TestLanguagePrefixes:
    def test_the_bare_address_leads_to_a_language(self, client, tree):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 302 and response["Location"] == "/fr/"

    def test_a_404_answered_by_a_view_is_not_redirected_to_a_language(self, client):
        assert client.get("/verify/MA-LNA-2026-000404/").status_code == 404
