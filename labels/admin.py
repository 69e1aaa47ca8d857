"""Quality labels in the Wagtail admin.

- Sellers' members: their applications and certificates, applying with evidence, printing QR tags.
- Inspectors and chamber staff: the applications queue (assignment, inspection, decision) and the
  certificates (suspension, two-inspector revocation). Records change only through
  ``label_services``, which check who may act; the generic views here only list and show them.
"""

import django_filters
import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from sellers.models import Seller, SellerMember

from .forms import (
    CertificateReasonForm,
    LabelApplyForm,
    LabelAssignForm,
    LabelDecisionForm,
    LabelInspectionForm,
)
from .models import LabelApplication, LabelCertificate, LabelEvidence, LabelInspection
from .selectors import (
    application_history,
    application_rejection_reason,
    certificate_verify_url,
    label_level_name,
    product_titles,
)
from .services import (
    CONFLICTED,
    is_label_inspector,
    is_lead_inspector,
    label_apply,
    label_assign,
    label_certificate_decisions,
    label_certificate_reinstate,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_conflict,
    label_decide,
    label_inspection_record,
    label_inspectors_eligible,
)


class LabelRecordPolicy(ModelPermissionPolicy):
    """Label records change only through the label services: the admin lists and shows them."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")


class RecordsViewSet(ModelViewSet):
    """Lists and shows records; they are created and changed by the label services only."""

    inspect_view_enabled = True
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


def can_see_label_records(user) -> bool:
    return user.has_perm("labels.view_labelapplication")


def seller_memberships(user):
    return SellerMember.objects.filter(user=user).select_related("seller", "seller__region").order_by("seller__legal_name")


def _is_member(user, seller_id) -> bool:
    return SellerMember.objects.filter(user=user, seller_id=seller_id).exists()


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _service_done(form, call) -> bool:
    """Run a label service; a refusal becomes the form's errors (and False)."""
    try:
        call()
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    except ValidationError as error:
        _errors_to_form(form, error)
        return False
    return True


# --- the inspectors' queue ------------------------------------------------------------------------


class LabelApplicationFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"), method="filter_queue", empty_label=_("All applications"),
        choices=[
            ("open", _("Open: waiting or being inspected")),
            ("unassigned", _("Waiting for an inspector")),
            ("mine", _("Assigned to me")),
            ("decided", _("Decided")),
        ],
    )

    class Meta:
        model = LabelApplication
        fields = ["scheme", "status"]

    def filter_queue(self, queryset, name, value):
        open_statuses = [LabelApplication.Status.SUBMITTED, LabelApplication.Status.ASSIGNED]
        if value == "open":
            return queryset.filter(status__in=open_statuses)
        if value == "unassigned":
            return queryset.filter(status=LabelApplication.Status.SUBMITTED)
        if value == "mine":
            return queryset.filter(status=LabelApplication.Status.ASSIGNED, inspector=self.request.user)
        return queryset.exclude(status__in=open_statuses)


class LabelApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("scheme", "seller", "inspector")


class LabelApplicationInspectView(InspectView):
    template_name = "labels/admin/application_inspect.html"
    page_title = _("Application")

    def get_object(self, queryset=None):
        return get_object_or_404(
            LabelApplication.objects.select_related("scheme", "seller", "seller__region", "inspector", "applicant",
                                                    "renews"),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        application, user = self.object, self.request.user
        products = list(application.products.all())
        titles = product_titles(products)
        open_application = application.status in (LabelApplication.Status.SUBMITTED, LabelApplication.Status.ASSIGNED)
        assigned_to_me = application.status == LabelApplication.Status.ASSIGNED and application.inspector_id == user.pk
        conflicted = label_conflict(user=user, application=application) == CONFLICTED
        # An assigned application is taken: only a lead reassigns it (with a reason, on the assign screen).
        taken = application.inspector_id is not None and not assigned_to_me
        return super().get_context_data(
            application=application,
            products=[(product, titles.get(product.pk, str(product))) for product in products],
            evidence=application.evidence.filter(inspection=None),
            inspections=application.inspections.select_related("inspector").prefetch_related("verdicts", "evidence"),
            history=application_history(application),
            certificate=LabelCertificate.objects.filter(application=application).first(),
            can_assign_self=open_application and is_label_inspector(user) and not conflicted and not assigned_to_me
            and not taken,
            can_assign_others=open_application and is_lead_inspector(user),
            can_inspect=assigned_to_me and not conflicted,
            **kwargs,
        )


class LabelActionMixin(WagtailAdminTemplateMixin):
    """An action on one application by an inspector; the services decide whether it is allowed."""

    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_label_records(request.user):
            raise PermissionDenied
        self.application = get_object_or_404(
            LabelApplication.objects.select_related("scheme", "seller", "inspector"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.application)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)

    def application_url(self):
        return reverse("label_applications:inspect", args=[self.application.pk])


class LabelAssignView(LabelActionMixin, FormView):
    template_name = "labels/admin/application_assign.html"
    form_class = LabelAssignForm
    page_title = _("Assign")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inspectors": label_inspectors_eligible(application=self.application),
                "reassigning": self.application.inspector_id is not None}

    def post(self, request, *args, **kwargs):
        if "self" in request.POST:
            return self.assigned(request.user)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return self.assigned(form.cleaned_data["inspector"], form, reason=form.cleaned_data.get("reason", ""))

    def assigned(self, inspector, form=None, reason=""):
        try:
            label_assign(application=self.application, inspector=inspector, by=self.request.user, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            if form is None:
                messages.error(self.request, " ".join(getattr(error, "messages", [str(error)])))
                return redirect(self.application_url())
            form.add_error(None, getattr(error, "messages", [str(error)]))
            return self.form_invalid(form)
        messages.success(self.request, _("Assigned to %(name)s.") % {"name": inspector.get_full_name() or inspector})
        return redirect(self.application_url())


class LabelInspectionView(LabelActionMixin, FormView):
    template_name = "labels/admin/application_inspection.html"
    form_class = LabelInspectionForm
    page_title = _("Record the inspection")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria": self.application.scheme.criteria.all()}

    def form_valid(self, form):
        if not _service_done(form, lambda: label_inspection_record(
            application=self.application, by=self.request.user, visit_date=form.cleaned_data["visit_date"],
            verdicts=form.verdicts(), notes=form.cleaned_data["notes"], photos=form.cleaned_data["photos"],
        )):
            return self.form_invalid(form)
        messages.success(self.request, _("Inspection recorded."))
        return redirect(self.application_url())


class LabelDecisionView(LabelActionMixin, FormView):
    template_name = "labels/admin/application_decision.html"
    form_class = LabelDecisionForm
    page_title = _("Decide")

    def get_form_kwargs(self):
        levels = [(level.name, level.localized_name) for level in self.application.scheme.levels.all()]
        return {**super().get_form_kwargs(), "levels": levels}

    def get_context_data(self, **kwargs):
        last = (
            LabelInspection.objects.filter(application=self.application).order_by("-recorded_at", "-pk")
            .prefetch_related("verdicts").first()
        )
        return super().get_context_data(inspection=last, **kwargs)

    def form_valid(self, form):
        approve = form.cleaned_data["decision"] == "approve"
        if not _service_done(form, lambda: label_decide(
            application=self.application, by=self.request.user, approve=approve,
            reason=form.cleaned_data["reason"], level=form.cleaned_data.get("level", ""),
        )):
            return self.form_invalid(form)
        if approve:
            certificate = LabelCertificate.objects.get(application=self.application)
            messages.success(self.request, _("Approved: certificate %(number)s issued.") % {"number": certificate.number})
        else:
            messages.success(self.request, _("Application rejected; the seller is told why."))
        return redirect(self.application_url())


def label_evidence_download(request, pk):
    """A file of an application: for its seller's members, inspectors and chamber staff."""
    evidence = get_object_or_404(LabelEvidence.objects.select_related("application"), pk=pk)
    if not (can_see_label_records(request.user) or _is_member(request.user, evidence.application.seller_id)):
        raise PermissionDenied
    if evidence.inspection_id and not can_see_label_records(request.user):
        raise PermissionDenied  # inspection photos stay with the inspectors
    return FileResponse(evidence.file.open("rb"), as_attachment=not evidence.is_image, filename=evidence.original_name,
                        content_type=evidence.content_type)


class LabelApplicationViewSet(RecordsViewSet):
    model = LabelApplication
    icon = "list-ul"
    menu_label = _("Applications")
    name = "label_applications"
    index_view_class = LabelApplicationIndexView
    inspect_view_class = LabelApplicationInspectView
    filterset_class = LabelApplicationFilterSet
    list_display = ["__str__", "status", "inspector", "submitted_at"]
    ordering = ["submitted_at"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/assign/", LabelAssignView.as_view(), name="assign"),
            path("<int:pk>/inspection/", LabelInspectionView.as_view(), name="inspection"),
            path("<int:pk>/decide/", LabelDecisionView.as_view(), name="decide"),
            path("evidence/<int:pk>/", label_evidence_download, name="evidence"),
        ]


# --- certificates ---------------------------------------------------------------------------------

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


class CertificateActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "labels/admin/certificate_action.html"
    form_class = CertificateReasonForm
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_label_records(request.user) or kwargs["action"] not in CERTIFICATE_ACTIONS:
            raise PermissionDenied
        self.certificate = get_object_or_404(LabelCertificate.objects.select_related("scheme", "seller"), pk=kwargs["pk"])
        self.action = kwargs["action"]
        return super().dispatch(request, *args, **kwargs)

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


class SellerLabelsView(WagtailAdminTemplateMixin, TemplateView):
    """A seller's applications and certificates, with the actions open to its members."""

    template_name = "labels/admin/seller_labels.html"
    page_title = _("Quality labels")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.memberships = list(seller_memberships(request.user))
        if not self.memberships:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        sellers = [membership.seller for membership in self.memberships]
        applications = list(
            LabelApplication.objects.filter(seller__in=sellers).select_related("scheme", "renews")
            .prefetch_related("products", Prefetch("evidence", queryset=LabelEvidence.objects.filter(inspection=None)))
            .order_by("-submitted_at")
        )
        certificates = list(
            LabelCertificate.objects.filter(seller__in=sellers).select_related("scheme").prefetch_related("products")
            .order_by("-valid_from", "number")
        )
        titles = product_titles({product for item in applications + certificates for product in item.products.all()})
        for item in applications + certificates:
            item.product_titles = [titles.get(product.pk, str(product)) for product in item.products.all()]
        for application in applications:
            application.rejection_reason = (
                application_rejection_reason(application) if application.status == LabelApplication.Status.REJECTED else ""
            )
        return super().get_context_data(
            sections=[
                {"seller": seller,
                 "applications": [item for item in applications if item.seller_id == seller.pk],
                 "certificates": [item for item in certificates if item.seller_id == seller.pk]}
                for seller in sellers
            ],
            **kwargs,
        )


class SellerLabelApplyView(WagtailAdminTemplateMixin, FormView):
    template_name = "labels/admin/seller_apply.html"
    form_class = LabelApplyForm
    page_title = _("Apply for a label")
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        membership = seller_memberships(request.user).filter(seller_id=kwargs["seller_pk"]).first()
        if membership is None:
            raise PermissionDenied
        self.seller = membership.seller
        self.renews = None
        if "renews" in request.GET:
            self.renews = LabelCertificate.objects.filter(seller=self.seller, pk=request.GET["renews"]).first()
            if self.renews is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.seller.legal_name

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "seller": self.seller}

    def get_initial(self):
        if self.renews is None:
            return {}
        return {"scheme": self.renews.scheme_id, "products": list(self.renews.products.values_list("pk", flat=True))}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            seller=self.seller, renews=self.renews, verified=self.seller.status == Seller.Status.VERIFIED, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        if not _service_done(form, lambda: label_apply(
            seller=self.seller, scheme=data["scheme"], products=data["products"], by=self.request.user,
            statement=data["statement"], evidence=data["evidence"], renews=self.renews,
        )):
            return self.form_invalid(form)
        messages.success(self.request, _("Application sent. An inspector will contact you to arrange the visit."))
        return redirect("seller_labels")


TAG_COPIES = 8  # tags per printed A4 sheet


def certificate_tag(request, pk):
    """A printable tag: the label, the certificate's number and a QR code of its public verify page."""
    certificate = get_object_or_404(LabelCertificate.objects.select_related("scheme", "seller", "seller__region"), pk=pk)
    if not (can_see_label_records(request.user) or _is_member(request.user, certificate.seller_id)):
        raise PermissionDenied
    verify_url = certificate_verify_url(certificate.number, request)
    qr_svg = segno.make(verify_url, error="m").svg_inline(scale=6, border=2, title=certificate.number)
    products = list(certificate.products.all())
    titles = product_titles(products)
    try:
        copies = max(1, min(int(request.GET.get("copies", TAG_COPIES)), 48))
    except ValueError:
        copies = TAG_COPIES
    return render(request, "labels/admin/certificate_tag.html", {
        "certificate": certificate, "verify_url": verify_url, "qr_svg": qr_svg, "copies": range(copies),
        "level_name": label_level_name(scheme_id=certificate.scheme_id, level=certificate.level),
        "products": [titles.get(product.pk, str(product)) for product in products],
    })


def seller_label_urls():
    return [
        path("labels/", SellerLabelsView.as_view(), name="seller_labels"),
        path("labels/apply/<int:seller_pk>/", SellerLabelApplyView.as_view(), name="seller_label_apply"),
        path("labels/tag/<int:pk>/", certificate_tag, name="certificate_tag"),
    ]
