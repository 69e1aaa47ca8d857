from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Material


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "tag"
    menu_label = _("Materials")
    list_display = ["name", "name_fr", "name_ar", "slug"]
    search_fields = ["name", "name_fr", "name_ar"]


register_snippet(MaterialViewSet)
