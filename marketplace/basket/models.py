from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class BasketLine(models.Model):
    """A signed-in buyer's basket line; visitors' baskets live in their session until they log in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="basket_lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "product"], name="basket_line_unique_product")]
        verbose_name = _("basket line")
        verbose_name_plural = _("basket lines")

    def __str__(self):
        return f"{self.user_id}: {self.quantity} × {self.product_id}"
