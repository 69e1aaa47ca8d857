from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "marketplace.quotes"
    label = "quotes"
    verbose_name = _("Requests for quote")

    def ready(self):
        post_migrate.connect(_quote_groups_ensure, sender=self)


def _quote_groups_ensure(sender, using="default", **kwargs):
    from sellers.roles import CHAMBER_STAFF_GROUP, role_groups_ensure  # models are ready only once migrate runs

    role_groups_ensure({CHAMBER_STAFF_GROUP: ("quotes.view_quotethread",)}, using=using)
