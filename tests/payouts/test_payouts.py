"""Paying sellers: each delivered seller order owes its seller the products less the platform's commission,
plus the shipping; staff see a month's payouts with totals and a CSV export, and pay them by a Stripe
Connect transfer (against the local Stripe stand-in), once, or record a bank transfer."""

import copy
import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from currency.selectors import money_round
from marketplace.orders.models import SellerOrder
from marketplace.orders.services import order_paid
from marketplace.payments.interface import payment_provider
from marketplace.payouts.models import SellerPayout, SellerPayoutAccount
from marketplace.payouts.selectors import payout_totals_by_seller, payouts_for_period
from marketplace.payouts.services import payout_mark_paid, payout_record, payout_transfer
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import product_create, seller_pages
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory
from tests.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db

JAN_31_LATE = datetime(2025, 1, 31, 23, 30, tzinfo=UTC)
FEB_1 = datetime(2025, 2, 1, 0, 0, tzinfo=UTC)
FEB_10 = datetime(2025, 2, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def pool(tree):
    """Two sellers with one product each, prices in the base currency (MAD)."""
    europe_zone()
    rug = product_create(seller_pages(tree, SellerFactory(legal_name="Atlas Weavers")), title="Rug", price="1037.45",
                         stock=10_000)
    plate = product_create(seller_pages(tree, SellerFactory(legal_name="Safi Potters")), title="Plate",
                           craft="1.03.02", hs_code="6912.00", price="99.99", stock=10_000)
    return {"rug": rug, "plate": plate}


def delivered(*product_quantities, at=FEB_10, currency="EUR") -> list[SellerOrder]:
    """An order placed and paid through the services, split into its sellers' parts, each then marked
    delivered (the deliver action is another's work)."""
    order = order_for(*product_quantities, currency=currency)
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    parts = list(order.seller_orders.order_by("reference"))
    assert parts
    SellerOrder.objects.filter(pk__in=[part.pk for part in parts]).update(
        status=SellerOrder.Status.DELIVERED, delivered_at=at)
    for part in parts:
        part.refresh_from_db()
    return parts


def recorded(*product_quantities, at=FEB_10) -> list[SellerPayout]:
    return [payout_record(seller_order=part) for part in delivered(*product_quantities, at=at)]


@pytest.fixture
def staff():
    user = UserFactory(username="chamber")
    user.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def member(pool):
    """A member of a seller, who may use the admin (its workspace) but not see payouts."""
    user = SellerMemberFactory(seller=pool["rug"].seller).user
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def refused(response) -> bool:
    """Wagtail's admin answers a permission error with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


@pytest.fixture
def stripe_api(settings):
    with StripeStandIn() as standin:
        settings.PAYMENT_PROVIDERS = {
            "stripe": {"BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
                       "OPTIONS": {"SECRET_KEY": "sk_test_standin", "WEBHOOK_SECRET": "whsec_test",
                                   "API_BASE": standin.url, "NETWORK_RETRIES": 0}},
            "offline": copy.deepcopy(django_settings.PAYMENT_PROVIDERS["offline"]),
        }
        yield standin


def connected(seller, reference="acct_1AtlasWeavers") -> SellerPayoutAccount:
    return SellerPayoutAccount.objects.create(seller=seller, provider="stripe", account_reference=reference)


def refreshed(payout: SellerPayout) -> SellerPayout:
    payout.refresh_from_db()
    return payout


class TestWhatIsOwed:
    def test_products_less_the_commission_plus_shipping_in_the_base_currency(self, pool, settings):
        settings.PLATFORM_COMMISSION_RATE = Decimal("0.10")
        [part] = delivered((pool["rug"], 1))
        payout = payout_record(seller_order=part)
        assert part.subtotal_base == Decimal("1037.45") and part.shipping_base > 0
        # 10% of 1037.45 is 103.745, rounded half up to the dirham's centime.
        assert payout.commission == Decimal("103.75")
        assert payout.amount == Decimal("1037.45") - Decimal("103.75") + part.shipping_base
        assert (payout.currency, payout.products, payout.shipping) == ("MAD", part.subtotal_base, part.shipping_base)
        assert payout.commission_rate == Decimal("0.10") and payout.delivered_at == FEB_10
        assert payout.seller == pool["rug"].seller and payout.status == SellerPayout.Status.OWED

    def test_the_rate_is_read_when_recorded_and_kept_on_the_payout(self, pool, settings):
        first, second = delivered((pool["rug"], 1)), delivered((pool["rug"], 2))
        settings.PLATFORM_COMMISSION_RATE = Decimal("0.125")
        payout = payout_record(seller_order=first[0])
        assert payout.commission_rate == Decimal("0.125") and payout.commission == Decimal("129.68")  # 129.68125
        settings.PLATFORM_COMMISSION_RATE = Decimal("0.08")
        assert payout_record(seller_order=first[0]).commission == Decimal("129.68")  # unchanged once recorded
        assert payout_record(seller_order=second[0]).commission == Decimal("165.99")  # 8% of 2074.90 = 165.992

    def test_a_zero_decimal_base_currency_rounds_to_whole_francs(self, tree, settings):
        settings.MARKETPLACE_BASE_CURRENCY = "XAF"
        settings.PLATFORM_COMMISSION_RATE = Decimal("0.10")
        europe_zone()
        mask = product_create(seller_pages(tree, SellerFactory()), title="Mask", price="25005", stock=10)
        [part] = delivered((mask, 1), currency="XAF")
        payout = payout_record(seller_order=part)
        assert payout.currency == "XAF"
        assert payout.commission == Decimal("2501")  # 2500.5 rounded half up
        assert payout.amount == Decimal("25005") - Decimal("2501") + part.shipping_base
        assert payout.amount == money_round(payout.amount, "XAF")

    def test_recording_twice_returns_the_same_payout(self, pool):
        [part] = delivered((pool["rug"], 1))
        assert payout_record(seller_order=part).pk == payout_record(seller_order=part).pk
        assert SellerPayout.objects.count() == 1

    def test_a_seller_order_not_delivered_owes_nothing_yet(self, pool):
        [part] = delivered((pool["rug"], 1))
        SellerOrder.objects.filter(pk=part.pk).update(status=SellerOrder.Status.SHIPPED)
        part.refresh_from_db()
        with pytest.raises(ValidationError, match="delivered"):
            payout_record(seller_order=part)
        assert not SellerPayout.objects.exists()

    def test_without_a_delivery_time_the_payout_is_dated_now(self, pool):
        [part] = delivered((pool["rug"], 1))
        part.delivered_at = None
        assert payout_record(seller_order=part, now=FEB_1).delivered_at == FEB_1

    def test_a_commission_rate_outside_zero_to_one_is_a_configuration_error(self, pool, settings):
        [part] = delivered((pool["rug"], 1))
        settings.PLATFORM_COMMISSION_RATE = Decimal("1.5")
        with pytest.raises(ImproperlyConfigured):
            payout_record(seller_order=part)


class TestPeriodsAndTotals:
    def test_a_delivery_on_the_31st_is_in_january_and_one_on_the_1st_in_february(self, pool):
        [january] = recorded((pool["rug"], 1), at=JAN_31_LATE)
        [february] = recorded((pool["rug"], 1), at=FEB_1)
        assert list(payouts_for_period(start=date(2025, 1, 1), end=date(2025, 2, 1))) == [january]
        assert list(payouts_for_period(start=date(2025, 2, 1), end=date(2025, 3, 1))) == [february]
        assert list(payouts_for_period(start=date(2025, 1, 1), end=date(2025, 3, 1))) == [january, february]

    def test_filters_by_seller_and_status(self, pool, staff):
        rug, plate = recorded((pool["rug"], 1), (pool["plate"], 2))
        payout_mark_paid(payout=plate, by=staff)
        period = {"start": date(2025, 2, 1), "end": date(2025, 3, 1)}
        assert list(payouts_for_period(**period, seller=pool["rug"].seller)) == [rug]
        assert list(payouts_for_period(**period, status=SellerPayout.Status.PAID)) == [plate]
        assert list(payouts_for_period(**period, seller=pool["rug"].seller, status=SellerPayout.Status.PAID)) == []

    def test_totals_per_seller_are_the_sums_of_its_rows(self, pool):
        for quantities in ((1, 2), (3, 0), (2, 5)):
            recorded(*[(product, quantity) for product, quantity in zip((pool["rug"], pool["plate"]), quantities,
                                                                        strict=True) if quantity])
        payouts = payouts_for_period(start=date(2025, 2, 1), end=date(2025, 3, 1))
        rows = list(payouts)
        totals = payout_totals_by_seller(payouts)
        assert [line.seller_name for line in totals] == ["Atlas Weavers", "Safi Potters"]
        for line in totals:
            mine = [payout for payout in rows if payout.seller_id == line.seller_id]
            assert line.count == len(mine) and line.currency == "MAD"
            for name in ("products", "commission", "shipping", "amount"):
                assert getattr(line, name) == sum((getattr(payout, name) for payout in mine), Decimal(0))
        assert [line.count for line in totals] == [3, 2]
        # The same from a list of loaded payouts as from the queryset.
        assert payout_totals_by_seller(rows) == totals


class TestTransferToConnectedAccount:
    def test_the_amount_goes_to_the_sellers_account_in_minor_units_with_a_key(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        result = payout_transfer(payout=payout, by=staff, now=FEB_10)
        [sent] = stripe_api.requests_to("POST", "/v1/transfers")
        assert int(sent["amount"]) == int(payout.amount * 100) and sent["currency"] == "mad"
        assert sent["destination"] == "acct_1AtlasWeavers"
        assert ("/v1/transfers", f"payout-{payout.seller_order.reference}-1") in stripe_api.idempotency_keys
        [transfer] = stripe_api.transfers.values()
        assert result.status == SellerPayout.Status.TRANSFERRED and result.transfer_reference == transfer["id"]
        assert refreshed(payout).status == SellerPayout.Status.TRANSFERRED
        assert (payout.paid_at, payout.paid_by, payout.transfer_reference) == (FEB_10, "chamber", transfer["id"])
        assert ModelLogEntry.objects.filter(action="marketplace.payout_transfer", object_id=str(payout.pk)).exists()

    def test_a_failed_transfer_is_recorded_and_a_retry_pays_once(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        stripe_api.fail_next(402)
        result = payout_transfer(payout=payout, by=staff)
        assert result.status == SellerPayout.Status.FAILED and "declined" in result.error
        assert refreshed(payout).status == SellerPayout.Status.FAILED and not stripe_api.transfers
        # Stripe would replay its answer for the same key: after a clear refusal the retry asks under a new one.
        assert payout_transfer(payout=payout, by=staff).status == SellerPayout.Status.TRANSFERRED
        assert len(stripe_api.transfers) == 1
        assert [key for path, key in stripe_api.idempotency_keys if path == "/v1/transfers"] == [
            f"payout-{payout.seller_order.reference}-1", f"payout-{payout.seller_order.reference}-2"]
        assert refreshed(payout).error == ""

    def test_a_server_error_leaves_it_being_transferred_until_staff_check_the_dashboard(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        stripe_api.fail_next(500)
        result = payout_transfer(payout=payout, by=staff)
        assert result.status == SellerPayout.Status.SENDING and "dashboard" in refreshed(payout).error
        with pytest.raises(ValidationError):  # never asked again under a new key
            payout_transfer(payout=payout, by=staff)
        assert not stripe_api.transfers
        assert payout_mark_paid(payout=payout, by=staff, reference="tr_seen_in_dashboard").status == SellerPayout.Status.PAID

    def test_an_account_stripe_does_not_know_fails_with_stripes_message(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller, reference="acct-typo")
        result = payout_transfer(payout=payout, by=staff)
        assert result.status == SellerPayout.Status.FAILED and "No such destination" in result.error
        assert len(result.error) <= 300

    def test_a_payout_is_never_transferred_twice(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        payout_transfer(payout=payout, by=staff)
        with pytest.raises(ValidationError, match="transferred"):
            payout_transfer(payout=payout, by=staff)
        with pytest.raises(ValidationError):
            payout_mark_paid(payout=payout, by=staff)
        assert len(stripe_api.transfers) == 1

    def test_a_payout_claimed_by_another_click_is_not_sent(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        SellerPayout.objects.filter(pk=payout.pk).update(status=SellerPayout.Status.SENDING)
        with pytest.raises(ValidationError, match="being transferred"):
            payout_transfer(payout=payout, by=staff)  # the object still says "owed"
        assert not stripe_api.requests_to("POST", "/v1/transfers")

    def test_a_crash_during_the_call_leaves_it_being_transferred_and_never_resent(self, pool, stripe_api, staff,
                                                                                  monkeypatch):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)

        def crash(**kwargs):
            raise RuntimeError("worker killed")

        monkeypatch.setattr(payment_provider("stripe"), "transfer", crash)
        with pytest.raises(RuntimeError):
            payout_transfer(payout=payout, by=staff)
        assert refreshed(payout).status == SellerPayout.Status.SENDING
        monkeypatch.undo()
        with pytest.raises(ValidationError):
            payout_transfer(payout=payout, by=staff)
        assert not stripe_api.transfers

    def test_without_a_connected_account_staff_pay_by_bank(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        with pytest.raises(ValidationError, match="no connected account"):
            payout_transfer(payout=payout, by=staff)
        SellerPayoutAccount.objects.create(seller=pool["rug"].seller, provider="offline", account_reference="IBAN")
        with pytest.raises(ValidationError, match="no connected account"):
            payout_transfer(payout=payout, by=staff)  # the offline provider cannot transfer
        assert refreshed(payout).status == SellerPayout.Status.OWED and not stripe_api.requests

    def test_only_staff_may_transfer(self, pool, stripe_api, member):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        with pytest.raises(PermissionDenied):
            payout_transfer(payout=payout, by=member)
        assert refreshed(payout).status == SellerPayout.Status.OWED and not stripe_api.requests


class TestRecordedAsPaid:
    def test_staff_record_a_bank_transfer(self, pool, staff):
        [payout] = recorded((pool["rug"], 1))
        payout_mark_paid(payout=payout, by=staff, reference="  VIR-2025-0042 ", now=FEB_10)
        assert refreshed(payout).status == SellerPayout.Status.PAID
        assert (payout.transfer_reference, payout.paid_at, payout.paid_by) == ("VIR-2025-0042", FEB_10, "chamber")
        assert ModelLogEntry.objects.filter(action="marketplace.payout_paid", object_id=str(payout.pk)).exists()
        with pytest.raises(ValidationError, match="paid by the chamber"):
            payout_mark_paid(payout=payout, by=staff)

    def test_a_failed_transfer_can_be_paid_by_bank_instead(self, pool, stripe_api, staff):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller, reference="acct-typo")
        payout_transfer(payout=payout, by=staff)
        assert payout_mark_paid(payout=payout, by=staff).status == SellerPayout.Status.PAID

    def test_only_staff_may_record(self, pool, member):
        [payout] = recorded((pool["rug"], 1))
        with pytest.raises(PermissionDenied):
            payout_mark_paid(payout=payout, by=member)
        assert refreshed(payout).status == SellerPayout.Status.OWED


def report(client, **params):
    return client.get(reverse("payouts:index"), {"month": "2025-02", **params})


class TestReport:
    def test_staff_see_the_months_payouts_and_totals_per_seller(self, pool, staff_client):
        rug, plate = recorded((pool["rug"], 1), (pool["plate"], 2))
        [january] = recorded((pool["rug"], 3), at=JAN_31_LATE)
        response = report(staff_client)
        assert response.status_code == 200
        page = response.content.decode()
        assert rug.seller_order.reference in page and plate.seller_order.reference in page
        assert january.seller_order.reference not in page
        assert "data-payout-totals" in page and "Atlas Weavers" in page and "All sellers" in page
        [atlas, safi] = response.context["totals"]
        assert (atlas.count, atlas.amount, safi.amount) == (1, rug.amount, plate.amount)

    def test_a_month_that_is_not_one_is_refused_and_the_current_month_shown(self, pool, staff_client):
        response = staff_client.get(reverse("payouts:index"), {"month": "2025-13"})
        assert response.status_code == 200 and "Enter a month such as 2025-01." in response.content.decode()
        assert response.context["view"].month == timezone.localdate().replace(day=1)

    def test_the_current_month_is_shown_by_default(self, pool, staff_client):
        [now_payout] = recorded((pool["rug"], 1), at=timezone.now())
        [old] = recorded((pool["rug"], 1), at=timezone.now() - timedelta(days=70))
        page = staff_client.get(reverse("payouts:index")).content.decode()
        assert now_payout.seller_order.reference in page and old.seller_order.reference not in page

    def test_filters_by_status(self, pool, staff, staff_client):
        rug, plate = recorded((pool["rug"], 1), (pool["plate"], 2))
        payout_mark_paid(payout=plate, by=staff)
        page = report(staff_client, status="owed").content.decode()
        assert rug.seller_order.reference in page and plate.seller_order.reference not in page

    def test_csv_export_has_a_header_and_one_row_per_payout(self, pool, staff_client):
        payouts = recorded((pool["rug"], 1), (pool["plate"], 2))
        response = report(staff_client, export="csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert 'filename="payouts-2025-02.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0][:4] == ["Seller", "Seller order", "Delivered", "Products"]
        assert "Amount owed" in rows[0] and "Status" in rows[0]
        assert len(rows) == 1 + len(payouts)
        by_reference = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        for payout in payouts:
            row = by_reference[payout.seller_order.reference]
            assert row["Seller"] == payout.seller.legal_name
            assert Decimal(row["Amount owed"]) == payout.amount and Decimal(row["Commission"]) == payout.commission
            assert row["Status"] == "owed" and row["Currency"] == "MAD"

    def test_xlsx_export_answers_a_workbook(self, pool, staff_client):
        recorded((pool["rug"], 1))
        response = report(staff_client, export="xlsx")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")

    def test_sellers_cannot_see_payouts(self, pool, client, member):
        recorded((pool["rug"], 1))
        client.force_login(member)
        assert refused(report(client)) and refused(report(client, export="csv"))

    def test_queries_do_not_grow_with_the_number_of_payouts(self, pool, staff, staff_client, stripe_api):
        connected(pool["rug"].seller)
        for _ in range(3):
            recorded((pool["rug"], 1))
        report(staff_client)  # warm the caches of content types, permissions, sites
        with CaptureQueriesContext(connection) as three:
            assert len(report(staff_client).context["object_list"]) == 3
        for _ in range(3):
            recorded((pool["rug"], 1), (pool["plate"], 1))  # the plate's seller has no connected account
            recorded((pool["rug"], 2))
        payout_mark_paid(payout=SellerPayout.objects.first(), by=staff)
        with CaptureQueriesContext(connection) as twelve:
            assert len(report(staff_client).context["object_list"]) == 12
        assert len(twelve) <= len(three), [query["sql"] for query in twelve.captured_queries]

    def test_the_payouts_menu_is_shown_to_staff_only(self, pool, client, staff_client, member):
        assert "Payouts" in staff_client.get(reverse("wagtailadmin_home")).content.decode()
        client.force_login(member)
        assert "Payouts" not in client.get(reverse("wagtailadmin_home")).content.decode()


class TestPayingFromTheReport:
    def test_staff_transfer_from_a_confirmation_page(self, pool, stripe_api, staff_client):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        assert reverse("payouts:transfer", args=[payout.pk]) in report(staff_client).content.decode()
        page = staff_client.get(reverse("payouts:transfer", args=[payout.pk]))
        assert page.status_code == 200 and "acct_1AtlasWeavers" in page.content.decode()
        back = reverse("payouts:index") + "?month=2025-02"
        response = staff_client.post(reverse("payouts:transfer", args=[payout.pk]), {"next": back}, follow=True)
        assert response.redirect_chain[-1][0] == back
        assert "transferred to Atlas Weavers" in response.content.decode()
        assert refreshed(payout).status == SellerPayout.Status.TRANSFERRED and len(stripe_api.transfers) == 1
        response = staff_client.post(reverse("payouts:transfer", args=[payout.pk]), {"next": back}, follow=True)
        assert "this one is transferred" in response.content.decode()
        assert "Transfer to connected account" not in staff_client.get(
            reverse("payouts:transfer", args=[payout.pk])).content.decode()
        assert len(stripe_api.transfers) == 1

    def test_a_failed_transfer_is_told(self, pool, stripe_api, staff_client):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        stripe_api.fail_next(402)
        response = staff_client.post(reverse("payouts:transfer", args=[payout.pk]), follow=True)
        assert "The transfer to Atlas Weavers failed" in response.content.decode()
        assert refreshed(payout).status == SellerPayout.Status.FAILED

    def test_no_transfer_button_without_a_connected_account(self, pool, staff_client):
        [payout] = recorded((pool["rug"], 1))
        page = report(staff_client).content.decode()
        assert reverse("payouts:transfer", args=[payout.pk]) not in page
        assert reverse("payouts:mark_paid", args=[payout.pk]) in page

    def test_staff_record_a_bank_transfer(self, pool, staff_client):
        [payout] = recorded((pool["rug"], 1))
        assert staff_client.get(reverse("payouts:mark_paid", args=[payout.pk])).status_code == 200
        response = staff_client.post(reverse("payouts:mark_paid", args=[payout.pk]), {"reference": "VIR-7"},
                                     follow=True)
        assert "recorded as paid" in response.content.decode()
        assert refreshed(payout).status == SellerPayout.Status.PAID and payout.transfer_reference == "VIR-7"

    def test_sellers_cannot_pay_themselves(self, pool, stripe_api, client, member):
        [payout] = recorded((pool["rug"], 1))
        connected(pool["rug"].seller)
        client.force_login(member)
        for name in ("payouts:transfer", "payouts:mark_paid"):
            assert refused(client.post(reverse(name, args=[payout.pk]), {"reference": "mine"}))
        assert refreshed(payout).status == SellerPayout.Status.OWED and not stripe_api.requests


class TestPayoutAccounts:
    def test_staff_add_a_sellers_stripe_account(self, pool, stripe_api, staff_client):
        seller = pool["rug"].seller
        form = staff_client.get(reverse("payout_accounts:add")).content.decode()
        assert 'value="stripe"' in form and 'value="offline"' not in form  # only providers that transfer
        response = staff_client.post(reverse("payout_accounts:add"), {
            "seller": seller.pk, "provider": "stripe", "account_reference": " acct_1AtlasWeavers "})
        assert response.status_code == 302
        account = SellerPayoutAccount.objects.get(seller=seller)
        assert (account.provider, account.account_reference) == ("stripe", "acct_1AtlasWeavers")
        assert "acct_1AtlasWeavers" in staff_client.get(reverse("payout_accounts:index")).content.decode()

    def test_an_account_id_stripe_would_not_know_is_refused(self, pool, stripe_api, staff_client):
        response = staff_client.post(reverse("payout_accounts:add"), {
            "seller": pool["rug"].seller.pk, "provider": "stripe", "account_reference": "1234 5678"})
        assert response.status_code == 200 and "look like acct_" in response.content.decode()
        assert not SellerPayoutAccount.objects.exists()

    def test_sellers_cannot_manage_accounts(self, pool, client, member):
        client.force_login(member)
        assert refused(client.get(reverse("payout_accounts:index")))
        assert refused(client.get(reverse("payout_accounts:add")))

