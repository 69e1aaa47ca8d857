"""The platform's product-safety settings: the chamber acting as responsible person in the EU for the
sellers that have none of their own (GPSR art. 4)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="warning")
class EuResponsiblePersonSettings(BaseGenericSetting):
    """Who answers for the products in the EU when a seller names no responsible person of its own."""

    name = models.CharField(_("name"), max_length=200, blank=True,
                            help_text=_("The economic operator established in the EU, e.g. the chamber's EU office."))
    postal_address = models.TextField(_("postal address"), blank=True, max_length=1000)
    email = models.EmailField(_("email"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("postal_address"), FieldPanel("email")]

    class Meta:
        verbose_name = _("responsible person in the EU")
        verbose_name_plural = _("responsible person in the EU")

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        given = [bool(value.strip()) for value in (self.name, self.postal_address, self.email)]
        if any(given) and not all(given):
            raise ValidationError(_("Give the name, the postal address and the email, or leave all three empty."))

    @property
    def is_set(self) -> bool:
        """Whether the platform acts as responsible person (all three given)."""
        return bool(self.name.strip() and self.postal_address.strip() and self.email.strip())

    @property
    def as_text(self) -> str:
        return "\n".join([self.name.strip(), self.postal_address.strip(), self.email.strip()])
