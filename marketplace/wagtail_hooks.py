"""Commerce in the admin: shipping zones and their rates, and orders for chamber staff."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .orders.admin import OrderRecordPolicy, OrderViewSet
from .orders.models import Order
from .shipping.models import ShippingZone


class ShippingZoneViewSet(SnippetViewSet):
    model = ShippingZone
    icon = "globe"
    menu_label = _("Shipping zones")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "countries", "transit_days"]
    search_fields = ["name", "countries"]


register_snippet(ShippingZoneViewSet)


register_permission_policy(Order, OrderRecordPolicy(Order))


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet()
