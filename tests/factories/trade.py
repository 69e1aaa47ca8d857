"""Trade companies and their buyers, ready to buy wholesale (verified, with a valid VAT number) unless told."""

import factory
from django.utils import timezone

from marketplace.trade.models import TradeCompany, TradeMember
from tests.factories.sellers import UserFactory


class TradeCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradeCompany

    legal_name = factory.Sequence(lambda n: f"Interieur Winkel {n} B.V.")
    country = "NL"
    register_number = factory.Sequence(lambda n: f"{12345678 + n}")
    vat_number = "NL004495445B01"
    status = TradeCompany.Status.VERIFIED
    vat_valid = True
    vat_checked_at = factory.LazyFunction(timezone.now)
    vat_check_source = "format"
    verified_at = factory.LazyFunction(timezone.now)


class TradeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TradeMember

    company = factory.SubFactory(TradeCompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = TradeMember.Role.MANAGER


def trade_buyer_create(company: TradeCompany | None = None, *, role=TradeMember.Role.MANAGER, **user_fields):
    """A user buying for ``company`` (a new verified Dutch company when None)."""
    member = TradeMemberFactory(company=company or TradeCompanyFactory(), role=role,
                                user=UserFactory(**user_fields))
    return member.user
