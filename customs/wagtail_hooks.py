from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import DestinationRule, DutyRate


class DestinationRuleViewSet(SnippetViewSet):
    model = DestinationRule
    icon = "globe"
    menu_label = _("Destination rules")
    list_display = ["name", "code", "countries", "tax_name", "tax_rate", "tax_collection_threshold", "currency",
                    "withdrawal_days", "is_sample", "version", "updated_at"]
    list_filter = ["is_sample", "product_safety_required"]
    search_fields = ["name", "code", "countries"]


class DutyRateViewSet(SnippetViewSet):
    model = DutyRate
    icon = "list-ul"
    menu_label = _("Duty rates")
    list_display = ["destination", "hs_prefix", "rate", "hs_edition", "is_sample", "source", "updated_at"]
    list_filter = ["destination", "hs_edition", "is_sample"]
    search_fields = ["destination", "hs_prefix"]


class CustomsViewSetGroup(SnippetViewSetGroup):
    items = (DestinationRuleViewSet, DutyRateViewSet)
    menu_icon = "globe"
    menu_label = _("Customs and taxes")
    menu_name = "customs"


register_snippet(CustomsViewSetGroup)
