import io
import re
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from catalog.models import Product, ProductPage, SellerPage
from catalog.offers import products_safety_missing
from config.bulk_rows import ids_allocate, rows_insert
from demo.seed import DEMO_LOGINS, SeedStage, seed_demo
from labels.models import LabelLevel, LabelScheme
from marketplace.payments.models import BankAccount
from notices.models import Notice
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

    def test_the_demo_buyer_signs_in_by_email_with_a_saved_address_and_favourites(self, seeded, client):
        from accounts.models import Favourite, SavedAddress

        client.post(reverse("account_login"), {"login": "buyer@souk-export.example", "password": "souk-buyer-2026"})

        assert client.session["_auth_user_id"] == str(SavedAddress.objects.get(user__username="buyer").user_id)
        assert Favourite.objects.filter(user__username="buyer").count() == 3
        assert "buyer@souk-export.example" in seeded

    def test_running_it_again_adds_nothing(self, seeded):
        counts = (Seller.objects.count(), Product.objects.count(), ProductPage.objects.count(), get_image_model().objects.count())
        call_command("seed_demo", "--products", "45")
        assert (Seller.objects.count(), Product.objects.count(), ProductPage.objects.count(), get_image_model().objects.count()) == counts

    def test_a_larger_number_adds_only_the_difference(self, seeded):
        call_command("seed_demo", "--products", "60")
        assert Product.objects.count() == 60
        assert ProductPage.objects.count() == 180

    def test_pages_written_in_bulk_keep_the_page_tree_whole(self, seeded):
        call_command("seed_demo", "--products", "50")
        assert Page.find_problems() == ([], [], [], [], [])  # bad paths, orphans, wrong depth or number of children
        for parent in SellerPage.objects.filter(locale__language_code="fr"):
            assert parent.numchild == parent.get_children().count()
        page = ProductPage.objects.filter(locale__language_code="fr").order_by("-pk").first()
        assert page.get_parent().specific.seller_id == page.product.seller_id
        assert page.url_path == f"{page.get_parent().url_path}{page.slug}/"
        assert page.get_translations().count() == 2
        assert [image.sort_order for image in page.gallery_images.all()] == [0, 1]
        assert page.product.materials.exists() and page.product.created_at is not None
        saved = ProductPage.objects.get(pk=page.pk)  # and Wagtail's own save takes it as it is
        saved.title = "Re-saved"
        saved.save_revision().publish()
        assert ProductPage.objects.get(pk=page.pk).title == "Re-saved"

    def test_progress_is_told_of_the_products_then_of_their_search_documents(self, seeded):
        told, existing = [], Product.objects.count()
        seed_demo(products=existing + 2, history_months=0, progress=lambda stage, done, total: told.append((stage, done, total)))
        stages = [stage for stage, _done, _total in told]
        assert stages == sorted(stages, key=list(SeedStage).index) and set(stages) == set(SeedStage)
        assert [entry[1:] for entry in told if entry[0] is SeedStage.PRODUCTS][-1] == (2, 2)
        pages = 3 * (existing + 2)
        assert [entry[1:] for entry in told if entry[0] is SeedStage.SEARCH_DOCUMENTS][-1] == (pages, pages)

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

    def test_staff_see_the_demo_applications_awaiting_a_decision(self, seeded, client):
        client.login(username="staff", password="souk-staff-2026")
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        pending = Seller.objects.filter(status__in=(Seller.Status.PENDING, Seller.Status.AWAITING_REGISTRATION)).count()
        assert pending >= 1 and f"New seller applications ({pending})" in html

    def test_some_demo_sellers_give_their_name_in_arabic_script_too(self, seeded, client):
        seller = Seller.objects.get(legal_name="Coopérative Tifaouine des Tisseuses")
        assert seller.name_alternate == "تعاونية تيفاوين للنساجات"
        page = SellerPage.objects.get(seller=seller, locale__language_code="ar")
        assert "تعاونية تيفاوين للنساجات" in client.get(page.url).content.decode()

    def test_the_demo_has_a_national_label_a_collective_mark_and_a_geographical_indication(self, seeded):
        assert sorted(LabelScheme.objects.values_list("kind", flat=True)) == [
            "collective_mark", "geographical_indication", "national_label"]
        assert all(scheme.criteria.exists() for scheme in LabelScheme.objects.all())

    def test_the_demo_has_labels_at_every_stage_with_intact_histories(self, seeded, client):
        from labels.models import LabelApplication, LabelCertificate

        assert set(LabelApplication.objects.values_list("status", flat=True)) >= {
            "submitted", "assigned", "approved", "rejected"}
        assert set(LabelCertificate.objects.values_list("status", flat=True)) == {"active", "suspended", "revoked"}
        call_command("verify_label_chain", stdout=io.StringIO())
        active = LabelCertificate.objects.filter(status="active", seller__legal_name__startswith="Coopérative Tifaouine")
        assert active.exists()
        record = client.get(reverse("certificate_verify_json", args=[active.first().number])).json()
        assert record["status"] == "active" and record["history_intact"]

    def test_the_demo_inspector_finds_the_open_applications_and_the_seller_its_certificates(self, seeded, client):
        from labels.models import LabelCertificate

        client.login(username="inspector", password="souk-inspector-2026")
        queue = client.get(reverse("label_applications:index"), {"queue": "open"}).content.decode()
        assert "Coopérative Ajddigue" in queue
        client.login(username="seller", password="souk-seller-2026")
        page = client.get(reverse("seller_labels")).content.decode()
        for certificate in LabelCertificate.objects.filter(seller__legal_name__startswith="Coopérative Tifaouine"):
            assert certificate.number in page

    def test_the_demo_shop_has_asked_both_potteries_and_the_potter_has_quoted(self, seeded, client):
        from django.contrib.auth import get_user_model

        from marketplace.quotes.models import Quote, QuoteRequest, QuoteThread

        request = QuoteRequest.objects.get(company__legal_name="Studio Noord Interieur B.V.")
        statuses = dict(request.threads.values_list("seller__legal_name", "status"))
        assert statuses == {"Poterie de la Colline des Potiers": QuoteThread.Status.QUOTED,
                            "Poterie Oulja de Salé": QuoteThread.Status.AWAITING_QUOTE}
        assert sorted(Quote.objects.filter(thread__request=request).values_list("kind", "status")) == [
            ("bulk", "open"), ("sample", "open")]
        client.force_login(get_user_model().objects.get(username="trade"))
        thread = request.threads.get(status=QuoteThread.Status.QUOTED)
        page = client.get(reverse("quote_thread", args=[thread.pk])).content.decode()
        assert "Accept and place the order" in page and "We can match your celadon" in page
        client.force_login(get_user_model().objects.get(username="potter"))
        assert client.get(reverse("quote_threads:inspect", args=[thread.pk])).status_code == 200

    def test_the_demo_ships_to_europe_and_north_america_but_not_everywhere(self, seeded):
        from marketplace.shipping.services import shipping_zone_for

        assert shipping_zone_for("FR").name.startswith("European") and shipping_zone_for("US").name == "North America"
        assert shipping_zone_for("JP") is None

    def test_the_demo_has_orders_at_every_stage_of_their_routing(self, seeded, client):
        from marketplace.orders.models import Order, RefundState, SellerOrder

        orders = Order.objects.filter(user__username="buyer")
        parts = SellerOrder.objects.filter(order__in=orders)
        assert sorted(orders.values_list("status", flat=True)) == ["awaiting_payment", "paid", "paid"]
        statuses = sorted(parts.values_list("status", flat=True))
        assert statuses == ["awaiting_acceptance", "awaiting_acceptance", "declined", "shipped"]
        declined = parts.get(status="declined")
        assert declined.refund_state == RefundState.SENT and declined.order.refunded == declined.total
        client.login(username="potter", password="souk-potter-2026")
        listing = client.get(reverse("seller_orders:index")).content.decode()
        assert declined.reference in listing
        assert parts.get(status="shipped").reference not in listing  # the other seller's part

    def test_most_cooperatives_declare_their_members_by_gender(self, seeded):
        cooperatives = Seller.objects.filter(kind=Seller.Kind.COOPERATIVE)
        declared = cooperatives.exclude(members_women=None)
        assert declared.count() >= cooperatives.count() * 3 // 4 and declared.count() < cooperatives.count()
        argan = declared.get(legal_name="Coopérative Tighanimine")
        assert argan.members_women > 0 and argan.members_men == 0
        assert not Seller.objects.exclude(kind=Seller.Kind.COOPERATIVE).exclude(members_women=None).exists()

    def test_a_demo_seeded_before_members_were_declared_gets_them(self, seeded):
        Seller.objects.update(members_women=None, members_men=None)
        call_command("seed_demo", "--products", "45", stdout=io.StringIO())
        tifaouine = Seller.objects.get(legal_name="Coopérative Tifaouine des Tisseuses")
        assert (tifaouine.members_women, tifaouine.members_men) == (42, 0)


def _history():
    from demo.seed import HISTORY_EMAIL_DOMAIN
    from marketplace.orders.models import Order

    return Order.objects.filter(email__endswith="@" + HISTORY_EMAIL_DOMAIN)


def _history_delete():
    from marketplace.payouts.models import SellerPayout

    SellerPayout.objects.filter(seller_order__order__in=_history()).delete()  # payouts protect their parts
    _history().delete()


def _last_months(count):
    month = timezone.localdate().replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


class TestSeedOrderHistory:
    def test_a_year_of_orders_in_every_month_busier_before_christmas(self, seeded):
        from marketplace.orders.models import Order

        orders = _history()
        assert 250 <= orders.count() <= 350
        placed = Counter(timezone.localtime(at).date().replace(day=1) for at in orders.values_list("placed_at", flat=True))
        months = _last_months(12)
        assert set(placed) == set(months)
        start, now = timezone.make_aware(datetime.combine(months[-1], time.min)), timezone.now()
        paid = orders.exclude(paid_at=None)
        assert paid.count() == paid.filter(paid_at__gte=start, paid_at__lte=now).count() >= orders.count() * 0.8
        by_month = {month.month: count for month, count in placed.items() if month != months[0]}  # full months
        if 12 in by_month and 8 in by_month:
            assert by_month[12] > by_month[8] * 1.5
        assert orders.filter(status=Order.Status.CANCELLED).exists()
        assert not orders.exclude(user=None).exists()  # guests

    def test_buyers_live_in_the_countries_served_and_pay_in_their_currency(self, seeded):
        from marketplace.shipping.services import shipping_zone_for

        countries = dict(_history().values_list("ship_country", "currency").distinct())
        assert len(countries) >= 10 and "MA" not in countries
        assert all(shipping_zone_for(country) for country in countries)
        assert {countries[code] for code in ("FR", "DE", "US", "GB", "CA")} == {"EUR", "USD", "GBP", "CAD"}
        assert countries["FR"] == countries["DE"] == "EUR" and countries["US"] == "USD"
        assert _history().values("email").distinct().count() > 100

    def test_every_part_went_its_way_in_order_and_in_the_past(self, seeded):
        from wagtail.models import ModelLogEntry

        from marketplace.orders.models import Order, RefundState, SellerOrder

        now = timezone.now()
        parts = SellerOrder.objects.filter(order__in=_history()).select_related("order", "payout")
        assert Counter(parts.values_list("status", flat=True))["delivered"] >= parts.count() * 0.75
        assert parts.filter(status=SellerOrder.Status.DECLINED).exists()
        for part in parts:
            order = part.order
            steps = [order.placed_at, order.paid_at, part.created_at, part.accepted_at, part.packed_at,
                     part.shipped_at, part.delivered_at]
            steps = [step for step in steps if step is not None]
            assert steps == sorted(steps) and steps[-1] <= now, part.reference
            assert part.created_at == order.paid_at
            if part.status == SellerOrder.Status.DECLINED:
                assert order.paid_at < part.declined_at <= now and part.decline_reason
                assert part.refund_state == RefundState.SENT and part.refunded == part.total
                assert order.refunded >= part.total
            if part.status in (SellerOrder.Status.SHIPPED, SellerOrder.Status.DELIVERED):
                assert part.carrier and part.tracking_number and part.packed_weight_grams and part.parcels
            if part.status == SellerOrder.Status.DELIVERED:
                assert part.payout.delivered_at == part.delivered_at
                assert part.payout.paid_at is None or part.delivered_at < part.payout.paid_at <= now
            else:
                assert not hasattr(part, "payout")
        assert not _history().filter(status=Order.Status.CANCELLED).exclude(cancelled_at=F("pay_by")).exists()
        assert not SellerOrder.objects.filter(order__status=Order.Status.CANCELLED, order__in=_history()).exists()
        delivered = parts.filter(status=SellerOrder.Status.DELIVERED).first()
        entry = ModelLogEntry.objects.get(object_id=str(delivered.pk), action="marketplace.seller_order_deliver",
                                          content_type__model="sellerorder")
        assert entry.timestamp == delivered.delivered_at

    def test_the_history_leaves_nothing_in_the_outbox_to_send_later(self, seeded):
        from demo.seed import _ensure_order_history
        from outbox.models import OutboxMessage

        _history_delete()
        before = OutboxMessage.objects.count()
        assert _ensure_order_history(months=2) > 0
        assert OutboxMessage.objects.count() == before  # no email to invented buyers waits for the relay

    def test_the_history_leaves_the_stock_as_it_found_it(self, seeded):
        from demo.seed import _ensure_order_history

        _history_delete()
        stock = dict(Product.objects.values_list("pk", "stock"))
        assert _ensure_order_history(months=2) > 30
        assert dict(Product.objects.values_list("pk", "stock")) == stock

    def test_running_it_again_adds_no_orders(self, seeded):
        from marketplace.orders.models import Order, SellerOrder
        from marketplace.payouts.models import SellerPayout

        counts = (Order.objects.count(), SellerOrder.objects.count(), SellerPayout.objects.count())
        output = io.StringIO()
        call_command("seed_demo", "--products", "45", stdout=output)
        assert (Order.objects.count(), SellerOrder.objects.count(), SellerPayout.objects.count()) == counts
        assert "0 past orders added" in output.getvalue()

    def test_no_history_with_zero_months(self, seeded):
        _history_delete()
        call_command("seed_demo", "--products", "45", "--history-months", "0", stdout=io.StringIO())
        assert not _history().exists()


class TestSeedDemoTransfersAndLevels:
    def test_sample_bank_accounts_say_they_are_samples_and_name_their_currencies(self, seeded):
        accounts = list(BankAccount.objects.all())
        assert {tuple(account.currency_list) for account in accounts} == {("MAD",), ("EUR",)}
        assert all("SAMPLE" in account.bank_name for account in accounts)

    def test_label_levels_are_named_in_three_languages(self, seeded):
        gold = LabelLevel.objects.get(scheme__code="LNA", name="Gold")
        assert (gold.name_fr, gold.name_ar) == ("Or", "ذهبي")


def test_the_demo_has_cross_border_orders_of_each_kind(seeded):
    from customs.models import DestinationRule
    from marketplace.orders.models import Order

    assert DestinationRule.objects.filter(is_sample=True).count() >= 4
    abroad = Order.objects.exclude(customs_rule_code="").filter(status=Order.Status.PAID)
    parts = {(part.order.ship_country, part.incoterm, part.collection_scheme)
             for order in abroad for part in order.seller_orders.select_related("order")}
    assert ("FR", "DDP", "ioss") in parts and ("FR", "DAP", "") in parts and ("US", "DDP", "") in parts
    dap = abroad.filter(ship_country="FR", incoterm="DAP", charges_due__gt=0).first()
    assert dap is not None and dap.charges.filter(collected_now=False).exists()


class TestSeedDemoProductSafety:
    def test_every_demo_product_has_what_an_eu_offer_needs_and_two_products_are_reported(self, seeded):
        missing = products_safety_missing(Product.objects.select_related("seller"))
        assert missing and not any(missing.values())
        assert sorted(Notice.objects.values_list("status", flat=True)) == ["no_action", "received"]


def test_the_commercial_invoice_of_a_demo_order_carries_origin_hs_edition_incoterm_and_ioss(seeded):
    import io

    from pypdf import PdfReader

    from marketplace.orders.documents import commercial_invoice_pdf
    from marketplace.orders.models import SellerOrder

    part = (SellerOrder.objects.filter(order__ship_country="FR", incoterm="DDP", collection_scheme="ioss",
                                       order__customs_rule_code="EU").select_related("order").first())
    assert part is not None and part.collection_number.startswith("IM")
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(commercial_invoice_pdf(part))).pages)
    line = part.lines.first()
    assert "preferential origin" in text and "The exporter of the products covered by this document" in text
    assert line.hs_code in text and "HS2022" in text
    assert "DDP" in text and part.collection_number in text


def test_the_demo_has_a_returned_order_refunded_with_its_stock_back(seeded):
    from marketplace.returns.models import ReturnRequest

    returned = ReturnRequest.objects.select_related("seller_order__order").get()
    assert returned.status == ReturnRequest.Status.REFUNDED and returned.legal_withdrawal
    assert returned.seller_order.order.ship_country == "FR"
    assert 0 < returned.seller_order.refunded < returned.seller_order.total


class TestRowsWrittenInBulk:
    def test_a_column_the_model_lacks_is_refused_and_nothing_is_written(self, seeded):
        [new_id] = ids_allocate(Product.materials.through, 1)
        with pytest.raises(ValueError, match="colour"):
            rows_insert(Product.materials.through, [{"id": new_id, "product_id": 1, "material_id": 1, "colour": "red"}])
        assert not Product.materials.through.objects.filter(pk=new_id).exists()

    def test_new_keys_follow_the_existing_ones_and_defaults_fill_the_rest(self, seeded):
        product = Product.objects.order_by("pk").first()
        ids = ids_allocate(Product, 2)
        assert ids[0] > Product.objects.order_by("-pk").first().pk and ids[1] > ids[0]
        rows_insert(Product, [{"id": ids[0], "seller_id": product.seller_id, "price": product.price, "stock": 3,
                               "craft_id": product.craft_id, "origin_region_id": product.origin_region_id,
                               "weight_grams": 100, "hs_code": "6911.10", "created_at": timezone.now(),
                               "updated_at": timezone.now()}])
        written = Product.objects.get(pk=ids[0])
        assert written.stock == 3 and written.min_order_quantity == Product._meta.get_field("min_order_quantity").default
        assert written.hs_edition == Product._meta.get_field("hs_edition").get_default()
