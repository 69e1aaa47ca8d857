import pytest

from catalog.models import Material
from search.services import listing_index_update
from sellers.models import Seller, SellerMember
from tests.factories.catalog import product_create, seller_pages
from tests.factories.labels import certificate_issue, inspector_create, scheme_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, region


@pytest.fixture
def catalogue(tree):
    """A small catalogue: a verified cooperative in Souss-Massa with a labelled wool rug and a plate, a
    verified artisan in Marrakech with a copper lamp, and a pending applicant whose product is not listed."""
    cooperative = SellerFactory(legal_name="Coopérative Tifawin", slug="tifawin", phone="+212 600 000 000",
                                email="private@tifawin.example", founded_year=2009)
    manager = SellerMemberFactory(seller=cooperative, role=SellerMember.Role.MANAGER)
    cooperative_pages = seller_pages(tree, cooperative)
    rug = product_create(cooperative_pages, title="Taznakht rug", price="1200.00")
    wool, _created = Material.objects.get_or_create(slug="wool", defaults={"name": "Wool", "name_fr": "Laine"})
    rug.materials.add(wool)
    plate = product_create(cooperative_pages, title="Safi plate", craft="1.03.02", hs_code="6912.00", price="200.00")
    artisan = SellerFactory(legal_name="Atelier Hamid", slug="atelier-hamid", kind=Seller.Kind.ARTISAN,
                            region=region("MA-07"))
    lamp = product_create(seller_pages(tree, artisan), title="Copper lamp", craft="1.03.02", price="650.00", stock=0)
    applicant = SellerFactory(legal_name="Coopérative en attente", slug="en-attente", status=Seller.Status.PENDING)
    hidden = product_create(seller_pages(tree, applicant), title="Hidden basket")
    scheme = scheme_create(code="LNA", name="National label")
    certificate = certificate_issue(scheme, (manager.user, cooperative, rug), inspector_create())
    # The certificate changes the rug's listing documents (what the queued index task would do on commit).
    listing_index_update(list(rug.pages.values_list("pk", flat=True)))
    return {"cooperative": cooperative, "artisan": artisan, "applicant": applicant, "rug": rug, "plate": plate,
            "lamp": lamp, "hidden": hidden, "scheme": scheme, "certificate": certificate}
