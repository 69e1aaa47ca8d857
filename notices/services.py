"""Notices about products: received from anyone, reviewed and decided by chamber staff, the reporter told
the outcome. Each step validates, writes in one transaction, is audit-logged and queues its email on commit."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from catalog.models import Product, ProductPage
from config.public_urls import public_base_url
from outbox.services import outbox_enqueue
from sellers.models import Seller
from sellers.roles import CHAMBER_STAFF_GROUP, role_groups_ensure

from .models import Notice, NoticeSettings

# What chamber staff may do here: see and decide notices, keep the contact point and the platform's
# responsible person in the EU (catalog's setting, the same job).
NOTICE_GROUP_PERMISSIONS = {
    CHAMBER_STAFF_GROUP: ("notices.view_notice", "notices.change_notice", "notices.change_noticesettings",
                          "catalog.change_euresponsiblepersonsettings"),
}

# Which statuses each status may move to; a decided notice is final.
TRANSITIONS = {
    Notice.Status.RECEIVED: {Notice.Status.UNDER_REVIEW, Notice.Status.ACTION_TAKEN, Notice.Status.NO_ACTION},
    Notice.Status.UNDER_REVIEW: {Notice.Status.ACTION_TAKEN, Notice.Status.NO_ACTION},
    Notice.Status.ACTION_TAKEN: set(),
    Notice.Status.NO_ACTION: set(),
}
DECISIONS = (Notice.Status.ACTION_TAKEN, Notice.Status.NO_ACTION)


def notice_groups_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Chamber staff see and decide notices. Idempotent (run after every migrate)."""
    role_groups_ensure(NOTICE_GROUP_PERMISSIONS, using=using)


def reportable_product(product_id) -> Product | None:
    """The product of that id if the public can see it (a live page of a verified seller), else None."""
    try:
        product_id = int(product_id)
    except (TypeError, ValueError):
        return None
    if not 0 < product_id < 2**31:
        return None
    return Product.objects.filter(
        pk=product_id, seller__status=Seller.Status.VERIFIED, pk__in=ProductPage.objects.live().values("product_id")
    ).select_related("seller").first()


def notice_submit(*, product: Product, reason: str, description: str, reporter_email: str = "",
                  language: str = "en", now=None) -> Notice:
    """Record a notice about a product, due for a decision after the configured number of days.

    Raises ValidationError for a reason not offered, an empty or too long description, a malformed email.
    """
    now = now or timezone.now()
    notice = Notice(
        product=product, reason=reason, description=(description or "").strip(),
        reporter_email=(reporter_email or "").strip(), language=language, received_at=now,
        deadline=now + timedelta(days=NoticeSettings.load().deadline_days),
    )
    notice.full_clean()
    with transaction.atomic():
        notice.save()
        log(notice, "notices.receive", data={"product": product.pk, "reason": reason})
    return notice


def _transition(notice: Notice, status: str) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if status not in TRANSITIONS[notice.status]:
        raise ValidationError(
            _("A notice whose status is “%(status)s” cannot be moved to “%(new)s”.")
            % {"status": notice.get_status_display(), "new": Notice.Status(status).label},
            code="invalid_transition")
    return notice


def notice_review_start(*, notice: Notice, by) -> Notice:
    """Staff take a received notice up. Raises ValidationError when it is not waiting to be reviewed."""
    with transaction.atomic():
        notice = _transition(notice, Notice.Status.UNDER_REVIEW)
        notice.status = Notice.Status.UNDER_REVIEW
        notice.save(update_fields=["status"])
        log(notice, "notices.review", user=by)
    return notice


def notice_decide(*, notice: Notice, by, status: str, outcome_note: str, unpublish: bool = False) -> Notice:
    """Decide an open notice: action taken (optionally unpublishing the product's pages) or no action,
    with the reasons, which the reporter is emailed in the language of the report.

    Raises ValidationError for a notice already decided, a status that is not a decision, an empty
    outcome, or unpublishing without taking action.
    """
    outcome_note = (outcome_note or "").strip()
    if status not in DECISIONS:
        raise ValidationError({"status": _("Choose “action taken” or “no action”.")}, code="invalid")
    if not outcome_note:
        raise ValidationError({"outcome_note": _("Say what was decided and why: the reporter is told.")}, code="required")
    if unpublish and status != Notice.Status.ACTION_TAKEN:
        raise ValidationError({"unpublish": _("Unpublish the product only when taking action.")}, code="invalid")
    with transaction.atomic():
        notice = _transition(notice, status)
        notice.status = status
        notice.outcome_note = outcome_note
        notice.decided_at = timezone.now()
        notice.decided_by = by
        if unpublish:
            notice.pages_unpublished = _product_pages_unpublish(notice.product, by=by)
        notice.full_clean()
        notice.save()
        log(notice, "notices.decide", user=by,
            data={"status": status, "outcome": outcome_note, "pages_unpublished": notice.pages_unpublished})
        if notice.reporter_email:
            outbox_enqueue("notices.tasks.notice_outcome_send", notice.pk, public_base_url())
    return notice


def _product_pages_unpublish(product: Product, *, by) -> int:
    count = 0
    # Aliases are left out: Wagtail unpublishes them with their source.
    for page in Page.objects.filter(pk__in=product.pages.values("pk")).live().filter(alias_of__isnull=True).specific():
        # The chamber's decision on the notice, not the staff member's page permissions, authorises this.
        UnpublishPageAction(page, user=by).execute(skip_permission_checks=True)
        count += 1
    return count
