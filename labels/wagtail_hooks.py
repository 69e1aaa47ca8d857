"""Quality labels in the admin: the schemes (snippets), applications and certificates for inspectors and
chamber staff, and each seller's own labels."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import LabelRecordPolicy, QualityLabelsViewSetGroup, seller_label_urls, seller_memberships
from .models import LabelApplication, LabelCertificate, LabelScheme


class LabelSchemeViewSet(SnippetViewSet):
    model = LabelScheme
    icon = "tick-inverse"
    menu_label = _("Label schemes")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "kind", "code", "country", "issuing_body", "validity_months"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_fr", "name_ar", "code", "issuing_body"]


register_snippet(LabelSchemeViewSet)


register_permission_policy(LabelApplication, LabelRecordPolicy(LabelApplication))
register_permission_policy(LabelCertificate, LabelRecordPolicy(LabelCertificate))


@hooks.register("register_admin_viewset")
def register_label_viewsets():
    return QualityLabelsViewSetGroup()


@hooks.register("register_admin_urls")
def register_seller_label_urls():
    return seller_label_urls()


class SellerLabelsMenuItem(MenuItem):
    def is_shown(self, request):
        return seller_memberships(request.user).exists()


@hooks.register("register_admin_menu_item")
def seller_labels_menu_item():
    return SellerLabelsMenuItem(_("Quality labels"), reverse("seller_labels"), icon_name="tick-inverse", order=240)
