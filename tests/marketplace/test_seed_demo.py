import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from catalog.models import LabelScheme, Product, ProductPage, SellerPage
from marketplace.demo.seed import DEMO_LOGINS
from sellers.models import Seller

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (it takes seconds), in a transaction rolled back at the end."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--products", "45", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


class TestSeedDemo:
    def test_creates_sellers_over_real_regions_and_crafts(self, seeded):
        assert Seller.objects.count() >= 30
        assert Seller.objects.values("region").distinct().count() >= 10
        assert Seller.objects.values("trades").distinct().count() >= 12
        assert Seller.objects.filter(status=Seller.Status.PENDING).exists()

    def test_every_product_has_a_page_in_each_language_with_a_patterned_photo(self, seeded):
        assert Product.objects.count() == 45
        for language in ("en", "fr", "ar"):
            assert ProductPage.objects.live().filter(locale__language_code=language).count() == 45
        page = ProductPage.objects.filter(locale__language_code="ar").first()
        assert any("\u0600" <= char <= "\u06ff" for char in page.title)
        image = page.first_image
        with image.open_file() as handle, PILImage.open(handle) as picture:
            colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 50  # a pattern, not a blank square
        assert get_image_model().objects.count() >= 50

    def test_only_verified_sellers_have_pages(self, seeded):
        assert not SellerPage.objects.exclude(seller__status=Seller.Status.VERIFIED).exists()

    def test_prints_the_demo_logins_and_they_work(self, seeded):
        for login in DEMO_LOGINS:
            assert login.username in seeded and login.password in seeded
            assert authenticate(username=login.username, password=login.password) is not None

    def test_running_it_again_adds_nothing(self, seeded):
        counts = (Seller.objects.count(), Product.objects.count(), ProductPage.objects.count(), get_image_model().objects.count())
        call_command("seed_demo", "--products", "45")
        assert (Seller.objects.count(), Product.objects.count(), ProductPage.objects.count(), get_image_model().objects.count()) == counts

    def test_a_larger_number_adds_only_the_difference(self, seeded):
        call_command("seed_demo", "--products", "60")
        assert Product.objects.count() == 60
        assert ProductPage.objects.count() == 180

    def test_the_demo_pages_render(self, seeded, client):
        for page in ProductPage.objects.filter(locale__language_code="en")[:3]:
            assert client.get(page.url).status_code == 200
        assert client.get("/ar/").status_code == 200

    def test_the_demo_seller_manager_edits_only_its_own_pages(self, seeded, client):
        client.login(username="seller", password="souk-seller-2026")
        own = SellerPage.objects.get(seller__legal_name="Coopérative Tifaouine des Tisseuses", locale__language_code="en")
        other = SellerPage.objects.filter(locale__language_code="en").exclude(pk=own.pk).first()
        add_own = reverse("wagtailadmin_pages:add", args=("catalog", "productpage", own.pk))
        add_other = reverse("wagtailadmin_pages:add", args=("catalog", "productpage", other.pk))

        assert client.get(add_own).status_code == 200
        assert client.get(add_other).status_code in (302, 403)
        assert client.get(reverse("wagtailadmin_pages:edit", args=(other.pk,))).status_code in (302, 403)

    def test_the_demo_seller_manager_sees_its_workspace_panel_on_the_dashboard(self, seeded, client):
        client.login(username="seller", password="souk-seller-2026")
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Coopérative Tifaouine des Tisseuses" in html
        assert re.search(r"\d+ listings? published", html) and "Add a product" in html

    def test_staff_have_no_seller_panel(self, seeded, client):
        client.login(username="staff", password="souk-staff-2026")
        assert "Add a product" not in client.get(reverse("wagtailadmin_home")).content.decode()

    def test_the_demo_has_a_national_label_a_collective_mark_and_a_geographical_indication(self, seeded):
        assert sorted(LabelScheme.objects.values_list("kind", flat=True)) == [
            "collective_mark", "geographical_indication", "national_label"]
        assert all(scheme.criteria.exists() for scheme in LabelScheme.objects.all())

    def test_the_demo_has_labels_at_every_stage_with_intact_histories(self, seeded, client):
        from catalog.models import LabelApplication, LabelCertificate

        assert set(LabelApplication.objects.values_list("status", flat=True)) >= {
            "submitted", "assigned", "approved", "rejected"}
        assert set(LabelCertificate.objects.values_list("status", flat=True)) == {"active", "suspended", "revoked"}
        call_command("verify_label_chain", stdout=io.StringIO())
        active = LabelCertificate.objects.filter(status="active", seller__legal_name__startswith="Coopérative Tifaouine")
        assert active.exists()
        record = client.get(reverse("certificate_verify_json", args=[active.first().number])).json()
        assert record["status"] == "active" and record["history_intact"]

    def test_the_demo_inspector_finds_the_open_applications_and_the_seller_its_certificates(self, seeded, client):
        from catalog.models import LabelCertificate

        client.login(username="inspector", password="souk-inspector-2026")
        queue = client.get(reverse("label_applications:index"), {"queue": "open"}).content.decode()
        assert "Coopérative Ajddigue" in queue
        client.login(username="seller", password="souk-seller-2026")
        page = client.get(reverse("seller_labels")).content.decode()
        for certificate in LabelCertificate.objects.filter(seller__legal_name__startswith="Coopérative Tifaouine"):
            assert certificate.number in page

    def test_the_demo_ships_to_europe_and_north_america_but_not_everywhere(self, seeded):
        from marketplace.shipping.services import shipping_zone_for

        assert shipping_zone_for("FR").name.startswith("European") and shipping_zone_for("US").name == "North America"
        assert shipping_zone_for("JP") is None

    def test_the_demo_has_orders_at_every_stage_of_their_routing(self, seeded, client):
        from marketplace.orders.models import Order, RefundState, SellerOrder

        assert sorted(Order.objects.values_list("status", flat=True)) == ["awaiting_payment", "paid", "paid"]
        statuses = sorted(SellerOrder.objects.values_list("status", flat=True))
        assert statuses == ["awaiting_acceptance", "awaiting_acceptance", "declined", "shipped"]
        declined = SellerOrder.objects.get(status="declined")
        assert declined.refund_state == RefundState.SENT and declined.order.refunded == declined.total
        client.login(username="potter", password="souk-potter-2026")
        listing = client.get(reverse("seller_orders:index")).content.decode()
        assert declined.reference in listing
        assert SellerOrder.objects.get(status="shipped").reference not in listing  # the other seller's part
