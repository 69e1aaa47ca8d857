"""What anyone may read of a certificate: never an inspector's identity or private notes."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductPage
from config.public_urls import public_url
from sellers.models import localized_name

from .models import LabelCertificate, LabelLevel, LabelScheme
from .services import label_chain_first_broken_event

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
# Steps shown only to inspectors, staff and (without private details) the seller.
INTERNAL_ACTIONS = {
    "assigned": _("assigned to an inspector"),
    "reassigned": _("reassigned by a lead inspector"),
    "rejected": _("rejected"),
    "revocation_requested": _("revocation requested"),
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
        "level_name": label_level_name(scheme_id=certificate.scheme_id, level=certificate.level),
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "history": history,
        "history_intact": label_chain_first_broken_event(application) is None,
    }


def product_titles(products) -> dict[int, str]:
    """Each product's page title in the active language (or any language it has), in one query."""
    language = (get_language() or "en")[:2]
    titles: dict[int, str] = {}
    rows = ProductPage.objects.filter(product__in=products).values_list("product_id", "title", "locale__language_code")
    for product_id, title, page_language in rows:
        if page_language == language or product_id not in titles:
            titles[product_id] = title
    return titles


def application_history(application) -> list[dict]:
    """Every event of an application with its private details, for inspectors and staff only."""
    return [
        {"position": event.position, "action": event.action, "label": PUBLIC_ACTIONS.get(event.action) or INTERNAL_ACTIONS.get(event.action, event.action),
         "actor": event.actor, "created_at": event.created_at, "public": event.public_data, "private": event.private_data}
        for event in application.events.select_related("actor").order_by("position")
    ]


def application_rejection_reason(application) -> str:
    """The reason the seller was given for a rejection."""
    event = application.events.filter(action="rejected").order_by("-position").first()
    return event.private_data.get("reason", "") if event else ""


def certificate_verify_url(number: str, request=None) -> str:
    """The public address of a certificate's verify page: the one its QR code holds (PUBLIC_BASE_URL,
    else the request's host, else the host captured when a task was queued)."""
    return public_url(reverse("certificate_verify", args=[number]), request)


def label_level_names(scheme_ids) -> dict[tuple[int, str], str]:
    """(scheme id, level as certificates store it) → the level's name in the active language."""
    return {(level.scheme_id, level.name): level.localized_name
            for level in LabelLevel.objects.filter(scheme_id__in=set(scheme_ids))}


def label_level_name(*, scheme_id: int, level: str) -> str:
    """A certificate's level in the active language ("Or" for "Gold" in French); as stored when the
    scheme has no such level any more."""
    if not level:
        return ""
    return label_level_names([scheme_id]).get((scheme_id, level), level)


@dataclass(frozen=True)
class ProductLabel:
    """An active quality-label certificate of a product, as its badge shows it."""

    number: str
    scheme_code: str
    scheme_name: str
    kind: str
    level: str
    valid_until: date

    @property
    def kind_label(self) -> str:
        return LabelScheme.Kind(self.kind).label

    @property
    def verify_url(self) -> str:
        return reverse("certificate_verify", args=[self.number])


_LABEL_FIELDS = (
    "product_id", "labelcertificate__number", "labelcertificate__level", "labelcertificate__valid_until",
    "labelcertificate__scheme__code", "labelcertificate__scheme__kind", "labelcertificate__scheme__name",
    "labelcertificate__scheme__name_fr", "labelcertificate__scheme__name_ar", "labelcertificate__scheme_id",
)


def product_active_labels(*, product_ids) -> dict[int, tuple[ProductLabel, ...]]:
    """Each product's active certificates, valid today, in one query for all the products.

    Only an active certificate is ever shown: a suspended, revoked or expired one never is, nor an
    active one past its validity that the daily expiry task has not reached yet.
    """
    product_ids = set(product_ids)
    if not product_ids:
        return {}
    today = timezone.localdate()
    rows = (
        LabelCertificate.products.through.objects.filter(
            product_id__in=product_ids,
            labelcertificate__status=LabelCertificate.Status.ACTIVE,
            labelcertificate__valid_from__lte=today,
            labelcertificate__valid_until__gte=today,
        )
        .order_by("product_id", "labelcertificate__scheme__code", "labelcertificate__number")
        .values(*_LABEL_FIELDS)
    )
    rows = list(rows)
    level_names = label_level_names(row["labelcertificate__scheme_id"] for row in rows if row["labelcertificate__level"])
    labels = defaultdict(list)
    for row in rows:
        level = row["labelcertificate__level"]
        labels[row["product_id"]].append(
            ProductLabel(
                number=row["labelcertificate__number"],
                scheme_code=row["labelcertificate__scheme__code"],
                scheme_name=localized_name(
                    row["labelcertificate__scheme__name"], row["labelcertificate__scheme__name_fr"],
                    row["labelcertificate__scheme__name_ar"],
                ),
                kind=row["labelcertificate__scheme__kind"],
                level=level_names.get((row["labelcertificate__scheme_id"], level), level),
                valid_until=row["labelcertificate__valid_until"],
            )
        )
    return {product_id: tuple(found) for product_id, found in labels.items()}
