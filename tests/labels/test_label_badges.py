"""Quality-label badges: only active certificates show, on product pages and listings, linking to
their verify page; cached pages follow a certificate's changes; listings cost no query per badge."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.cache import catalog_generation, catalog_invalidate
from catalog.models import ProductPage
from labels.models import LabelApplication, LabelCertificate, LabelCriterion, LabelScheme
from labels.selectors import product_active_labels
from tests.factories.catalog import product_create, seller_pages
from tests.factories.sellers import UserFactory

pytestmark = pytest.mark.django_db

NUMBER = "MA-LNA-2026-000001"
VERIFY_LINK = f'href="/verify/{NUMBER}/"'
BADGE_TEXT = f"Certified: National label — verify certificate {NUMBER}"


@pytest.fixture
def scheme():
    scheme = LabelScheme(code="LNA", kind="national_label", name="National label", name_fr="Label national",
                         name_ar="العلامة الوطنية", country="MA", issuing_body="Ministry", validity_months=36)
    scheme.criteria = [LabelCriterion(text="Made by hand")]
    scheme.save()
    return scheme


@pytest.fixture
def shop(tree):
    rugs = seller_pages(tree)
    return {"tree": tree, "rugs": rugs, "rug": product_create(rugs, title="Taznakht rug")}


def certificate_create(scheme, products, *, number=NUMBER, status=LabelCertificate.Status.ACTIVE, valid_until=None):
    """A certificate written directly, as an approved application would issue it (no inspection needed here)."""
    seller = products[0].seller
    today = timezone.localdate()
    application = LabelApplication.objects.create(
        scheme=scheme, seller=seller, applicant=UserFactory(), status=LabelApplication.Status.APPROVED
    )
    application.products.set(products)
    certificate = LabelCertificate.objects.create(
        number=number, application=application, scheme=scheme, seller=seller, status=status,
        valid_from=today - timedelta(days=30), valid_until=valid_until or today + timedelta(days=3 * 365),
    )
    certificate.products.set(products)
    return certificate


def page_url(product, language="en"):
    return ProductPage.objects.get(product=product, locale__language_code=language).url


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TestProductPageShowsActiveCertificates:
    def test_an_active_certificate_shows_a_badge_linking_to_its_verify_page(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        html = html_of(client, page_url(shop["rug"]))
        assert VERIFY_LINK in html
        assert f'aria-label="{BADGE_TEXT}"' in html
        assert "Quality labels" in html

    def test_it_lists_the_certificate_number_and_the_end_of_its_validity(self, client, scheme, shop):
        certificate = certificate_create(scheme, [shop["rug"]])
        html = html_of(client, page_url(shop["rug"]))
        assert f'<bdi dir="ltr">{NUMBER}</bdi>' in html
        assert f'<time datetime="{certificate.valid_until.isoformat()}">' in html

    def test_the_level_shows_when_the_certificate_has_one(self, client, scheme, shop):
        certificate = certificate_create(scheme, [shop["rug"]])
        LabelCertificate.objects.filter(pk=certificate.pk).update(level="Gold")
        assert "<dd>Gold</dd>" in html_of(client, page_url(shop["rug"]))

    def test_the_verify_link_leads_to_the_certificates_public_page(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        assert VERIFY_LINK in html_of(client, page_url(shop["rug"]))
        assert client.get(f"/verify/{NUMBER}/").status_code == 200

    def test_the_scheme_name_is_in_the_pages_language(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        assert "<bdi>Label national</bdi>" in html_of(client, page_url(shop["rug"], "fr"))
        assert "<bdi>العلامة الوطنية</bdi>" in html_of(client, page_url(shop["rug"], "ar"))

    def test_a_product_without_a_certificate_shows_no_badge(self, client, scheme, shop):
        other = product_create(shop["rugs"], title="Azilal rug")
        certificate_create(scheme, [shop["rug"]])
        html = html_of(client, page_url(other))
        assert "/verify/" not in html
        assert "Quality labels" not in html


class TestOnlyActiveCertificatesShow:
    @pytest.mark.parametrize("status", [LabelCertificate.Status.SUSPENDED, LabelCertificate.Status.REVOKED,
                                        LabelCertificate.Status.EXPIRED])
    def test_a_suspended_revoked_or_expired_certificate_never_shows(self, client, scheme, shop, status):
        certificate_create(scheme, [shop["rug"]], status=status)
        tree = shop["tree"]
        for url in (page_url(shop["rug"]), tree.homes["en"].url, tree.categories["en"].url, shop["rugs"]["en"].url):
            html = html_of(client, url)
            assert "/verify/" not in html, url
            assert "label-badge" not in html, url

    def test_an_active_certificate_past_its_validity_does_not_show_before_the_daily_expiry(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]], valid_until=timezone.localdate() - timedelta(days=1))
        assert "/verify/" not in html_of(client, page_url(shop["rug"]))
        assert product_active_labels(product_ids=[shop["rug"].pk]) == {}

    def test_only_the_active_one_of_several_shows(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]], number="MA-LNA-2025-000007", status=LabelCertificate.Status.REVOKED)
        certificate_create(scheme, [shop["rug"]])
        html = html_of(client, page_url(shop["rug"]))
        assert VERIFY_LINK in html
        assert "MA-LNA-2025-000007" not in html


class TestListingsShowBadges:
    def test_the_home_category_and_seller_pages_show_the_badge_on_the_card(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        tree = shop["tree"]
        for url in (tree.homes["en"].url, tree.categories["en"].url, shop["rugs"]["en"].url):
            html = html_of(client, url)
            card = html.split('<article class="product-card">')[1].split("</article>")[0]
            assert VERIFY_LINK in card, url
            assert f'aria-label="{BADGE_TEXT}"' in card, url

    def test_search_results_show_the_badge(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        response = client.get("/en/search/?q=taznakht")
        assert [[label.number for label in card.labels] for card in response.context["hits"]] == [[NUMBER]]
        assert VERIFY_LINK in response.content.decode()

    def test_each_card_carries_its_own_products_labels_only(self, client, scheme, shop):
        other = product_create(shop["rugs"], title="Azilal rug")
        certificate_create(scheme, [shop["rug"]])
        response = client.get(shop["tree"].categories["en"].url)
        labels = {card.product_id: [label.number for label in card.labels] for card in response.context["hits"]}
        assert labels == {shop["rug"].pk: [NUMBER], other.pk: []}

    def test_a_certificate_covering_several_products_badges_each(self, client, scheme, shop):
        other = product_create(shop["rugs"], title="Azilal rug")
        certificate_create(scheme, [shop["rug"], other])
        response = client.get(shop["tree"].categories["en"].url)
        assert all([label.number for label in card.labels] == [NUMBER] for card in response.context["hits"])


@pytest.fixture
def cached_shop(settings, shop):
    settings.PAGE_CACHE_SECONDS = 300
    return shop


class TestCachedPagesFollowCertificates:
    """Anonymous visitors get cached pages: every change to what a badge shows starts a new generation."""

    def urls(self, shop):
        return [page_url(shop["rug"]), shop["tree"].categories["en"].url]

    def assert_badge(self, client, shop, shown):
        for url in self.urls(shop):
            assert (VERIFY_LINK in html_of(client, url)) is shown, url

    def test_a_revoked_certificates_badge_leaves_the_cached_pages(self, client, scheme, cached_shop,
                                                                  django_capture_on_commit_callbacks):
        certificate = certificate_create(scheme, [cached_shop["rug"]])
        self.assert_badge(client, cached_shop, shown=True)
        self.assert_badge(client, cached_shop, shown=True)  # now from the cache
        with django_capture_on_commit_callbacks(execute=True):
            certificate.status, certificate.status_reason = LabelCertificate.Status.REVOKED, "Machine-made"
            certificate.save()
        self.assert_badge(client, cached_shop, shown=False)

    def test_suspension_and_reinstatement_take_the_badge_away_and_back(self, client, scheme, cached_shop,
                                                                       django_capture_on_commit_callbacks):
        certificate = certificate_create(scheme, [cached_shop["rug"]])
        self.assert_badge(client, cached_shop, shown=True)
        with django_capture_on_commit_callbacks(execute=True):
            certificate.status = LabelCertificate.Status.SUSPENDED
            certificate.save(update_fields=["status"])
        self.assert_badge(client, cached_shop, shown=False)
        with django_capture_on_commit_callbacks(execute=True):
            certificate.status = LabelCertificate.Status.ACTIVE
            certificate.save()
        self.assert_badge(client, cached_shop, shown=True)

    def test_a_new_certificate_appears_on_the_cached_pages(self, client, scheme, cached_shop,
                                                           django_capture_on_commit_callbacks):
        self.assert_badge(client, cached_shop, shown=False)
        with django_capture_on_commit_callbacks(execute=True):
            certificate_create(scheme, [cached_shop["rug"]])
        self.assert_badge(client, cached_shop, shown=True)

    def test_a_product_taken_off_a_certificate_loses_its_badge(self, client, scheme, cached_shop,
                                                              django_capture_on_commit_callbacks):
        certificate = certificate_create(scheme, [cached_shop["rug"]])
        self.assert_badge(client, cached_shop, shown=True)
        with django_capture_on_commit_callbacks(execute=True):
            cached_shop["rug"].label_certificates.remove(certificate)  # the reverse side of the relation
        self.assert_badge(client, cached_shop, shown=False)
        with django_capture_on_commit_callbacks(execute=True):
            certificate.products.add(cached_shop["rug"])
        self.assert_badge(client, cached_shop, shown=True)

    def test_a_renamed_scheme_is_shown_under_its_new_name(self, client, scheme, cached_shop,
                                                          django_capture_on_commit_callbacks):
        certificate_create(scheme, [cached_shop["rug"]])
        assert "<bdi>National label</bdi>" in html_of(client, page_url(cached_shop["rug"]))
        with django_capture_on_commit_callbacks(execute=True):
            scheme.name = "Moroccan craft label"
            scheme.save()
        assert "<bdi>Moroccan craft label</bdi>" in html_of(client, page_url(cached_shop["rug"]))

    def test_a_revocation_request_alone_leaves_the_cache_alone(self, scheme, cached_shop,
                                                               django_capture_on_commit_callbacks):
        certificate = certificate_create(scheme, [cached_shop["rug"]])
        before = catalog_generation()
        with django_capture_on_commit_callbacks(execute=True):
            certificate.revocation_requested_by, certificate.revocation_reason = UserFactory(), "Machine-made"
            certificate.save(update_fields=["revocation_requested_by", "revocation_reason"])
        assert catalog_generation() == before  # the badge stays until a second inspector confirms


class TestQueriesDoNotGrowWithBadges:
    def count_queries(self, client, url):
        client.get(url)  # renditions are made on the first view
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_labels_of_many_products_come_in_one_query(self, scheme, shop):
        others = [product_create(shop["rugs"], title=f"Azilal rug {number}") for number in range(3)]
        for number, product in enumerate(others, start=2):
            certificate_create(scheme, [product], number=f"MA-LNA-2026-{number:06d}")
        with CaptureQueriesContext(connection) as queries:
            labels = product_active_labels(product_ids=[shop["rug"].pk] + [product.pk for product in others])
        assert len(queries) == 1
        assert sorted(labels) == sorted(product.pk for product in others)

    def test_each_page_costs_the_same_with_1_or_11_labelled_cards(self, client, scheme, shop):
        certificate_create(scheme, [shop["rug"]])
        tree = shop["tree"]
        urls = [tree.homes["en"].url, tree.categories["en"].url, shop["rugs"]["en"].url, page_url(shop["rug"]),
                "/en/search/?q=rug"]
        before = [self.count_queries(client, url) for url in urls]
        for number in range(10):
            product = product_create(shop["rugs"], title=f"Azilal rug {number}")
            certificate_create(scheme, [product], number=f"MA-LNA-2026-{number + 2:06d}")
        catalog_invalidate()  # what the commit would do: listings count their products afresh
        after = [self.count_queries(client, url) for url in urls]

        assert after == before, dict(zip(urls, after, strict=True))
        for url in urls[:3] + urls[4:]:
            assert html_of(client, url).count('class="label-badge ') == 11, url
