"""Label applications in the admin: the list, the record, and an inspector's steps (assign, inspect,
decide); evidence downloads for those who may see the record."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from config.storage import private_file_response

from ..forms import (
    LabelAssignForm,
    LabelDecisionForm,
    LabelInspectionForm,
)
from ..models import LabelApplication, LabelCertificate, LabelEvidence, LabelInspection
from ..selectors import (
    application_history,
    product_titles,
)
from ..services import (
    CONFLICTED,
    is_label_inspector,
    is_lead_inspector,
    label_assign,
    label_conflict,
    label_decide,
    label_inspection_record,
    label_inspectors_eligible,
)
from .records import RecordsViewSet, _is_member, _service_done, can_see_label_records


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


class LabelActionMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """An action on one application by an inspector: those who see the label records reach it (the
    records' permission policy), and the services decide whether the action is allowed."""

    header_icon = "tick-inverse"
    model = LabelApplication
    permission_required = "view"

    @cached_property
    def application(self) -> LabelApplication:
        # Looked up once the policy has let the user in: to others, an unknown application is refused like any.
        return get_object_or_404(
            LabelApplication.objects.select_related("scheme", "seller", "inspector"), pk=self.kwargs["pk"]
        )

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
    return private_file_response(evidence.file, as_attachment=not evidence.is_image, filename=evidence.original_name,
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
