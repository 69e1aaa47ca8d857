"""The chamber's queue of notices in the Wagtail admin: list (overdue first by deadline), look, take up,
decide. Notices change only through the services, never through a generic edit form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View
from wagtail.admin.views.generic import IndexView, InspectView, PermissionCheckedMixin, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies import ModelPermissionPolicy

from config.form_errors import form_errors_add

from .forms import NoticeDecisionForm
from .models import Notice
from .services import notice_decide, notice_review_start


class NoticePolicy(ModelPermissionPolicy):
    """Chamber staff see notices (view) and decide them (change); nobody adds, edits or deletes one
    through a generic view."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)


class NoticeIndexView(IndexView):
    # "change" is deciding, from the notice's own page: there is no edit form to link to.
    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None


class NoticeInspectView(InspectView):
    template_name = "notices/admin/notice_inspect.html"
    page_title = _("Notice")

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_object(self, queryset=None):
        return get_object_or_404(Notice.objects.select_related("product", "product__seller", "decided_by"), pk=self.pk)

    def get_context_data(self, **kwargs):
        notice = self.object
        return super().get_context_data(
            notice=notice, product_pages=notice.product.pages.select_related("locale").order_by("locale__language_code"),
            history=log_registry.get_logs_for_instance(notice).select_related("user").order_by("timestamp"),
            can_decide=notice.is_open and self.permission_policy.user_has_permission(self.request.user, "change"),
            **kwargs)


class NoticeActionMixin(PermissionCheckedMixin):
    model = Notice
    permission_required = "change"

    @cached_property
    def notice(self) -> Notice:
        # Looked up once the policy has let the user in: to others, an unknown notice is refused like any.
        return get_object_or_404(Notice, pk=self.kwargs["pk"])


class NoticeReviewView(NoticeActionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            notice_review_start(notice=self.notice, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You have taken up this notice."))
        return redirect("notices:inspect", self.notice.pk)


class NoticeDecideView(NoticeActionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "notices/admin/notice_decide.html"
    form_class = NoticeDecisionForm
    page_title = _("Decide on a notice")
    header_icon = "warning"

    def get_page_subtitle(self):
        return str(self.notice)

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=self.notice, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            notice = notice_decide(notice=self.notice, by=self.request.user, status=data["status"],
                                   outcome_note=data["outcome_note"], unpublish=data["unpublish"])
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        if notice.pages_unpublished:
            messages.success(self.request, _("Decision recorded; the product's pages are unpublished."))
        else:
            messages.success(self.request, _("Decision recorded."))
        if notice.reporter_email:
            messages.info(self.request, _("The reporter is emailed the outcome."))
        return redirect("notices:inspect", notice.pk)


class NoticeViewSet(ModelViewSet):
    model = Notice
    icon = "warning"
    menu_label = _("Product notices")
    menu_order = 220
    add_to_admin_menu = True
    name = "notices"
    index_view_class = NoticeIndexView
    inspect_view_enabled = True
    inspect_view_class = NoticeInspectView
    list_display = ["__str__", "product", "reason", "status", "received_at", "deadline", "reporter_email"]
    list_filter = ["status", "reason"]
    search_fields = ["description", "reporter_email", "outcome_note"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/review/", NoticeReviewView.as_view(), name="review"),
            path("<int:pk>/decide/", NoticeDecideView.as_view(), name="decide"),
        ]
