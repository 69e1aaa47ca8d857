"""Emails of requests for quote (each in its recipient's language: the company's or the seller's), the
pro-forma invoice of a quote, and the daily expiry and chasing."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from config.public_urls import public_base, public_url
from sellers.roles import CHAMBER_STAFF_GROUP

from .models import Quote, QuoteMessage, QuoteThread
from .services import EMAIL_TO_BUYER, EMAIL_TO_SELLER, quotes_expire, threads_chase


def _buyer_emails(thread: QuoteThread) -> list[str]:
    return [member.user.email for member in thread.request.company.members.select_related("user")
            if member.user.email and member.user.is_active]


def _seller_emails(thread: QuoteThread) -> list[str]:
    return [member.user.email for member in thread.seller.members.select_related("user")
            if member.user.email and member.user.is_active]


def _send(thread: QuoteThread, side: str, kind: str, base_url: str, **extra) -> None:
    """Render ``quotes/emails/<kind>_{subject,body}.txt`` for one side, in its language, and send it."""
    if side == "buyer":
        emails, language = _buyer_emails(thread), thread.request.company.language
    else:
        emails, language = _seller_emails(thread), thread.seller.language
    if not emails:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        with public_base(base_url):
            url = public_url(reverse("quote_thread", args=[thread.pk]) if side == "buyer"
                             else reverse("quote_threads:inspect", args=[thread.pk]))
        context = {"thread": thread, "request": thread.request, "seller": thread.seller,
                   "company": thread.request.company, "url": url, "side": side, **extra}
        subject = render_to_string(f"quotes/emails/{kind}_subject.txt", context).strip()
        body = render_to_string(f"quotes/emails/{kind}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)


def _thread(thread_id: int) -> QuoteThread:
    return QuoteThread.objects.select_related("request", "request__company", "seller").get(pk=thread_id)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def quote_event_email_send(thread_id: int, kind: str, quote_id: int | None = None, base_url: str = "") -> None:
    thread = _thread(thread_id)
    quote = Quote.objects.filter(pk=quote_id).first() if quote_id else None
    if kind in EMAIL_TO_SELLER:
        _send(thread, "seller", kind, base_url, quote=quote)
    if kind in EMAIL_TO_BUYER:
        _send(thread, "buyer", kind, base_url, quote=quote)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def quote_message_email_send(message_id: int, base_url: str = "") -> None:
    """The other side is told of a message; a message of the chamber goes to both."""
    message = QuoteMessage.objects.select_related("thread").get(pk=message_id)
    thread = _thread(message.thread_id)
    sides = {"buyer": ["seller"], "seller": ["buyer"], "chamber": ["buyer", "seller"]}[message.side]
    for side in sides:
        _send(thread, side, "message", base_url, message=message,
              files=list(message.attachments.values_list("original_name", flat=True)))


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def quote_staff_flag_send(thread_id: int, base_url: str = "") -> None:
    """Tell chamber staff that a seller has not answered a request by the target, after a reminder."""
    thread = _thread(thread_id)
    staff = get_user_model().objects.filter(groups__name=CHAMBER_STAFF_GROUP, is_active=True).exclude(email="")
    with public_base(base_url):
        url = public_url(reverse("quote_threads:inspect", args=[thread.pk]))
    context = {"thread": thread, "request": thread.request, "seller": thread.seller,
               "company": thread.request.company, "url": url}
    for user in staff:
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("quotes/emails/staff_flag_subject.txt", context).strip()
            body = render_to_string("quotes/emails/staff_flag_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(ignore_result=True)
def quote_proforma_make(quote_id: int) -> None:
    """Make (or make again) the quote's pro-forma invoice PDF."""
    from .proforma import proforma_pdf  # fpdf2 is loaded only by the worker that makes documents

    quote = Quote.objects.select_related("thread", "thread__request", "thread__request__company",
                                         "thread__seller").filter(pk=quote_id).first()
    if quote is None:
        return
    with translation.override(quote.thread.request.language or settings.LANGUAGE_CODE):
        content = proforma_pdf(quote)
    if quote.proforma:
        quote.proforma.delete(save=False)
    quote.proforma.save(f"{quote.reference}-proforma.pdf", ContentFile(content), save=False)
    Quote.objects.filter(pk=quote.pk).update(proforma=quote.proforma.name)


@shared_task(ignore_result=True)
def quotes_daily_task() -> None:
    quotes_expire()
    threads_chase()
