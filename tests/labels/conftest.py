import pytest

from sellers.models import Seller, SellerMember
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import certificate_issue, inspector_create, scheme_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory


@pytest.fixture
def scheme(db):
    return scheme_create()


@pytest.fixture
def applicant(tree):
    """A verified seller's manager, the seller and one of its products."""
    seller = SellerFactory(status=Seller.Status.VERIFIED)
    member = SellerMemberFactory(seller=seller, role=SellerMember.Role.MANAGER)
    product = product_create(seller_pages(tree, seller))
    return member.user, seller, product


@pytest.fixture
def inspector(db):
    return inspector_create("inspector-1")


@pytest.fixture
def second_inspector(db):
    return inspector_create("inspector-2")


@pytest.fixture
def certificate(scheme, applicant, inspector):
    return certificate_issue(scheme, applicant, inspector)
