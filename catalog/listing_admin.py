"""The quick "Add a product" form of a seller's members, beside Wagtail's full page editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from config.form_errors import form_errors_add
from sellers.models import Seller
from sellers.permissions import ACT_FOR

from .forms import QuickListingForm
from .models import SellerPage
from .services import pending_listing_photos_keep, product_listing_create
from .services.listing import PAGE_SAFETY_FIELDS, PRODUCT_SAFETY_FIELDS

# Service field names the form shows under another name.
SERVICE_TO_FORM_FIELDS = {"weight_grams": "weight_kg", "origin_region": None}


class ProductListingAddView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """For a seller's own members only (the seller policy's ``ACT_FOR``): not chamber staff, though their
    page permissions cover every page."""

    template_name = "catalog/admin/product_listing_add.html"
    form_class = QuickListingForm
    page_title = _("Add a product")
    header_icon = "doc-full-inverse"
    model = Seller
    permission_required = ACT_FOR

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.seller = Seller.objects.filter(pk=kwargs["seller_pk"]).select_related("region").first()

    def user_has_permission(self, permission):
        # PermissionCheckedMixin asks about the model; the policy answers for the seller in the URL.
        return self.seller is not None and self.user_has_permission_for_instance(permission, self.seller)

    def get_page_subtitle(self):
        return self.seller.legal_name

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "seller": self.seller, "user": self.request.user}

    def get_context_data(self, **kwargs):
        seller_page = SellerPage.objects.filter(seller=self.seller, locale__language_code=self.seller.language).first()
        return super().get_context_data(seller=self.seller, seller_page_id=seller_page and seller_page.pk, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            page = product_listing_create(
                seller=self.seller, user=self.request.user, title=data["title"], description=data["description"],
                price=data["price"], stock=data["stock"], craft=data["craft"], weight_kg=data["weight_kg"],
                hs_code=data["hs_code"], photos=form.valid_photos, kept_photos=data["kept_photos"],
                safety={name: data[name] for name in (*PRODUCT_SAFETY_FIELDS, *PAGE_SAFETY_FIELDS)},
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You cannot list products for this seller."))
            return self.form_invalid(form)
        except ValidationError as error:
            form_errors_add(form, error, renamed=SERVICE_TO_FORM_FIELDS)
            return self.form_invalid(form)
        if page.live:
            messages.success(self.request, _("“%(title)s” is on the site.") % {"title": page.title})
        else:
            messages.success(
                self.request,
                _("“%(title)s” is sent for checking. The chamber checks it and you get an answer by email.")
                % {"title": page.title},
            )
        return redirect(reverse("wagtailadmin_home"))

    def form_invalid(self, form):
        # The photos that were fine wait, privately, for the next try: nobody takes them again.
        if form.valid_photos:
            pending_listing_photos_keep(seller=self.seller, user=self.request.user, photos=form.valid_photos)
            data = form.data.copy()
            kept = form.fields["kept_photos"].queryset.values_list("pk", flat=True)
            data.setlist(form.add_prefix("kept_photos"), [str(pk) for pk in kept])
            form.data = data  # the errors are found already; the form now shows the kept photos ticked
        return super().form_invalid(form)


def product_listing_urls():
    return [path("products/add/<int:seller_pk>/", ProductListingAddView.as_view(), name="seller_product_add")]
