"""Who may see the label records in the admin, and what the label screens share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from config.form_errors import form_errors_add
from sellers.models import SellerMember


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


def _service_done(form, call) -> bool:
    """Run a label service; a refusal becomes the form's errors (and False)."""
    try:
        call()
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    except ValidationError as error:
        form_errors_add(form, error)
        return False
    return True


# --- the inspectors' queue ------------------------------------------------------------------------
