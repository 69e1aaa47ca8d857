"""A seller's own labels in its workspace: its certificates and applications, and applying for a label."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sellers.models import Seller

from ..forms import (
    LabelApplyForm,
)
from ..models import LabelApplication, LabelCertificate, LabelEvidence
from ..selectors import (
    application_rejection_reason,
    product_titles,
)
from ..services import (
    label_apply,
)
from .certificates import certificate_tag
from .records import _service_done, seller_memberships


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


def seller_label_urls():
    return [
        path("labels/", SellerLabelsView.as_view(), name="seller_labels"),
        path("labels/apply/<int:seller_pk>/", SellerLabelApplyView.as_view(), name="seller_label_apply"),
        path("labels/tag/<int:pk>/", certificate_tag, name="certificate_tag"),
    ]
