"""A buyer's own data beside the login: the addresses they ship to and the products they keep an eye on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedAddress(models.Model):
    """A shipping address kept in the buyer's account, offered at checkout; checked like checkout's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_addresses",
                             verbose_name=_("account"))
    name = models.CharField(_("recipient's full name"), max_length=120)
    line1 = models.CharField(_("street address"), max_length=200)
    line2 = models.CharField(_("apartment, building, floor"), max_length=200, blank=True)
    city = models.CharField(_("town or city"), max_length=100)
    region = models.CharField(_("state, province or region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    country = models.CharField(_("country"), max_length=2)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_default = models.BooleanField(_("use first at checkout"), default=False)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at", "-pk"]
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")

    def __str__(self):
        return f"{self.name}, {self.city} ({self.country})"


class Favourite(models.Model):
    """A product the buyer keeps, in every language (it points to the shared product, not one page)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites",
                             verbose_name=_("account"))
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="favourites",
                                verbose_name=_("product"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="favourite_once_per_user")]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")

    def __str__(self):
        return f"{self.user_id} → {self.product_id}"
