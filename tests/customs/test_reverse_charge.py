"""landed_cost for a business buyer: with a VAT number of the destination where the rule lets VAT-registered
importers account for the tax (EU art. 201, UK postponed VAT accounting), no tax is collected or estimated,
whatever the value, and a zero reverse-charge line says why; duties still apply."""

from decimal import Decimal as D

import pytest

from currency.selectors import exchange_rate
from customs.display import duties_view
from customs.models import DestinationRule, Incoterm
from customs.services import ChargeKind, Consignment, ConsignmentLine, landed_cost, vat_number_country

pytestmark = pytest.mark.usefixtures("sample_rules")


def cost(country, value, *, vat_number="", incoterm=Incoterm.DDP, origin="CN"):
    consignment = Consignment(key=1, lines=(ConsignmentLine("6912.00", origin, D(value)),), shipping=D("200"))
    return landed_cost([consignment], country=country, currency="EUR", rate=exchange_rate("MAD", "EUR"),
                       incoterm=incoterm, business_buyer_vat_number=vat_number)


@pytest.mark.parametrize("value", ["500", "50000"])  # under and over the IOSS threshold (EUR 150)
def test_a_dutch_vat_number_shipping_to_france_pays_no_vat_but_the_duty(value):
    result = cost("FR", value, vat_number="NL004495445B01")
    kinds = {charge.kind for charge in result.charges}
    assert result.reverse_charge and ChargeKind.TAX not in kinds and ChargeKind.REVERSE_CHARGE in kinds
    assert all(charge.amount == 0 for charge in result.charges if charge.kind == ChargeKind.REVERSE_CHARGE)
    assert {ChargeKind.DUTY, ChargeKind.FLAT_DUTY} & kinds  # Chinese-origin goods: not preferential
    assert result.consignments[0].collection_scheme == ""  # never IOSS: a business, not a consumer
    view = duties_view(currency="EUR", known=True, incoterm=result.incoterm, charges=result.charges, parts=[],
                       seller_names={}, tax_name="VAT")
    row = next(row for row in view.rows if row.reverse_charge)
    assert "reverse charge" in row.label and row.status == "not charged: accounted for by the buyer"


@pytest.mark.parametrize("country, vat_number", [
    ("FR", ""),                 # no VAT number (or one not found valid: the caller passes none)
    ("US", "NL004495445B01"),   # outside the EU: the destination's own rules
    ("GB", "NL004495445B01"),   # an EU number in Britain
    ("FR", "GB980780684"),      # a British number in the EU
])
def test_no_reverse_charge_without_a_number_of_the_destination(country, vat_number):
    result = cost(country, "50000", vat_number=vat_number)
    assert not result.reverse_charge
    assert not any(charge.kind == ChargeKind.REVERSE_CHARGE for charge in result.charges)


def test_a_british_number_in_britain_is_reverse_charged():
    result = cost("GB", "50000", vat_number="GB980780684")
    assert result.reverse_charge and not any(charge.kind == ChargeKind.TAX for charge in result.charges)


def test_a_rule_that_does_not_allow_it_charges_vat_as_usual():
    rule = DestinationRule.objects.get(code="EU")
    rule.business_reverse_charge = False
    rule.save()
    result = cost("FR", "50000", vat_number="NL004495445B01")
    assert not result.reverse_charge and any(charge.kind == ChargeKind.TAX and charge.amount > 0
                                             for charge in result.charges)


def test_greek_and_northern_irish_prefixes_name_their_countries():
    assert vat_number_country("EL094259216") == "GR" and vat_number_country("XI980780684") == "GB"
