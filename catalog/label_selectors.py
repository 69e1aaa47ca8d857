"""What anyone may read of a certificate: never an inspector's identity or private notes."""

import re

from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .label_models import LabelCertificate
from .label_services import label_chain_first_broken_event
from .models import ProductPage

CERTIFICATE_NUMBER = re.compile(r"^[A-Z]{2}-[A-Z]{2,5}-\d{4}-\d{6}$")
PUBLIC_ACTIONS = {
    "applied": _("application received"),
    "inspected": _("inspection visit"),
    "approved": _("approved after inspection"),
    "suspended": _("suspended"),
    "reinstated": _("suspension lifted"),
    "revoked": _("revoked"),
    "expired": _("expired"),
}

# Only these keys of an event's public data are shown; inspectors and private notes never are.
PUBLIC_KEYS = ("reason", "certificate", "valid_until", "level", "renews", "visit_date")


def certificate_public_record(number: str) -> dict | None:
    """The public facts and history of a certificate, or None for a malformed or unknown number."""
    if not CERTIFICATE_NUMBER.match(number or ""):
        return None
    certificate = (
        LabelCertificate.objects.filter(number=number)
        .select_related("scheme", "seller", "seller__region", "application")
        .prefetch_related(Prefetch("products__pages", queryset=ProductPage.objects.live().select_related("locale")))
        .first()
    )
    if certificate is None:
        return None
    application = certificate.application
    language = (get_language() or "en")[:2]
    products = []
    for product in certificate.products.all():
        titles = {page.locale.language_code: page.title for page in product.pages.all()}
        title = titles.get(language) or next(iter(titles.values()), "")
        products.append({"id": product.pk, "title": title, "titles": titles, "hs_code": product.hs_code})
    history = [
        {"action": event.action, "label": str(PUBLIC_ACTIONS[event.action]), "date": event.created_at.date().isoformat(), **{
            key: value for key, value in event.public_data.items() if key in PUBLIC_KEYS}}
        for event in application.events.order_by("position")
        if event.action in PUBLIC_ACTIONS
    ]
    return {
        "number": certificate.number,
        "status": certificate.status,
        "status_label": certificate.get_status_display(),
        "status_reason": certificate.status_reason if certificate.status in ("suspended", "revoked") else "",
        "scheme": {"code": certificate.scheme.code, "name": certificate.scheme.localized_name,
                   "kind": certificate.scheme.get_kind_display(), "issuing_body": certificate.scheme.issuing_body},
        "seller": {"name": certificate.seller.legal_name, "region": certificate.seller.region.localized_name,
                   "country": certificate.seller.country},
        "products": products,
        "level": certificate.level,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "history": history,
        "history_intact": label_chain_first_broken_event(application) is None,
    }
