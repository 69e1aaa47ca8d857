"""Requests for quote and quotes between a trade company and sellers.

A ``QuoteRequest`` is what the buyer asks (lines, customisation, destination, incoterm, date needed);
it goes to one seller or to several, each in its own private ``QuoteThread``, so no seller ever sees
another's answers. In its thread a seller sends ``Quote``s (bulk or sample; a new one of the same kind
supersedes the last), and both sides exchange ``QuoteMessage``s with files. An accepted bulk quote
becomes an ordinary order, paid as a deposit and a balance.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.validators import validate_hs_code
from currency.fields import MONEY
from sellers.models import seller_document_storage


class QuoteIncoterm(models.TextChoices):
    """Incoterms 2020 a handicraft export is usually quoted under (the checkout knows DAP and DDP only)."""

    EXW = "EXW", _("EXW: ex works (the buyer collects at the workshop)")
    FCA = "FCA", _("FCA: free carrier (handed to the buyer's carrier)")
    FOB = "FOB", _("FOB: free on board (loaded on the ship at the port named)")
    DAP = "DAP", _("DAP: delivered at place (the buyer pays import duties and taxes)")
    DDP = "DDP", _("DDP: delivered duty paid (the seller pays import duties and taxes)")


# The incoterms under which the seller pays the carriage to the destination, so its quote includes shipping.
INCOTERMS_WITH_CARRIAGE = {QuoteIncoterm.DAP, QuoteIncoterm.DDP}


class QuoteRequest(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    company = models.ForeignKey("trade.TradeCompany", on_delete=models.PROTECT, related_name="quote_requests",
                                verbose_name=_("company"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("asked by"))
    title = models.CharField(_("what you need"), max_length=200,
                             help_text=_("In a few words, e.g. “300 tagines in our glaze”."))
    craft = models.ForeignKey("sellers.Trade", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("craft"))
    customisation = models.TextField(_("customisation"), blank=True, max_length=4000,
                                     help_text=_("Colours, sizes, glaze, a label with your brand…"))
    target_unit_price = models.DecimalField(_("target unit price"), null=True, blank=True,
                                            validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    destination_country = models.CharField(_("destination country"), max_length=2)
    destination_place = models.CharField(_("destination (town or port)"), max_length=100)
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=QuoteIncoterm.choices,
                                default=QuoteIncoterm.DAP)
    needed_by = models.DateField(_("needed by"))
    samples_wanted = models.BooleanField(_("samples wanted"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("asked"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request for quote")
        verbose_name_plural = _("requests for quote")

    def __str__(self):
        return f"{self.reference} {self.title}"


class QuoteRequestLine(models.Model):
    """One thing asked for: a seller's product, or a description (with photos) of something to make."""

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(1_000_000)])

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("requested line")
        verbose_name_plural = _("requested lines")

    def __str__(self):
        return f"{self.quantity} × {self.description}"


class QuoteThread(models.Model):
    """A request as one seller sees it: its quotes and messages, private to the buyer's company, that
    seller's members and chamber staff."""

    class Status(models.TextChoices):
        AWAITING_QUOTE = "awaiting_quote", _("awaiting a quote")
        QUOTED = "quoted", _("quoted")
        ACCEPTED = "accepted", _("quote accepted")
        DECLINED = "declined", _("declined by the seller")
        CLOSED = "closed", _("closed by the buyer")

    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="threads")
    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="quote_threads",
                               verbose_name=_("seller"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_QUOTE,
                              db_index=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The chamber's response target (QUOTE_RESPONSE_WORKING_DAYS working days from the request).
    respond_by = models.DateTimeField(_("to be answered by"))
    reminded_at = models.DateTimeField(_("seller reminded"), null=True, blank=True)
    flagged_at = models.DateTimeField(_("flagged to the chamber"), null=True, blank=True)
    first_quoted_at = models.DateTimeField(_("first quoted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last activity"))

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["request", "seller"], name="quote_thread_one_per_seller")]
        indexes = [models.Index(fields=["status", "respond_by"], name="quote_thread_response_due")]
        verbose_name = _("quote thread")
        verbose_name_plural = _("quote threads")

    def __str__(self):
        return f"{self.request.reference} / {self.seller}"


class Quote(models.Model):
    class Kind(models.TextChoices):
        BULK = "bulk", _("bulk order")
        SAMPLE = "sample", _("samples")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        SUPERSEDED = "superseded", _("replaced by a new quote")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("turned down by the buyer")
        WITHDRAWN = "withdrawn", _("withdrawn by the seller")
        EXPIRED = "expired", _("expired")

    thread = models.ForeignKey(QuoteThread, on_delete=models.CASCADE, related_name="quotes")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BULK)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    supersedes = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="superseded_by", verbose_name=_("replaces"))
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Days from the deposit to dispatch."))
    delivery_days = models.PositiveSmallIntegerField(
        _("transit (days)"), default=0, validators=[MaxValueValidator(120)],
        help_text=_("Days from dispatch to the destination, where the seller delivers (DAP, DDP)."))
    valid_until = models.DateField(_("valid until"))
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=QuoteIncoterm.choices)
    incoterm_place = models.CharField(_("named place or port"), max_length=100)
    shipping_base = models.DecimalField(_("shipping (base currency)"), default=0, validators=[MinValueValidator(0)],
                                        **MONEY)
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"), default=30, validators=[MinValueValidator(0), MaxValueValidator(100)])
    # Samples only: whether what the buyer pays for them is taken off the bulk order from the same seller.
    sample_credited = models.BooleanField(_("sample price credited against the bulk order"), default=False)
    notes = models.TextField(_("terms and notes"), blank=True, max_length=4000)
    subtotal_base = models.DecimalField(_("products (base currency)"), default=0, **MONEY)
    # Bulk quotes only: the price of credited samples paid on the same thread, taken off the order's unit
    # prices when the quote was accepted (a cent per unit less at most, as prices are whole cents).
    sample_credit_base = models.DecimalField(_("samples credited (base currency)"), default=0, **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("sent by"))
    created_at = models.DateTimeField(_("sent"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="quote", verbose_name=_("order"))
    proforma = models.FileField(_("pro-forma invoice"), upload_to="quotes/%Y/%m/", storage=seller_document_storage,
                                blank=True)

    class Meta:
        ordering = ["thread", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="quote_number_per_thread"),
            # One accepted quote of each kind per thread: the database refuses a second, whatever the race.
            models.UniqueConstraint(fields=["thread", "kind"], condition=Q(status="accepted"),
                                    name="quote_one_accepted_per_kind"),
        ]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self):
        return f"{self.thread.request.reference}-Q{self.number}"

    @property
    def reference(self) -> str:
        return f"{self.thread.request.reference}-Q{self.number}"

    @property
    def total_base(self):
        return self.subtotal_base + self.shipping_base


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("product"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1),
                                                                      MaxValueValidator(1_000_000)])
    unit_price_base = models.DecimalField(_("unit price (base currency)"), validators=[MinValueValidator(0)],
                                          **MONEY)
    hs_code = models.CharField(_("HS code"), max_length=16, validators=[validate_hs_code])
    weight_grams = models.PositiveIntegerField(_("unit weight (g)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["quote", "pk"]
        verbose_name = _("quoted line")
        verbose_name_plural = _("quoted lines")

    def __str__(self):
        return f"{self.quantity} × {self.description}"

    @property
    def line_total_base(self):
        return self.unit_price_base * self.quantity


class QuoteMessage(models.Model):
    class Side(models.TextChoices):
        BUYER = "buyer", _("buyer")
        SELLER = "seller", _("seller")
        CHAMBER = "chamber", _("chamber")

    thread = models.ForeignKey(QuoteThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("author"))
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.thread} {self.get_side_display()} {self.created_at:%Y-%m-%d}"


class QuoteAttachment(models.Model):
    """A file of a message or a photo of a requested line, kept privately and served after a check."""

    message = models.ForeignKey(QuoteMessage, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="attachments")
    request_line = models.ForeignKey(QuoteRequestLine, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="photos")
    file = models.FileField(_("file"), upload_to="quote-files/%Y/%m/", storage=seller_document_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(
            condition=Q(message__isnull=False, request_line__isnull=True)
            | Q(message__isnull=True, request_line__isnull=False),
            name="quote_attachment_one_owner")]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self):
        return self.original_name
