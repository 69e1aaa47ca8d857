"""The product-safety information of the demo: sellers' manufacturer addresses, the chamber acting as
responsible person in the EU (a demo entry), every product's identifier, warnings choice and fibre
composition; and two notices from visitors, one awaiting the chamber, one decided."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from catalog.models import EuResponsiblePersonSettings, Product
from notices.models import Notice
from notices.services import notice_decide, notice_submit
from sellers.models import Seller

DEMO_NOTICE_MARK = "[demo]"


def _ensure_product_safety():
    responsible = EuResponsiblePersonSettings.load()
    if not responsible.is_set:
        responsible.name = "Souk Export EU desk (demo)"
        responsible.postal_address = "Rue Belliard 20\n1040 Brussels\nBelgium"
        responsible.email = "eu-desk@souk-export.example"
        responsible.save()
    for seller in Seller.objects.filter(Q(postal_address="") | Q(contact_email="")).select_related("region"):
        Seller.objects.filter(pk=seller.pk).update(
            postal_address=seller.postal_address or f"{seller.legal_name}\n{seller.city or seller.region.name}\nMorocco",
            contact_email=seller.contact_email or seller.email)
    for product in Product.objects.filter(product_identifier="").only("pk", "hs_code", "fibre_composition"):
        Product.objects.filter(pk=product.pk).update(
            product_identifier=f"SX-{product.pk:05d}", no_safety_warnings=True,
            fibre_composition=product.fibre_composition or ("100% wool" if product.is_textile else ""))


def _ensure_notices():
    if Notice.objects.filter(description__startswith=DEMO_NOTICE_MARK).exists():
        return
    products = list(Product.objects.filter(seller__status=Seller.Status.VERIFIED, pages__live=True)
                    .distinct().order_by("pk")[:2])
    if len(products) < 2:
        return
    notice_submit(product=products[0], reason=Notice.Reason.MISLEADING_LABEL, language="fr",
                  description=f"{DEMO_NOTICE_MARK} L'étiquette dit « laine pure » mais le tapis semble synthétique.",
                  reporter_email="lea@buyers.example")
    notice = notice_submit(product=products[1], reason=Notice.Reason.UNSAFE, language="en",
                           description=f"{DEMO_NOTICE_MARK} The glaze looks as if it could flake off into food.")
    notice_decide(notice=notice, by=get_user_model().objects.filter(username="staff").first(),
                  status=Notice.Status.NO_ACTION,
                  outcome_note="The seller's laboratory report shows the glaze within the EU's food-contact limits.")
