"""Orders: what a buyer bought, at which prices and rate, shipped where; a snapshot that later catalogue
changes never alter."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from currency.fields import MONEY
from customs.models import Incoterm
from sellers.models import seller_document_storage


def access_token_new() -> str:
    return secrets.token_urlsafe(24)


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")
        REFUNDED = "refunded", _("refunded")

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # The private link of a guest's order page (and of anyone's, from the confirmation email).
    access_token = models.CharField(max_length=64, default=access_token_new, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="orders", verbose_name=_("account"))
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT,
                              db_index=True)

    base_currency = models.CharField(_("base currency"), max_length=3)
    currency = models.CharField(_("currency"), max_length=3)
    exchange_rate = models.DecimalField(_("exchange rate"), max_digits=20, decimal_places=10,
                                        help_text=_("Units of the order's currency for one unit of the base currency."))
    exchange_rate_as_of = models.DateField(_("rate of"), null=True, blank=True)
    subtotal_base = models.DecimalField(_("products (base currency)"), **MONEY)
    shipping_base = models.DecimalField(_("shipping (base currency)"), **MONEY)
    total_base = models.DecimalField(_("total (base currency)"), **MONEY)
    subtotal = models.DecimalField(_("products"), **MONEY)
    shipping = models.DecimalField(_("shipping"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    # Duties and taxes (issue 17): collected at checkout (in the total) or estimated and due on delivery,
    # with the destination rule's version, figures and the rate that converted the thresholds.
    incoterm = models.CharField(_("duties and taxes"), max_length=3, choices=Incoterm.choices, default=Incoterm.DAP)
    charges_collected_base = models.DecimalField(_("duties and taxes collected (base currency)"), default=0, **MONEY)
    charges_collected = models.DecimalField(_("duties and taxes collected"), default=0, **MONEY)
    charges_due_base = models.DecimalField(_("duties and taxes due on delivery (base currency)"), default=0, **MONEY)
    charges_due = models.DecimalField(_("duties and taxes due on delivery (estimate)"), default=0, **MONEY)
    customs_rule_code = models.CharField(_("destination rule"), max_length=20, blank=True)
    customs_rule_version = models.PositiveIntegerField(_("destination rule version"), null=True, blank=True)
    customs_rule_snapshot = models.JSONField(_("destination rule as applied"), default=dict, blank=True)
    customs_currency = models.CharField(_("currency of the thresholds"), max_length=3, blank=True)
    customs_rate = models.DecimalField(_("rate of the thresholds"), max_digits=20, decimal_places=10, null=True,
                                       blank=True, help_text=_("Units of the rule's currency for one unit of the base currency."))
    refunded = models.DecimalField(_("refunded"), default=0, **MONEY)
    # Bank transfers: what arrived so far, in the order's currency, and once paid what the total less
    # that came to (positive: a shortfall within the tolerance, kept as bank fees; negative: overpaid).
    received = models.DecimalField(_("received by transfer"), default=0, **MONEY)
    payment_difference = models.DecimalField(_("difference at payment"), null=True, blank=True, **MONEY)
    # Paid in two instalments (a wholesale quote): the deposit pays the order (it is split to its sellers,
    # who start making), the rest is due before a part ships. 0: paid in one go.
    deposit = models.DecimalField(_("deposit"), default=0, help_text=_("In the order's currency; 0 when paid in one go."),
                                  **MONEY)
    deposit_base = models.DecimalField(_("deposit (base currency)"), default=0, **MONEY)
    balance_paid_at = models.DateTimeField(_("balance paid"), null=True, blank=True)

    ship_name = models.CharField(_("recipient"), max_length=120)
    ship_line1 = models.CharField(_("address"), max_length=200)
    ship_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    ship_city = models.CharField(_("town or city"), max_length=100)
    ship_region = models.CharField(_("state, province or region"), max_length=100, blank=True)
    ship_postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    ship_country = models.CharField(_("country"), max_length=2)
    ship_phone = models.CharField(_("phone"), max_length=32, blank=True)
    delivery_by = models.DateField(_("estimated delivery"))

    payment_provider = models.CharField(_("payment method"), max_length=30)
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    pay_by = models.DateTimeField(_("to be paid by"), help_text=_("Unpaid by then, the order is cancelled and its stock released."))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)
    payment_error = models.CharField(_("last payment error"), max_length=300, blank=True)
    payment_reminded_at = models.DateTimeField(_("reminded to pay"), null=True, blank=True)
    split_at = models.DateTimeField(_("routed to sellers"), null=True, blank=True)
    # The checkout attempt that placed it (a random key the review page carries): unique, so the same
    # "place order" post, repeated or concurrent, finds this order instead of placing another.
    placement_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Bought on trade terms: the company, its VAT number as it was, and whether the import VAT is the
    # buyer's to account for (reverse charge), so the invoice says it and no VAT was charged.
    trade_company = models.ForeignKey("trade.TradeCompany", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="orders", verbose_name=_("trade company"))
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=20, blank=True)
    reverse_charge = models.BooleanField(_("reverse charge"), default=False,
                                         help_text=_("Import VAT accounted for by the buyer, none charged."))

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["status", "pay_by"], name="order_unpaid_due")]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self):
        return self.reference

    @property
    def is_open_for_payment(self) -> bool:
        """Awaiting its first payment (the total, or the deposit); the balance is ``balance_open``."""
        return self.status == self.Status.AWAITING_PAYMENT

    @property
    def balance(self) -> Decimal:
        """What is left to pay after the deposit (0 for an order paid in one go)."""
        return self.total - self.deposit if self.deposit else Decimal(0)

    @property
    def balance_due(self) -> bool:
        """An order paid in instalments whose balance is still to come (before or after the deposit)."""
        return bool(self.deposit) and self.balance_paid_at is None and self.status in (
            self.Status.AWAITING_PAYMENT, self.Status.PAID)

    @property
    def balance_open(self) -> bool:
        """The deposit is paid and the balance can be paid now (it must be before a part ships)."""
        return self.status == self.Status.PAID and bool(self.deposit) and self.balance_paid_at is None

    @property
    def amount_due_now(self) -> Decimal:
        """What the buyer is to pay now, in the order's currency: the total or the deposit while awaiting
        payment, the balance once the deposit is paid, else nothing."""
        if self.status == self.Status.AWAITING_PAYMENT:
            return self.deposit or self.total
        if self.balance_open:
            return self.total - self.deposit
        return Decimal(0)

    @property
    def amount_paid(self) -> Decimal:
        """What the buyer has paid (before refunds): nothing yet, the deposit, or the total."""
        if self.paid_at is None:
            return Decimal(0)
        return self.deposit if self.deposit and self.balance_paid_at is None else self.total

    def paid_share_of(self, amount: Decimal) -> Decimal:
        """The part of ``amount`` (a seller's part of the total) that is paid so far: all of it, or the
        deposit's proportion of it while the balance is unpaid."""
        if not self.deposit or self.balance_paid_at is not None or not self.total:
            return amount
        return (amount * self.deposit / self.total).quantize(Decimal("0.01"))

    @property
    def overpaid(self) -> bool:
        """More arrived by transfer than the total: staff return the excess."""
        return self.received > self.total


class OrderLine(models.Model):
    """One product of an order as it was sold: its price, customs data and weight at that moment."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # Set when the paid order is split: each line belongs to exactly one seller's part.
    seller_order = models.ForeignKey("SellerOrder", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, related_name="+")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="order_lines",
                               verbose_name=_("seller"))
    title = models.CharField(_("product"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_base = models.DecimalField(_("unit price (base currency)"), **MONEY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    line_total = models.DecimalField(_("line total"), **MONEY)
    hs_code = models.CharField(_("HS code"), max_length=12)
    weight_grams = models.PositiveIntegerField(_("unit weight (g)"))
    hs_edition = models.CharField(_("HS edition"), max_length=10, default="HS2022")
    origin_country = models.CharField(_("country of origin"), max_length=2)
    made_to_order = models.BooleanField(_("made to order"), default=False)
    personalised = models.BooleanField(_("personalised"), default=False)
    # Made-to-order lines take no stock, so only the others give it back when an order is cancelled.
    stock_taken = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["order", "seller_id", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self):
        return f"{self.quantity} × {self.title}"


class OrderShippingPart(models.Model):
    """What one seller ships of an order: its parcels and their price."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipping_parts")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller"))
    weight_grams = models.PositiveIntegerField(_("weight (g)"))
    parcels = models.PositiveSmallIntegerField(_("parcels"))
    price_base = models.DecimalField(_("shipping (base currency)"), **MONEY)
    price = models.DecimalField(_("shipping"), **MONEY)
    dispatch_by = models.DateField(_("dispatch by"))
    incoterm = models.CharField(_("duties and taxes"), max_length=3, choices=Incoterm.choices, default=Incoterm.DAP)
    # The scheme the tax collected at sale is declared under ("ioss", "uk_vat") and the marketplace's number in it.
    collection_scheme = models.CharField(_("tax collected under"), max_length=10, blank=True)
    collection_number = models.CharField(_("collection number"), max_length=30, blank=True)
    charges_collected_base = models.DecimalField(_("duties and taxes collected (base currency)"), default=0, **MONEY)
    charges_collected = models.DecimalField(_("duties and taxes collected"), default=0, **MONEY)
    charges_due_base = models.DecimalField(_("duties and taxes due on delivery (base currency)"), default=0, **MONEY)
    charges_due = models.DecimalField(_("duties and taxes due on delivery (estimate)"), default=0, **MONEY)

    class Meta:
        ordering = ["order", "seller_id"]
        constraints = [models.UniqueConstraint(fields=["order", "seller"], name="order_shipping_part_one_per_seller")]
        verbose_name = _("shipping part")
        verbose_name_plural = _("shipping parts")

    def __str__(self):
        return f"{self.order_id} / {self.seller_id}"


class OrderCharge(models.Model):
    """A duty, tax or fee of one seller's consignment, as priced when the order was placed."""

    class Kind(models.TextChoices):
        TAX = "tax", _("tax")
        DUTY = "duty", _("duty")
        FLAT_DUTY = "flat_duty", _("flat duty per tariff line")
        HANDLING = "handling", _("carrier's collection fee")
        REVERSE_CHARGE = "reverse", _("tax accounted for by the buyer (reverse charge)")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="charges")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("name"), max_length=30, blank=True, help_text=_("The tax's name: VAT, GST…"))
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    preferential = models.BooleanField(_("duty-free with a statement of origin"), default=False)
    rate_unknown = models.BooleanField(_("assessed by customs"), default=False)
    amount_base = models.DecimalField(_("amount (base currency)"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    collected_now = models.BooleanField(_("collected at checkout"))
    collection_scheme = models.CharField(_("tax collected under"), max_length=10, blank=True)
    country = models.CharField(_("destination"), max_length=2)

    class Meta:
        ordering = ["order", "seller_id", "pk"]
        indexes = [models.Index(fields=["kind", "collected_now", "country"], name="order_charge_report")]
        verbose_name = _("duty or tax")
        verbose_name_plural = _("duties and taxes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class RefundState(models.TextChoices):
    DUE = "due", _("to be refunded")
    SENDING = "sending", _("being asked of the payment provider")
    SENT = "sent", _("refunded")
    FAILED = "failed", _("refund failed")
    MANUAL = "manual", _("to be returned by bank transfer")


class SellerOrder(models.Model):
    """One seller's part of a paid order: its lines and its parcel, which that seller accepts or
    declines, packs and ships."""

    class Status(models.TextChoices):
        AWAITING_ACCEPTANCE = "awaiting_acceptance", _("awaiting acceptance")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        PACKED = "packed", _("packed")
        SHIPPED = "shipped", _("shipped")
        DELIVERED = "delivered", _("delivered")
        # The whole order was refunded (by the payment provider) before this part was delivered.
        CANCELLED = "cancelled", _("cancelled: order refunded")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="seller_orders")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="seller_orders",
                               verbose_name=_("seller"))
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.AWAITING_ACCEPTANCE, db_index=True)
    subtotal = models.DecimalField(_("products"), **MONEY)
    shipping = models.DecimalField(_("shipping"), **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    subtotal_base = models.DecimalField(_("products (base currency)"), **MONEY)
    shipping_base = models.DecimalField(_("shipping (base currency)"), **MONEY)
    total_base = models.DecimalField(_("total (base currency)"), **MONEY)
    dispatch_by = models.DateField(_("dispatch by"))
    incoterm = models.CharField(_("duties and taxes"), max_length=3, choices=Incoterm.choices, default=Incoterm.DAP)
    # The scheme the tax collected at sale is declared under ("ioss", "uk_vat") and the marketplace's number in it.
    collection_scheme = models.CharField(_("tax collected under"), max_length=10, blank=True)
    collection_number = models.CharField(_("collection number"), max_length=30, blank=True)
    charges_collected_base = models.DecimalField(_("duties and taxes collected (base currency)"), default=0, **MONEY)
    charges_collected = models.DecimalField(_("duties and taxes collected"), default=0, **MONEY)
    charges_due_base = models.DecimalField(_("duties and taxes due on delivery (base currency)"), default=0, **MONEY)
    charges_due = models.DecimalField(_("duties and taxes due on delivery (estimate)"), default=0, **MONEY)

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    accept_by = models.DateTimeField(_("to be accepted by"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the chamber"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    refunded = models.DecimalField(_("refunded"), default=0, **MONEY)
    # A declined part's refund is recorded before the provider is asked, so that nothing, neither a retry
    # nor a crash between the provider's answer and our save, ever refunds a part twice.
    refund_state = models.CharField(_("refund"), max_length=10, choices=RefundState.choices, blank=True)
    refund_reference = models.CharField(_("refund reference"), max_length=255, blank=True)
    refund_error = models.CharField(_("refund error"), max_length=300, blank=True)
    refund_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    packed_at = models.DateTimeField(_("packed"), null=True, blank=True)
    packed_weight_grams = models.PositiveIntegerField(_("packed weight (g)"), null=True, blank=True)
    parcels = models.PositiveSmallIntegerField(_("parcels"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "seller"], name="seller_order_one_per_seller")]
        indexes = [models.Index(fields=["status", "accept_by"], name="seller_order_acceptance_due")]
        verbose_name = _("seller order")
        verbose_name_plural = _("seller orders")

    def __str__(self):
        return self.reference


class SellerOrderDocument(models.Model):
    """An export document of a seller's part, as a PDF made by a Celery task."""

    class Kind(models.TextChoices):
        COMMERCIAL_INVOICE = "commercial_invoice", _("commercial invoice")
        PACKING_LIST = "packing_list", _("packing list")
        CUSTOMS_DECLARATION = "customs_declaration", _("customs declaration (CN 23)")

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="order-documents/%Y/%m/", storage=seller_document_storage)
    created_at = models.DateTimeField(_("made"), auto_now=True)

    class Meta:
        ordering = ["seller_order", "kind"]
        constraints = [models.UniqueConstraint(fields=["seller_order", "kind"], name="seller_order_document_one_per_kind")]
        verbose_name = _("export document")
        verbose_name_plural = _("export documents")

    def __str__(self):
        return f"{self.seller_order} {self.get_kind_display()}"
