"""The landed cost of a basket: the duties, taxes and fees each seller's consignment meets at its
destination, who pays them and when. Pure arithmetic over the destination rules; the caller stores
the result on the order, so that a rule changed later never changes a past order.

Each seller ships its own parcel, so each seller's part is a consignment of its own: its value
(the goods, without shipping, as customs count the "intrinsic value") decides the thresholds.
Amounts are computed in the base currency and converted to the buyer's at the order's rate, each
rounded to its currency's precision; thresholds compare the value in the rule's currency at the
stored exchange rates.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from currency.selectors import exchange_rate, money_round

from .duty_sources import duty_rate_source
from .models import CollectionScheme, DestinationRule, DestinationTaxRate, DutyRate, Incoterm
from .selectors import destination_rule_for, duty_rate_for, rules_changed, tax_rate_for

HUNDRED = Decimal(100)


class ChargeKind:
    TAX = "tax"
    DUTY = "duty"
    FLAT_DUTY = "flat_duty"
    HANDLING = "handling"
    # The tax a VAT-registered business accounts for itself: nothing charged, the line says why.
    REVERSE_CHARGE = "reverse"


@dataclass(frozen=True)
class ConsignmentLine:
    hs_code: str
    origin_country: str
    value: Decimal  # the line's goods, base currency


@dataclass(frozen=True)
class Consignment:
    key: object  # the seller's id
    lines: tuple[ConsignmentLine, ...]
    shipping: Decimal  # base currency


@dataclass(frozen=True)
class Charge:
    key: object
    kind: str
    amount_base: Decimal
    amount: Decimal  # in the buyer's currency
    collected_now: bool
    rate: Decimal | None = None  # percent, for ad valorem duty and tax
    hs_code: str = ""
    preferential: bool = False  # duty-free under a trade agreement, with a statement of origin
    rate_unknown: bool = False  # no duty rate listed for the HS code: customs assess it on delivery


@dataclass
class ConsignmentCost:
    key: object
    incoterm: str
    value_in_rule_currency: Decimal
    collection_scheme: str  # the scheme the tax collected at sale is declared under, "" when none
    charges: list[Charge] = field(default_factory=list)

    @property
    def collected_base(self) -> Decimal:
        return sum((c.amount_base for c in self.charges if c.collected_now), Decimal(0))

    @property
    def collected(self) -> Decimal:
        return sum((c.amount for c in self.charges if c.collected_now), Decimal(0))

    @property
    def due_base(self) -> Decimal:
        return sum((c.amount_base for c in self.charges if not c.collected_now), Decimal(0))

    @property
    def due(self) -> Decimal:
        return sum((c.amount for c in self.charges if not c.collected_now), Decimal(0))

    @property
    def unknown_duty(self) -> bool:
        return any(c.rate_unknown for c in self.charges)


@dataclass
class LandedCost:
    country: str
    currency: str
    rule: DestinationRule | None
    incoterm: str  # the buyer's choice, for the parts over the collection threshold
    customs_currency: str = ""
    customs_rate: Decimal | None = None  # units of the rule's currency per unit of the base currency
    tax_rate: Decimal | None = None
    consignments: list[ConsignmentCost] = field(default_factory=list)
    # The business buyer's VAT number when the destination's tax is its own to account for.
    reverse_charge_vat_number: str = ""

    @property
    def reverse_charge(self) -> bool:
        return bool(self.reverse_charge_vat_number)

    @property
    def known(self) -> bool:
        """Whether the destination has rules: without them, duties and taxes are the buyer's, unestimated."""
        return self.rule is not None

    @property
    def collected_base(self) -> Decimal:
        return sum((part.collected_base for part in self.consignments), Decimal(0))

    @property
    def collected(self) -> Decimal:
        return sum((part.collected for part in self.consignments), Decimal(0))

    @property
    def due_base(self) -> Decimal:
        return sum((part.due_base for part in self.consignments), Decimal(0))

    @property
    def due(self) -> Decimal:
        return sum((part.due for part in self.consignments), Decimal(0))

    @property
    def charges(self) -> list[Charge]:
        return [charge for part in self.consignments for charge in part.charges]

    def part(self, key) -> ConsignmentCost | None:
        return next((part for part in self.consignments if part.key == key), None)

    @property
    def choice_offered(self) -> bool:
        """Whether the buyer chooses DDP or DAP: some part is over the collection threshold and the
        destination lets buyers pay its duties and taxes at checkout."""
        return bool(self.rule and self.rule.ddp_offered
                    and any(not part.collection_scheme for part in self.consignments))

    @property
    def rule_version(self) -> int | None:
        return self.rule.version if self.rule else None


def consignments_of(product_quantities, quote, *, unit_prices: dict | None = None) -> list[Consignment]:
    """Each seller's part of a basket as the consignment customs see: its lines' HS codes, origins and
    values, and its shipping (base currency). ``product_quantities``: (catalog product, quantity);
    ``quote``: the shipping quote, one part per seller; ``unit_prices``: the price each product is sold
    at by product id (a trade buyer's wholesale price), else its retail price."""
    lines = {}
    unit_prices = unit_prices or {}
    for product, quantity in product_quantities:
        lines.setdefault(product.seller_id, []).append(
            ConsignmentLine(hs_code=product.hs_code, origin_country=product.seller.country,
                            value=unit_prices.get(product.pk, product.price) * quantity))
    return [Consignment(key=part.seller.pk, lines=tuple(lines.get(part.seller.pk, ())), shipping=part.price)
            for part in quote.parts]


def incoterm_clean(value: str | None) -> str:
    value = (value or "").upper()
    return value if value in Incoterm.values else Incoterm.DAP


def vat_number_country(vat_number: str) -> str:
    """The country a VAT number was issued by, from its prefix (Greece's EL is GR; Northern Ireland's XI
    is GB)."""
    prefix = (vat_number or "")[:2].upper()
    return {"EL": "GR", "XI": "GB"}.get(prefix, prefix)


def reverse_charge_applies(rule: DestinationRule | None, country: str, vat_number: str) -> bool:
    """Whether a business buyer with this (verified) VAT number accounts for the destination's tax itself:
    the destination lets VAT-registered businesses do so, and the number is of a country of it."""
    if rule is None or not rule.business_reverse_charge or not vat_number:
        return False
    return vat_number_country(vat_number) in rule.country_list and country.upper() in rule.country_list


def landed_cost(consignments, *, country: str, currency: str, rate: Decimal, incoterm: str = Incoterm.DAP,
                base_currency: str | None = None, business_buyer_vat_number: str = "") -> LandedCost:
    """The duties, taxes and fees of each consignment shipped to ``country``, in the base currency and
    in ``currency`` (``rate`` units of it per unit of the base currency).

    ``incoterm`` is the buyer's choice: DDP, every duty and tax collected at checkout; DAP, estimated
    and paid by the buyer on delivery (with the carrier's fee). A consignment within the destination's
    collection threshold always has its tax (and duty) collected at checkout, whatever the choice: the
    marketplace is the deemed supplier there (the EU's IOSS, the UK's GBP 135 rule).

    ``business_buyer_vat_number``: a verified trade buyer's valid VAT number. Where the destination lets
    VAT-registered businesses account for the import tax themselves (EU VAT Directive art. 201, the UK's
    postponed VAT accounting) and the number is of that destination, no tax is collected or estimated,
    at any value (IOSS and the UK's GBP 135 rule are for sales to consumers): each part carries a
    zero reverse-charge line instead, so the buyer reads why. Duties and fees apply as for anyone.
    """
    base_currency = base_currency or settings.MARKETPLACE_BASE_CURRENCY
    country = (country or "").upper()
    incoterm = incoterm_clean(incoterm)
    rule = destination_rule_for(country)
    result = LandedCost(country=country, currency=currency, rule=rule, incoterm=incoterm)
    if rule is None:
        result.incoterm = Incoterm.DAP
        result.consignments = [ConsignmentCost(key=c.key, incoterm=Incoterm.DAP, value_in_rule_currency=Decimal(0),
                                               collection_scheme="") for c in consignments]
        return result
    if not rule.ddp_offered:
        result.incoterm = Incoterm.DAP
    customs_rate = exchange_rate(base_currency, rule.currency)
    result.customs_currency, result.customs_rate = rule.currency, customs_rate
    result.tax_rate = tax_rate_for(rule, country)
    if reverse_charge_applies(rule, country, business_buyer_vat_number):
        result.reverse_charge_vat_number = business_buyer_vat_number
    for consignment in consignments:
        result.consignments.append(_consignment_cost(
            consignment, rule=rule, tax_rate=result.tax_rate, customs_rate=customs_rate, incoterm=result.incoterm,
            base_currency=base_currency, currency=currency, rate=rate, reverse_charge=result.reverse_charge))
    return result


def _consignment_cost(consignment: Consignment, *, rule, tax_rate, customs_rate, incoterm, base_currency,
                      currency, rate, reverse_charge: bool = False) -> ConsignmentCost:
    goods = sum((line.value for line in consignment.lines), Decimal(0))
    value = money_round(goods * customs_rate, rule.currency)
    # A business buyer's consignment is never a sale to a consumer the marketplace collects tax on.
    at_sale = (not reverse_charge and rule.tax_collection_threshold is not None
               and value <= rule.tax_collection_threshold)
    part_incoterm = Incoterm.DDP if at_sale else incoterm
    collected_now = part_incoterm == Incoterm.DDP
    cost = ConsignmentCost(key=consignment.key, incoterm=part_incoterm, value_in_rule_currency=value,
                           collection_scheme=rule.collection_scheme if at_sale else "")

    def charge(kind, amount_base, *, now=collected_now, **extra):
        amount_base = money_round(amount_base, base_currency)
        cost.charges.append(Charge(key=consignment.key, kind=kind, amount_base=amount_base,
                                   amount=money_round(amount_base * rate, currency), collected_now=now, **extra))
        return amount_base

    preferential_origins = set(rule.preferential_origin_list)
    tariff_lines = defaultdict(lambda: Decimal(0))  # (HS code, preferential) -> goods value
    for line in consignment.lines:
        hs_code = "".join(char for char in line.hs_code if char.isdigit())
        tariff_lines[(hs_code, line.origin_country.upper() in preferential_origins)] += line.value
    duties = Decimal(0)
    flat = rule.flat_duty_per_tariff_line is not None and value <= (rule.flat_duty_up_to or Decimal(0))
    relieved = rule.duty_de_minimis is not None and value <= rule.duty_de_minimis
    for (hs_code, preferential), line_value in sorted(tariff_lines.items()):
        if flat:
            duties += charge(ChargeKind.FLAT_DUTY, Decimal(0) if preferential else rule.flat_duty_per_tariff_line / customs_rate,
                             hs_code=hs_code, preferential=preferential)
        elif relieved:
            continue
        elif preferential:
            charge(ChargeKind.DUTY, Decimal(0), rate=Decimal(0), hs_code=hs_code, preferential=True)
        else:
            duty_rate = duty_rate_for(rule, hs_code)
            if duty_rate is None:  # not listed: the buyer pays what customs assess, on delivery
                charge(ChargeKind.DUTY, Decimal(0), now=False, hs_code=hs_code, rate_unknown=True)
                continue
            # Customs value: the goods and their share of the transport to the border.
            shipping_share = consignment.shipping * line_value / goods if goods else Decimal(0)
            duties += charge(ChargeKind.DUTY, (line_value + shipping_share) * duty_rate / HUNDRED,
                             rate=duty_rate, hs_code=hs_code)
    tax_relieved = not at_sale and rule.tax_de_minimis is not None and value <= rule.tax_de_minimis
    taxes = Decimal(0)
    if reverse_charge:
        if tax_rate > 0:
            charge(ChargeKind.REVERSE_CHARGE, Decimal(0), now=False, rate=tax_rate)
    elif tax_rate > 0 and not tax_relieved:
        # At sale the tax is on the price charged; at import on the customs value plus the duty.
        taxable = goods + consignment.shipping + (Decimal(0) if at_sale else duties)
        taxes = charge(ChargeKind.TAX, taxable * tax_rate / HUNDRED, rate=tax_rate)
    if not collected_now and rule.handling_fee and (duties + taxes > 0 or cost.unknown_duty):
        charge(ChargeKind.HANDLING, rule.handling_fee / customs_rate, now=False)
    return cost


def collection_number(scheme: str) -> str:
    """The marketplace's registration number for a collection scheme (settings; empty when unset)."""
    return {CollectionScheme.IOSS: settings.CUSTOMS_IOSS_NUMBER,
            CollectionScheme.UK_VAT: settings.CUSTOMS_UK_VAT_NUMBER}.get(scheme, "")


def duty_rates_refresh(source=None) -> int:
    """Load the duty rates of the source (CUSTOMS_DUTY_RATE_SOURCE) into the table; returns how many.
    Raises DutyRateSourceError, leaving the table as it was, when the source gives nothing usable."""
    sheet = (source or duty_rate_source()).fetch()
    count = 0
    with transaction.atomic():
        for destination, prefixes in sheet.rates.items():
            for prefix, value in prefixes.items():
                DutyRate.objects.update_or_create(
                    destination=destination, hs_prefix=prefix, hs_edition=sheet.hs_edition,
                    defaults={"rate": value, "source": f"{sheet.source}, {sheet.as_of:%Y-%m-%d}",
                              "is_sample": sheet.is_sample})
                count += 1
    return count


SAMPLE_RULES_FILE = "sample_rules.json"


def sample_rules_load() -> int:
    """Create the sample destination rules (ticked as samples) whose code is not in the table yet; a
    rule staff already have is left alone. Returns how many were created."""
    data = json.loads(Path(__file__).with_name(SAMPLE_RULES_FILE).read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for row in data["rules"]:
            if DestinationRule.objects.filter(code=row["code"]).exists():
                continue
            fields = {key: value for key, value in row.items() if key != "tax_rates"}
            for key in ("tax_rate", "tax_collection_threshold", "tax_de_minimis", "duty_de_minimis",
                        "flat_duty_per_tariff_line", "flat_duty_up_to", "origin_statement_limit", "handling_fee"):
                fields[key] = None if fields[key] is None else Decimal(fields[key])
            rule = DestinationRule(is_sample=True, **fields)
            rule.full_clean()
            rule.save()
            for country, value in row["tax_rates"].items():
                DestinationTaxRate.objects.create(rule=rule, country=country, rate=Decimal(value))
            created += 1
    rules_changed()
    return created
