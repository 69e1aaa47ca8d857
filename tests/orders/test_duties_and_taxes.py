"""Orders keep the duties and taxes they were placed with: per seller part, collected now (in the total)
or estimated for delivery, with the rule's version, figures and rate; a later change touches nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from customs.models import DestinationRule, DutyRate
from customs.services import duty_rates_refresh, sample_rules_load
from marketplace.orders.models import OrderCharge
from marketplace.orders.selectors import order_duties_view
from marketplace.orders.services import order_paid, order_split
from marketplace.payouts.services import payout_record
from marketplace.shipping.addresses import ShippingAddress
from tests.factories.catalog import eu_offer_ready, product_create, seller_pages
from tests.factories.orders import europe_zone, order_for, world_zone
from tests.factories.sellers import SellerFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ShippingAddress(name="Sam Lee", line1="350 Fifth Avenue", line2="", city="New York", region="NY",
                           postal_code="10118", country="US", phone="+1 212 736 3100")


@pytest.fixture
def catalogue(tree):
    sample_rules_load()
    duty_rates_refresh()
    europe_zone()
    world_zone()
    rug = product_create(seller_pages(tree, SellerFactory()), title="Rug", price="1000", stock=5)  # EUR 92.17
    lamp = product_create(seller_pages(tree, SellerFactory()), title="Lamp", craft="1.05.01", hs_code="9405.11",
                          price="2500", stock=5)  # EUR 230.41
    eu_offer_ready(rug, lamp)
    return {"rug": rug, "lamp": lamp}


def test_a_french_order_collects_the_rugs_vat_now_and_estimates_the_lamps_for_delivery(catalogue):
    order = order_for((catalogue["rug"], 1), (catalogue["lamp"], 1), currency="MAD", incoterm="DAP")
    rug_part = order.shipping_parts.get(seller=catalogue["rug"].seller)
    lamp_part = order.shipping_parts.get(seller=catalogue["lamp"].seller)
    assert (rug_part.incoterm, rug_part.collection_scheme) == ("DDP", "ioss")
    assert (lamp_part.incoterm, lamp_part.collection_scheme) == ("DAP", "")
    # 20% French VAT on the rug and its shipping (1000 + 250 for its 3 kg parcel), collected now.
    assert rug_part.charges_collected == (Decimal("1000") + rug_part.price) * Decimal("0.20")
    assert lamp_part.charges_collected == 0 and lamp_part.charges_due > 0
    assert order.total == order.subtotal + order.shipping + rug_part.charges_collected
    assert order.charges_due == lamp_part.charges_due
    assert order.incoterm == "DAP" and order.customs_rule_code == "EU"
    assert order.customs_rule_snapshot["tax_collection_threshold"] == "150.00"
    assert order.customs_rate == pytest.approx(Decimal(1) / Decimal("10.85"))
    kinds = set(order.charges.values_list("kind", "collected_now"))
    assert kinds == {("tax", True), ("flat_duty", True), ("tax", False), ("duty", False), ("handling", False)}


def test_ddp_collects_everything_and_the_paid_parts_carry_it_apart_from_the_sellers_goods(catalogue):
    order = order_for((catalogue["rug"], 1), (catalogue["lamp"], 1), currency="EUR", incoterm="DDP")
    assert order.charges_due == 0 and order.charges_collected > 0
    order_paid(order=order, amount=order.total, currency="EUR")
    parts = {part.seller_id: part for part in order_split(order=order)}
    lamp_part = parts[catalogue["lamp"].seller_id]
    assert lamp_part.incoterm == "DDP"
    assert lamp_part.total == lamp_part.subtotal + lamp_part.shipping + lamp_part.charges_collected
    assert sum(part.total for part in parts.values()) == order.total
    lamp_part.status = lamp_part.Status.DELIVERED
    lamp_part.save()
    payout = payout_record(seller_order=lamp_part)
    # The seller is paid for its goods and shipping, never for the duties and taxes the marketplace remits.
    assert payout.products + payout.shipping <= lamp_part.subtotal_base + lamp_part.shipping_base


def test_a_rate_or_rule_changed_after_the_order_changes_nothing_on_it(catalogue):
    order = order_for((catalogue["rug"], 1), currency="EUR", incoterm="DDP")
    before = list(order.charges.values_list("kind", "rate", "amount", "collected_now"))
    total, version = order.total, order.customs_rule_version
    rule = DestinationRule.objects.get(code="EU")
    rule.tax_rates.filter(country="FR").update(rate=Decimal("25"))
    rule.tax_collection_threshold = Decimal("10")
    rule.save()
    DutyRate.objects.update(rate=Decimal("50"))
    order.refresh_from_db()
    assert list(order.charges.values_list("kind", "rate", "amount", "collected_now")) == before
    assert order.total == total and order.customs_rule_version == version
    assert DestinationRule.objects.get(code="EU").version == version + 1
    view = order_duties_view(order)
    assert view.collected == order.charges_collected and all(row.collected_now for row in view.rows)
    # A new order meets the new rule.
    again = order_for((catalogue["rug"], 1), currency="EUR", incoterm="DAP")
    assert again.charges.get(kind=OrderCharge.Kind.TAX).rate == Decimal("25")


def test_a_united_states_order_has_no_de_minimis_but_fta_origin_enters_duty_free(catalogue):
    order = order_for((catalogue["rug"], 1), currency="USD", address=NEW_YORK, incoterm="DDP")
    (duty,) = order.charges.filter(kind=OrderCharge.Kind.DUTY)
    assert duty.preferential and duty.amount == 0
    assert not order.charges.filter(kind=OrderCharge.Kind.TAX).exists()
    assert order.total == order.subtotal + order.shipping


def test_a_destination_without_rules_is_dap_with_no_charges(catalogue):
    tokyo = ShippingAddress(name="Aiko Sato", line1="1-1 Marunouchi", line2="", city="Chiyoda-ku", region="Tokyo",
                            postal_code="100-0005", country="JP", phone="+81 3 1234 5678")
    order = order_for((catalogue["rug"], 1), currency="EUR", address=tokyo, incoterm="DDP")
    assert order.incoterm == "DAP" and not order.charges.exists() and order.customs_rule_code == ""
    assert not order_duties_view(order).known


def test_the_confirmation_email_lists_each_charge_and_whether_it_is_collected_now(
        catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_for((catalogue["rug"], 1), (catalogue["lamp"], 1), currency="EUR", provider="offline", incoterm="DAP")
    body = mail.outbox[-1].body
    assert "VAT 20 %" in body and "collected now" in body and "estimated, due on delivery" in body
    assert "Import One-Stop Shop" in body


def test_the_order_page_shows_the_same_figures_as_were_stored(client, catalogue):
    order = order_for((catalogue["rug"], 1), (catalogue["lamp"], 1), currency="EUR", incoterm="DAP")
    page = client.get(f"/en/orders/{order.reference}/{order.access_token}/").content.decode()
    for charge in order.charges.all():
        assert f"{charge.amount}" in page.replace(",", "") or f"{charge.amount:,}" in page
    assert "data-charges-due" in page and "data-charges-collected" in page


def test_the_order_json_gives_the_same_figures(client, catalogue):
    order = order_for((catalogue["rug"], 1), (catalogue["lamp"], 1), currency="EUR", incoterm="DAP")
    data = client.get(reverse("order_detail_json", args=[order.reference, order.access_token])).json()
    assert data["total"] == str(order.total) and data["incoterm"] == "DAP"
    assert data["collected_now"] == str(order.charges_collected)
    assert data["due_on_delivery_estimate"] == str(order.charges_due)
    assert sorted(row["amount"] for row in data["duties_and_taxes"]) == sorted(
        str(amount) for amount in order.charges.values_list("amount", flat=True))
    assert {row["collected_now"] for row in data["duties_and_taxes"]} == {True, False}
    assert data["destination_rule"]["code"] == "EU"
