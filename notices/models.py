"""Notices of illegal or unsafe products (DSA art. 16, GPSR art. 22) that anyone may send about a product,
the chamber's decisions on them, and the platform's public contact point (DSA art. 11 and 12)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DESCRIPTION_MAX_LENGTH = 5000


class Notice(models.Model):
    """What someone reported about a product, and what the chamber decided."""

    class Reason(models.TextChoices):
        UNSAFE = "unsafe", _("It is unsafe")
        COUNTERFEIT = "counterfeit", _("It is counterfeit")
        MISLEADING_LABEL = "misleading_label", _("Its label or description is misleading")
        OTHER = "other", _("Something else is wrong or illegal")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        UNDER_REVIEW = "under_review", _("under review")
        ACTION_TAKEN = "action_taken", _("action taken")
        NO_ACTION = "no_action", _("no action")

    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="notices",
                                verbose_name=_("product"))
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
                                help_text=_("The language of the report: the outcome is written in it."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    deadline = models.DateTimeField(_("decide by"))
    outcome_note = models.TextField(_("outcome"), blank=True, max_length=DESCRIPTION_MAX_LENGTH,
                                    help_text=_("What was decided and why: sent to the reporter."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    pages_unpublished = models.PositiveIntegerField(_("pages unpublished"), default=0)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self):
        return _("Notice %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.UNDER_REVIEW)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.deadline


@register_setting(icon="mail")
class NoticeSettings(BaseGenericSetting):
    """The platform's contact point for authorities and users, and how long the chamber has to decide
    on a notice."""

    contact_name = models.CharField(_("name"), max_length=200, blank=True,
                                    help_text=_("Who answers, e.g. the chamber's marketplace compliance office."))
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_postal_address = models.TextField(_("postal address"), blank=True, max_length=1000)
    contact_languages = models.CharField(
        _("languages"), max_length=200, blank=True, default="English, français, العربية",
        help_text=_("The languages in which authorities and users may write to the contact point."))
    contact_note = models.TextField(_("note"), blank=True, max_length=2000,
                                    help_text=_("Anything else the public page should say, e.g. opening hours."))
    deadline_days = models.PositiveSmallIntegerField(
        _("days to decide on a notice"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("A notice is due for a decision this many days after it is received."))

    panels = [
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone"),
                         FieldPanel("contact_postal_address"), FieldPanel("contact_languages"), FieldPanel("contact_note")],
                        heading=_("Contact point (public)")),
        FieldPanel("deadline_days"),
    ]

    class Meta:
        verbose_name = _("notices and contact point")
        verbose_name_plural = _("notices and contact point")

    def __str__(self):
        return str(self._meta.verbose_name)
