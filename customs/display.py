"""Duties and taxes as buyers read them: one line per charge, saying what it is, how much, and whether it
is collected now or estimated and due on delivery. Built from a fresh landed cost (basket, checkout)
or from what an order stored (order page, emails), so both read the same."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import CollectionScheme, Incoterm


@dataclass(frozen=True)
class ChargeRow:
    seller: str
    label: str
    amount: Decimal
    collected_now: bool
    rate_unknown: bool = False
    reverse_charge: bool = False

    @property
    def status(self) -> str:
        if self.reverse_charge:
            return _("not charged: accounted for by the buyer")
        if self.collected_now:
            return _("collected now")
        if self.rate_unknown:
            return _("assessed by customs, due on delivery")
        return _("estimated, due on delivery")


@dataclass(frozen=True)
class PartTerms:
    seller: str
    incoterm: str
    collection_scheme: str

    @property
    def explanation(self) -> str:
        if self.collection_scheme == CollectionScheme.IOSS:
            return _("VAT is collected with your payment under the EU's Import One-Stop Shop: nothing more to pay "
                     "on delivery.")
        if self.collection_scheme == CollectionScheme.UK_VAT:
            return _("UK VAT is collected with your payment: nothing more to pay on delivery.")
        if self.incoterm == Incoterm.DDP:
            return _("Duties and taxes are paid with your order; we pay them to customs.")
        return _("Duties and taxes are paid by you to the carrier on delivery; the amounts shown are an estimate.")


@dataclass
class DutiesView:
    currency: str
    known: bool  # whether the destination has rules (else duties and taxes, if any, are the buyer's on delivery)
    incoterm: str
    choice_offered: bool = False
    rows: list[ChargeRow] = field(default_factory=list)
    parts: list[PartTerms] = field(default_factory=list)
    collected: Decimal = Decimal(0)
    due: Decimal = Decimal(0)

    @property
    def anything_due(self) -> bool:
        return self.due > 0 or any(not row.collected_now and not row.reverse_charge for row in self.rows)


def _percent(rate: Decimal) -> str:
    return number_format(rate.normalize() if rate == rate.to_integral() else rate, use_l10n=True)


def charge_label(*, kind: str, rate, hs_code: str, preferential: bool, rate_unknown: bool, tax_name: str,
                 origin: str = "") -> str:
    code = hs_code[:4] + "." + hs_code[4:] if len(hs_code) > 4 else hs_code
    if kind == "reverse":
        return _("%(tax)s %(rate)s %%: reverse charge, the importing business accounts for it") % {
            "tax": tax_name or _("Tax"), "rate": _percent(rate or Decimal(0))}
    if kind == "tax":
        return _("%(tax)s %(rate)s %%") % {"tax": tax_name or _("Tax"), "rate": _percent(rate or Decimal(0))}
    if kind == "flat_duty":
        if preferential:
            return _("Flat duty, tariff line %(code)s: waived, preferential origin") % {"code": code}
        return _("Flat duty, tariff line %(code)s") % {"code": code}
    if kind == "duty":
        if preferential:
            return _("Import duty, %(code)s: 0 %% (preferential origin, with a statement of origin)") % {"code": code}
        if rate_unknown:
            return _("Import duty, %(code)s: as customs assess it") % {"code": code}
        return _("Import duty, %(code)s: %(rate)s %%") % {"code": code, "rate": _percent(rate or Decimal(0))}
    return _("Carrier's fee for collecting duties and taxes")


def duties_view(*, currency: str, known: bool, incoterm: str, charges, parts, seller_names: dict, tax_name: str,
                choice_offered: bool = False) -> DutiesView:
    """``charges``: objects with key or seller_id, kind, rate, hs_code, preferential, rate_unknown, amount,
    collected_now; ``parts``: (seller key, incoterm, collection scheme)."""
    view = DutiesView(currency=currency, known=known, incoterm=incoterm, choice_offered=choice_offered)
    for charge in charges:
        key = getattr(charge, "seller_id", None) or getattr(charge, "key", None)
        view.rows.append(ChargeRow(
            seller=seller_names.get(key, ""), amount=charge.amount, collected_now=charge.collected_now,
            rate_unknown=charge.rate_unknown, reverse_charge=charge.kind == "reverse",
            label=charge_label(kind=charge.kind, rate=charge.rate, hs_code=charge.hs_code,
                               preferential=charge.preferential, rate_unknown=charge.rate_unknown, tax_name=tax_name)))
        if charge.collected_now:
            view.collected += charge.amount
        else:
            view.due += charge.amount
    view.parts = [PartTerms(seller=seller_names.get(key, ""), incoterm=term, collection_scheme=scheme)
                  for key, term, scheme in parts]
    return view
