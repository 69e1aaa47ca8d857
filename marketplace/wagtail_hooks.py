"""Commerce settings chamber staff keep in the admin: shipping zones and their rates."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
