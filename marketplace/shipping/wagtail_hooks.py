"""Shipping in the admin: zones and their rates, as snippets staff edit."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ShippingZone


class ShippingZoneViewSet(SnippetViewSet):
    model = ShippingZone
    icon = "globe"
    menu_label = _("Shipping zones")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "countries", "transit_days"]
    search_fields = ["name", "countries"]


register_snippet(ShippingZoneViewSet)
