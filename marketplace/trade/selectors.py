"""Who buys on trade terms: the lower commerce apps (basket, checkout, orders) ask here, never the models."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS

from sellers.roles import CHAMBER_STAFF_GROUP, role_groups_ensure

from .models import TradeCompany, TradeMember


@dataclass(frozen=True)
class TradeBuyer:
    """A user of a verified trade company, as commerce needs to know it."""

    company_id: int
    company_name: str
    country: str
    vat_number: str
    vat_valid: bool | None


def trade_company_of(user) -> TradeCompany | None:
    """The company the user buys for, whatever its status; None for a visitor or a retail buyer."""
    if user is None or not user.is_authenticated:
        return None
    member = TradeMember.objects.filter(user=user).select_related("company").first()
    return member.company if member else None


def trade_buyer_of(user) -> TradeBuyer | None:
    """The user's company if it is verified (it sees wholesale prices and buys on trade terms), else None."""
    company = trade_company_of(user)
    if company is None or company.status != TradeCompany.Status.VERIFIED:
        return None
    return TradeBuyer(company.pk, company.legal_name, company.country, company.vat_number, company.vat_valid)


TRADE_GROUP_PERMISSIONS = {CHAMBER_STAFF_GROUP: ("trade.view_tradecompany", "trade.change_tradecompany")}


def trade_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Chamber staff see trade companies and decide on them. Idempotent (run after every migrate)."""
    role_groups_ensure(TRADE_GROUP_PERMISSIONS, using=using)
