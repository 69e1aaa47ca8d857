"""The demo's quality label schemes, and applications and certificates at every stage."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from catalog.models import Product
from demo.data import (
    COLOURWAYS,
    DEMO_LABELS,
    LABEL_SCHEMES,
)
from demo.images import demo_image_bytes
from labels.models import LabelApplication, LabelCertificate, LabelCriterion, LabelLevel, LabelScheme
from labels.services import (
    label_apply,
    label_assign,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_decide,
    label_inspection_record,
)
from sellers.models import Seller

from .users import _demo_manager


def _ensure_label_schemes():
    for code, kind, names, issuing_body, validity_months, criteria, levels in LABEL_SCHEMES:
        if LabelScheme.objects.filter(code=code).exists():
            for en, fr, ar in levels:  # a demo seeded before levels were translated
                LabelLevel.objects.filter(scheme__code=code, name=en, name_fr="").update(name_fr=fr, name_ar=ar)
            continue
        scheme = LabelScheme(
            code=code, kind=kind, name=names[0], name_fr=names[1], name_ar=names[2], country="MA",
            issuing_body=issuing_body, validity_months=validity_months,
        )
        scheme.criteria = [LabelCriterion(text=text, sort_order=position) for position, text in enumerate(criteria)]
        scheme.levels = [LabelLevel(name=en, name_fr=fr, name_ar=ar, sort_order=position)
                         for position, (en, fr, ar) in enumerate(levels)]
        scheme.full_clean()
        scheme.save()


def _ensure_labels():
    """Applications at every stage and certificates active, suspended and revoked, made through the
    label services so that their histories are real chains. Once: skipped when any application exists."""
    if LabelApplication.objects.exists():
        return
    User = get_user_model()
    inspector, lead = User.objects.get(username="inspector"), User.objects.get(username="lead")
    schemes = {scheme.code: scheme for scheme in LabelScheme.objects.all()}
    photo = demo_image_bytes(motif="lattice", palette=COLOURWAYS[0][3], seed=0)
    for legal_name, code, level, fate, product_count in DEMO_LABELS:
        seller = Seller.objects.filter(legal_name=legal_name, status=Seller.Status.VERIFIED).first()
        products = list(Product.objects.filter(seller=seller).order_by("pk")[:product_count]) if seller else []
        if not products:
            continue
        manager = _demo_manager(seller)
        with transaction.atomic():
            application = label_apply(
                seller=seller, scheme=schemes[code], products=products, by=manager,
                statement="Made by hand in our workshop; the materials are bought from local producers.",
                evidence=[ContentFile(photo, name="workshop.jpg")],
            )
            if fate == "submitted":
                continue
            label_assign(application=application, inspector=inspector, by=lead)
            if fate == "assigned":
                continue
            verdict = "not_met" if fate == "rejected" else "met"
            label_inspection_record(
                application=application, by=inspector, visit_date=timezone.localdate(), notes="Workshop visited.",
                verdicts={criterion.pk: (verdict, "") for criterion in schemes[code].criteria.all()},
            )
            if fate == "rejected":
                label_decide(application=application, by=inspector, approve=False,
                             reason="The finish does not meet the scheme's standard yet.")
                continue
            label_decide(application=application, by=inspector, approve=True, level=level)
            certificate = LabelCertificate.objects.get(application=application)
            if fate == "suspended":
                label_certificate_suspend(certificate=certificate, by=inspector,
                                          reason="A buyer's complaint is being checked.")
            elif fate == "revoked":
                label_certificate_revocation_request(certificate=certificate, by=inspector,
                                                     reason="Tiles made outside the workshop were sold under the label.")
                label_certificate_revocation_confirm(certificate=certificate, by=lead)
