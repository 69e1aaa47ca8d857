"""Search engines: the sitemap index and every sitemap it names (each URL answers, with reciprocal hreflang
alternates), its cost in queries whatever the catalogue's size, robots.txt, and the head of every page:
canonical, alternates, Open Graph, and the product's JSON-LD (Google's merchant listing properties) in
en, fr and ar and in the visitor's currency."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import ProductPage
from customs.services import sample_rules_load
from search.services import listing_documents_rebuild
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def catalogue(tree, count: int):
    pages = seller_pages(tree, SellerFactory(legal_name="Coopérative Sitemap"))
    return [product_create(pages, title=f"Rug {number}") for number in range(count)]


def sitemap_urls(client) -> dict[str, dict[str, str]]:
    """Every URL of every sitemap, with its alternates (hreflang → href)."""
    index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (the site's own XML)
    urls = {}
    for location in index.findall("sm:sitemap/sm:loc", NS):
        response = client.get(location.text.replace("http://testserver", ""))
        assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
        for url in ET.fromstring(response.content).findall("sm:url", NS):  # noqa: S314
            urls[url.find("sm:loc", NS).text] = {link.get("hreflang"): link.get("href")
                                                  for link in url.findall("xhtml:link", NS)}
    return urls


class TestSitemaps:
    def test_every_url_answers_with_reciprocal_alternates(self, client, tree):
        products = catalogue(tree, 3)
        urls = sitemap_urls(client)
        product_urls = [url for url in urls if "/rug-" in url]
        assert len(product_urls) == 3 * 3  # three products in three languages
        for url, alternates in urls.items():
            assert client.get(url.replace("http://testserver", "")).status_code == 200, url
            assert set(alternates) >= {"en", "x-default"}, url
            language = re.match(r"http://testserver/(\w\w)/", url).group(1)
            assert alternates[language] == url
            for other in alternates.values():
                assert urls[other][language] == url, (url, other)  # B names A as A names B
        assert ProductPage.objects.filter(product=products[0]).count() == 3

    def test_an_unpublished_product_leaves_the_sitemap(self, client, tree):
        products = catalogue(tree, 2)
        for page in ProductPage.objects.filter(product=products[0]):
            page.unpublish()
        listing_documents_rebuild()
        urls = sitemap_urls(client)
        for product, listed in ((products[0], False), (products[1], True)):
            for page in ProductPage.objects.filter(product=product):
                assert (f"http://testserver{page.url}" in urls) == listed, page.url

    def test_a_sitemap_costs_the_same_queries_with_5_or_40_products(self, client, tree):
        counts = []
        for added in (5, 35):  # 5 products, then 40
            catalogue(tree, added)
            client.get("/sitemaps/products-en-1.xml")  # the site's root paths, cached after a first request
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/sitemaps/products-en-1.xml").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1] and counts[0] <= 6, counts

    @pytest.mark.parametrize("name", ["products-en-0", "products-en-2", "products-xx-1", "pages-zz", "../etc",
                                      "products-en-99999999"])
    def test_unknown_sitemaps_are_not_found(self, client, tree, name):
        catalogue(tree, 1)
        assert client.get(f"/sitemaps/{name}.xml").status_code == 404

    def test_robots_names_the_sitemap_and_keeps_private_pages_out(self, client):
        text = client.get("/robots.txt").content.decode()
        assert "Sitemap: http://testserver/sitemap.xml" in text
        for path in ("/admin/", "/en/basket/", "/fr/checkout/", "/ar/account/", "/en/orders/"):
            assert f"Disallow: {path}" in text


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


class TestHead:
    @pytest.mark.parametrize("language", ["en", "fr", "ar"])
    def test_a_product_page_carries_the_merchant_listing_properties(self, client, tree, language):
        europe_zone()
        sample_rules_load()
        product = catalogue(tree, 1)[0]
        page = ProductPage.objects.get(product=product, locale__language_code=language)
        html = client.get(page.url).content.decode()
        data = next(item for item in json_ld(html) if item["@type"] == "Product")
        offer = data["offers"]
        assert data["name"] == page.title and data["image"] and data["image"][0].startswith("http://testserver/")
        assert offer["price"] == str(product.price) and offer["priceCurrency"] == "MAD"
        assert offer["availability"] == "https://schema.org/InStock"
        zones = offer["shippingDetails"]
        assert zones and {"FR", "DE"} <= {region["addressCountry"] for region in zones[0]["shippingDestination"]}
        assert offer["hasMerchantReturnPolicy"][0]["merchantReturnDays"] == 14
        assert f'<link rel="canonical" href="http://testserver{page.url}">' in html
        for other in ProductPage.objects.filter(product=product):
            assert f'hreflang="{other.locale.language_code}" href="http://testserver{other.url}"' in html
        assert '<meta property="og:image" content="http://testserver/' in html
        assert any(item["@type"] == "BreadcrumbList" for item in json_ld(html))

    def test_the_offer_is_in_the_visitors_currency(self, client, tree):
        product = catalogue(tree, 1)[0]
        client.cookies["currency"] = "EUR"
        page = ProductPage.objects.get(product=product, locale__language_code="en")
        offer = next(item for item in json_ld(client.get(page.url).content.decode()) if item["@type"] == "Product")["offers"]
        assert offer["priceCurrency"] == "EUR" and offer["price"] != str(product.price)

    def test_the_seller_page_is_an_organization(self, client, tree):
        catalogue(tree, 1)
        page = seller_pages(tree, SellerFactory(legal_name="Atelier JSON-LD", city="Fès"))["fr"]
        data = next(item for item in json_ld(client.get(page.url).content.decode()) if item["@type"] == "Organization")
        assert data["name"] == "Atelier JSON-LD" and data["address"]["addressLocality"] == "Fès"

    def test_a_title_cannot_break_out_of_the_json_ld(self, client, tree):
        product = catalogue(tree, 1)[0]
        page = ProductPage.objects.get(product=product, locale__language_code="en")
        ProductPage.objects.filter(pk=page.pk).update(title="Rug</script><script>alert(1)</script>")
        html = client.get(page.url).content.decode()
        assert "</script><script>alert(1)" not in html
