"""Listing cards build page addresses with ``PageUrls`` (one URL reversal per site root): the same
addresses as Wagtail's ``Page.get_url``, for every language, unusual slugs and a second site."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from catalog.models import ProductPage
from catalog.selectors import PageUrls
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


def addresses_agree(request):
    page_urls = PageUrls(request)
    pages = list(Page.objects.filter(depth__gt=1).only("url_path"))
    assert pages
    for page in pages:
        assert page_urls(page.url_path) == Page(url_path=page.url_path).get_url(request), page.url_path


def test_addresses_are_wagtails_in_every_language(tree):
    pages = seller_pages(tree)
    product_create(pages, title="Tapis d'Azilal à motifs")
    addresses_agree(RequestFactory().get("/", HTTP_HOST="localhost"))
    addresses_agree(None)
    # Slugs are ASCII here, but a page may come with another (an import, a setting changed later).
    arabic = ProductPage.objects.get(locale__language_code="ar")
    seller_path = arabic.url_path.rstrip("/").rsplit("/", 1)[0]
    for path in ("/زربية-أزيلال-١/", "/زربية أزيلال:١~(2)/", "/a%20b/", "/x"):
        assert PageUrls()(seller_path + path) == Page(url_path=seller_path + path).get_url(None), path
    assert "/%D8%B2%D8%B1%D8%A8%D9%8A%D8%A9-" in PageUrls()(seller_path + "/زربية-أزيلال-١/")


def test_addresses_with_a_second_site_are_wagtails(tree, settings):
    settings.ALLOWED_HOSTS = ["*"]
    pages = seller_pages(tree)
    product_create(pages)
    french_home = tree.homes["fr"]
    Site.objects.create(hostname="fr.souk.example", port=443, root_page=french_home, is_default_site=False)
    for host in ("localhost", "fr.souk.example"):
        addresses_agree(RequestFactory().get("/", HTTP_HOST=host))


def test_a_page_outside_every_site_has_no_address(tree):
    assert PageUrls()("/elsewhere/page/") is None
    assert Page(url_path="/elsewhere/page/").get_url(None) is None
