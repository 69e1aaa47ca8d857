import factory
from django.contrib.auth import get_user_model

from sellers.models import Region, Seller, SellerMember, Trade


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


def region(code="MA-08") -> Region:
    return Region.objects.get(code=code)


def trade(code="1.01.01", country="MA") -> Trade:
    return Trade.objects.get(country=country, code=code)


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    kind = Seller.Kind.COOPERATIVE
    legal_name = factory.Sequence(lambda n: f"Coopérative Test {n}")
    slug = factory.Sequence(lambda n: f"cooperative-test-{n}")
    country = "MA"
    register_number = factory.Sequence(lambda n: f"{n + 1}/2020")
    region = factory.LazyFunction(region)
    city = "Taznakht"
    status = Seller.Status.VERIFIED
    email = factory.LazyAttribute(lambda seller: f"contact@{seller.slug}.example")


class SellerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerMember

    seller = factory.SubFactory(SellerFactory)
    user = factory.SubFactory(UserFactory)
    role = SellerMember.Role.MANAGER


def member_since(*, seller, user, joined_at, role=SellerMember.Role.MEMBER) -> SellerMember:
    """A membership that began at ``joined_at`` (e.g. before an application was filed)."""
    member = SellerMember.objects.create(seller=seller, user=user, role=role)
    SellerMember.objects.filter(pk=member.pk).update(joined_at=joined_at)
    member.refresh_from_db()
    return member


def registration_form_data(**overrides):
    """A valid public registration form (an artisan in Safi, Morocco), with ``overrides``."""
    data = {
        "kind": "artisan", "legal_name": "Atelier Fatima Zahra", "country": "MA", "region": region("MA-07").pk,
        "city": "Safi", "trades": [trade("1.03.01").pk], "register_number": "", "contact_name": "Fatima Zahra",
        "email": "fatima@example.org", "phone": "+212 600 000 000", "password": "clay-and-cobalt-2026",
    }
    data.update(overrides)
    return data
