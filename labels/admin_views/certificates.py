"""Certificates in the admin: the list, the record, an inspector's decisions on them, and the printed QR
tag sheet."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup

from config.public_urls import public_url

from ..forms import (
    CertificateReasonForm,
)
from ..models import LabelApplication, LabelCertificate
from ..selectors import (
    application_history,
    certificate_verify_url,
    label_level_name,
    product_titles,
)
from ..services import (
    label_certificate_decisions,
    label_certificate_reinstate,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
)
from .applications import LabelApplicationViewSet
from .records import LabelRecordPolicy, RecordsViewSet, _is_member, _service_done, can_see_label_records

CERTIFICATE_ACTIONS = {
    "suspend": _("Suspend"),
    "reinstate": _("Lift the suspension"),
    "revoke": _("Request revocation"),
    "confirm-revocation": _("Confirm revocation"),
}


class LabelCertificateFilterSet(WagtailFilterSet):
    class Meta:
        model = LabelCertificate
        fields = ["status", "scheme"]


class LabelCertificateIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("scheme", "seller")


class LabelCertificateInspectView(InspectView):
    template_name = "labels/admin/certificate_inspect.html"
    page_title = _("Certificate")

    def get_object(self, queryset=None):
        return get_object_or_404(
            LabelCertificate.objects.select_related("scheme", "seller", "application", "revocation_requested_by"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return self.object.number

    def get_context_data(self, **kwargs):
        certificate = self.object
        products = list(certificate.products.all())
        titles = product_titles(products)
        return super().get_context_data(
            certificate=certificate, products=[titles.get(product.pk, str(product)) for product in products],
            history=application_history(certificate.application),
            actions=[(action, CERTIFICATE_ACTIONS[action]) for action in label_certificate_decisions(certificate,
                                                                                                     self.request.user)],
            verify_url=certificate_verify_url(certificate.number, self.request), **kwargs,
        )


class CertificateActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """An inspector's decision on a certificate: those who see the label records reach it (the records'
    permission policy, as for applications), and the services decide whether it is allowed."""

    template_name = "labels/admin/certificate_action.html"
    form_class = CertificateReasonForm
    header_icon = "tick-inverse"
    permission_policy = LabelRecordPolicy(LabelApplication)
    permission_required = "view"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.action = kwargs["action"]

    def dispatch(self, request, *args, **kwargs):
        if self.action not in CERTIFICATE_ACTIONS:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def certificate(self) -> LabelCertificate:
        # Looked up once the policy has let the user in: to others, an unknown certificate is refused like any.
        return get_object_or_404(LabelCertificate.objects.select_related("scheme", "seller"), pk=self.kwargs["pk"])

    def get_page_title(self):
        return CERTIFICATE_ACTIONS[self.action]

    def get_page_subtitle(self):
        return self.certificate.number

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate, action=self.action, action_label=CERTIFICATE_ACTIONS[self.action],
            needs_reason=self.action in ("suspend", "revoke"), **kwargs,
        )

    def form_valid(self, form):
        certificate, by, reason = self.certificate, self.request.user, form.cleaned_data["reason"]
        decisions = {
            "suspend": lambda: label_certificate_suspend(certificate=certificate, by=by, reason=reason),
            "reinstate": lambda: label_certificate_reinstate(certificate=certificate, by=by),
            "revoke": lambda: label_certificate_revocation_request(certificate=certificate, by=by, reason=reason),
            "confirm-revocation": lambda: label_certificate_revocation_confirm(certificate=certificate, by=by),
        }
        if not _service_done(form, decisions[self.action]):
            return self.form_invalid(form)
        done = {
            "suspend": _("Certificate suspended."),
            "reinstate": _("Suspension lifted."),
            "revoke": _("Revocation requested; a second inspector must confirm it."),
            "confirm-revocation": _("Certificate revoked."),
        }
        messages.success(self.request, done[self.action])
        return redirect("label_certificates:inspect", certificate.pk)


class LabelCertificateViewSet(RecordsViewSet):
    model = LabelCertificate
    icon = "tick-inverse"
    menu_label = _("Certificates")
    name = "label_certificates"
    index_view_class = LabelCertificateIndexView
    inspect_view_class = LabelCertificateInspectView
    filterset_class = LabelCertificateFilterSet
    list_display = ["number", "scheme", "seller", "status", "valid_until"]
    search_fields = ["number", "seller__legal_name"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/<slug:action>/", CertificateActionView.as_view(), name="action"),
        ]


class QualityLabelsViewSetGroup(ViewSetGroup):
    items = (LabelApplicationViewSet, LabelCertificateViewSet)
    menu_icon = "tick-inverse"
    menu_label = _("Inspections")
    menu_order = 205


# --- the seller's side ----------------------------------------------------------------------------


TAG_COPIES = 8  # tags per printed A4 sheet


def certificate_tag(request, pk):
    """A printable tag: the label, the certificate's number and a QR code of its public verify page."""
    certificate = get_object_or_404(LabelCertificate.objects.select_related("scheme", "seller", "seller__region"), pk=pk)
    if not (can_see_label_records(request.user) or _is_member(request.user, certificate.seller_id)):
        raise PermissionDenied
    verify_url = certificate_verify_url(certificate.number, request)
    products = list(certificate.products.order_by("pk"))
    titles = product_titles(products)
    # Each product gets its own sheet of tags, whose QR code leads to that product's passport (which shows
    # this certificate's live status and links to its verify page).
    chosen = next((product for product in products if str(product.pk) == request.GET.get("product")),
                  products[0] if products else None)
    scan_url = public_url(reverse("product_passport", args=[chosen.pk]), request) if chosen else verify_url
    # A viewBox rather than a fixed size, so the print style scales the code to 32 mm instead of cropping
    # it; a quiet zone of 4 modules, as ISO/IEC 18004 asks, so that phones read it off fabric.
    qr_svg = segno.make(scan_url, error="m").svg_inline(scale=6, border=4, omitsize=True, title=certificate.number)
    try:
        copies = max(1, min(int(request.GET.get("copies", TAG_COPIES)), 48))
    except ValueError:
        copies = TAG_COPIES
    return render(request, "labels/admin/certificate_tag.html", {
        "certificate": certificate, "verify_url": verify_url, "qr_svg": qr_svg, "copies": range(copies),
        "scan_url": scan_url, "level_name": label_level_name(scheme_id=certificate.scheme_id, level=certificate.level),
        "product_title": titles.get(chosen.pk, str(chosen)) if chosen else "",
        "products": [(product.pk, titles.get(product.pk, str(product))) for product in products],
        "chosen_id": chosen.pk if chosen else None,
    })
