"""Requests for quote through their services: who may ask and answer, every transition of a thread and
of a quote (allowed and refused), expiry, reminders and the chamber's flag, and messages emailed in the
recipient's language."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from wagtail.models import ModelLogEntry

from marketplace.quotes.models import Quote, QuoteAttachment, QuoteThread
from marketplace.quotes.services import (
    QUOTE_TRANSITIONS,
    THREAD_TRANSITIONS,
    QuoteLineInput,
    RequestLineInput,
    quote_message_post,
    quote_reject,
    quote_withdraw,
    quotes_expire,
    thread_close,
    thread_decline,
    threads_chase,
    working_days_after,
)
from marketplace.trade.models import TradeCompany
from tests.factories.catalog import jpeg_bytes
from tests.factories.quotes import quote_for, request_for_quote, seller_with_member
from tests.factories.sellers import SellerFactory, UserFactory
from tests.factories.trade import TradeCompanyFactory, trade_buyer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_potteries():
    return seller_with_member(legal_name="Coopérative Poterie Safi", language="fr"), \
        seller_with_member(legal_name="Atelier Tamegroute", language="ar")


def thread_of(request, seller) -> QuoteThread:
    return request.threads.get(seller=seller)


class TestAsking:
    def test_one_request_to_two_sellers_makes_two_private_threads_each_told_in_its_language(self, two_potteries):
        (safi, _), (tamegroute, _) = two_potteries
        request = request_for_quote(sellers=[safi, tamegroute])
        assert sorted(request.threads.values_list("seller__legal_name", flat=True)) == [
            "Atelier Tamegroute", "Coopérative Poterie Safi"]
        assert all(thread.status == QuoteThread.Status.AWAITING_QUOTE for thread in request.threads.all())
        subjects = sorted(message.subject for message in mail.outbox)
        assert any("demande de devis" in subject.lower() for subject in subjects), subjects
        assert request.reference.startswith("RFQ")
        assert request.threads.first().respond_by == working_days_after(request.created_at, 3)

    def test_only_a_verified_trade_buyer_may_ask(self, two_potteries):
        (safi, _), _other = two_potteries
        retail = UserFactory()
        pending = trade_buyer_create(TradeCompanyFactory(status=TradeCompany.Status.PENDING))
        for user in (retail, pending):
            with pytest.raises(ValidationError):
                request_for_quote(user, [safi])
        assert not QuoteThread.objects.exists()

    @pytest.mark.parametrize("fields, field", [
        ({"needed_by": timezone.localdate()}, "needed_by"),
        ({"incoterm": "CIF"}, "incoterm"),
        ({"destination_country": "XX"}, "destination_country"),
        ({"currency": "ZZZ"}, "currency"),
        ({"lines": [RequestLineInput(quantity=0, description="Tagine")]}, "lines"),
        ({"lines": [RequestLineInput(quantity=5, description="   ")]}, "lines"),
        ({"title": ""}, "title"),
    ])
    def test_bad_requests_are_refused_whole(self, two_potteries, fields, field):
        (safi, _), _other = two_potteries
        with pytest.raises(ValidationError) as refused:
            request_for_quote(sellers=[safi], **fields)
        assert field in refused.value.message_dict
        assert not QuoteThread.objects.exists()

    def test_a_craft_id_that_names_no_craft_is_dropped(self, two_potteries):
        (safi, _), _other = two_potteries
        assert request_for_quote(sellers=[safi], craft_id=987654321).craft_id is None

    def test_sellers_must_be_verified_and_few(self, two_potteries):
        (safi, _), _other = two_potteries
        suspended = SellerFactory(status="suspended")
        with pytest.raises(ValidationError) as refused:
            request_for_quote(sellers=[safi, suspended])
        assert "sellers" in refused.value.message_dict
        with pytest.raises(ValidationError):
            request_for_quote(sellers=[SellerFactory() for _ in range(6)])
        with pytest.raises(ValidationError):
            request_for_quote(sellers=[])

    def test_photos_are_checked_by_their_bytes(self, two_potteries):
        (safi, _), _other = two_potteries
        photo = SimpleUploadedFile("glaze.jpg", jpeg_bytes(), content_type="image/jpeg")
        request = request_for_quote(sellers=[safi], lines=[RequestLineInput(quantity=300, description="Tagine",
                                                                            photos=[photo])])
        assert QuoteAttachment.objects.get(request_line__request=request).content_type == "image/jpeg"
        fake = SimpleUploadedFile("glaze.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
        with pytest.raises(ValidationError) as refused:
            request_for_quote(sellers=[safi], lines=[RequestLineInput(quantity=300, description="Tagine",
                                                                     photos=[fake])])
        assert "photos" in refused.value.message_dict
        assert QuoteAttachment.objects.count() == 1


class TestQuoting:
    def test_a_member_quotes_and_the_buyer_is_told_with_a_pro_forma(self, two_potteries):
        (safi, potter), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        mail.outbox.clear()
        quote = quote_for(thread_of(request, safi), potter)
        thread = thread_of(request, safi)
        assert thread.status == QuoteThread.Status.QUOTED and thread.first_quoted_at is not None
        assert quote.subtotal_base == Decimal("54000.00") and quote.total_base == Decimal("56400.00")
        assert quote.reference == f"{request.reference}-Q1"
        assert [message.to for message in mail.outbox] == [[request.created_by.email]]
        assert ModelLogEntry.objects.filter(action="quotes.quote_send", object_id=str(quote.pk)).exists()

    def test_another_sellers_member_or_the_buyer_cannot_quote(self, two_potteries):
        (safi, _), (_tamegroute, other_potter) = two_potteries
        request = request_for_quote(sellers=[safi])
        for user in (other_potter, request.created_by, UserFactory()):
            with pytest.raises(PermissionDenied):
                quote_for(thread_of(request, safi), user)
        assert not Quote.objects.exists()

    def test_a_new_quote_of_the_same_kind_supersedes_the_open_one_and_a_sample_quote_does_not(self, two_potteries):
        (safi, potter), _other = two_potteries
        thread = thread_of(request_for_quote(sellers=[safi]), safi)
        first = quote_for(thread, potter)
        sample = quote_for(thread, potter, kind="sample", quantity=2, unit_price="250.00", sample_credited=True)
        second = quote_for(thread, potter, unit_price="170.00")
        first.refresh_from_db()
        sample.refresh_from_db()
        assert first.status == Quote.Status.SUPERSEDED and second.supersedes == first
        assert sample.status == Quote.Status.OPEN and sample.deposit_percent == 0
        assert [quote.number for quote in thread.quotes.order_by("number")] == [1, 2, 3]

    @pytest.mark.parametrize("fields, field", [
        ({"valid_days": -1}, "valid_until"),
        ({"incoterm": "EXW", "shipping": "100"}, None),
        ({"unit_price": "-1"}, "lines"),
        ({"deposit_percent": 101}, "deposit_percent"),
        ({"lead_time_days": 0}, "lead_time_days"),
        ({"kind": "bulk", "sample_credited": True}, "sample_credited"),
        ({"lines": [QuoteLineInput("Tagine", 300, Decimal("180"), hs_code="12", weight_grams=2500)]}, "lines"),
    ])
    def test_bad_quotes_are_refused_whole(self, two_potteries, fields, field):
        (safi, potter), _other = two_potteries
        thread = thread_of(request_for_quote(sellers=[safi]), safi)
        if fields.get("incoterm") == "EXW":  # the helper drops shipping outside DAP/DDP: send it by hand
            from marketplace.quotes.services import quote_send
            with pytest.raises(ValidationError) as refused:
                quote_send(thread=thread, by=potter, kind="bulk", lead_time_days=30, incoterm="EXW",
                           incoterm_place="Safi", valid_until=timezone.localdate() + timedelta(days=10),
                           shipping_base=Decimal("100"),
                           lines=[QuoteLineInput("Tagine", 300, Decimal("180"), hs_code="6912.00", weight_grams=2500)])
            assert "shipping_base" in refused.value.message_dict
        else:
            with pytest.raises(ValidationError) as refused:
                quote_for(thread, potter, **fields)
            assert field in refused.value.message_dict
        assert not Quote.objects.exists()
        assert QuoteThread.objects.get(pk=thread.pk).status == QuoteThread.Status.AWAITING_QUOTE


class TestTransitions:
    def test_every_thread_step_refused_from_a_status_it_does_not_start_from(self, two_potteries):
        (safi, potter), _other = two_potteries
        for status in QuoteThread.Status.values:
            request = request_for_quote(sellers=[safi])
            thread = thread_of(request, safi)
            QuoteThread.objects.filter(pk=thread.pk).update(status=status)
            buyer = request.created_by
            steps = {
                "quote": lambda thread=thread: quote_for(thread, potter),
                "decline": lambda thread=thread: thread_decline(thread=thread, by=potter, reason="Kiln full"),
                "close": lambda thread=thread, buyer=buyer: thread_close(thread=thread, by=buyer),
                "message": lambda thread=thread, buyer=buyer: quote_message_post(thread=thread, by=buyer, body="Hi"),
            }
            for step, run in steps.items():
                allowed = status in THREAD_TRANSITIONS[step]
                if allowed:
                    with TestCase.captureOnCommitCallbacks(execute=True):
                        run()
                    QuoteThread.objects.filter(pk=thread.pk).update(status=status)
                else:
                    with pytest.raises(ValidationError):
                        run()

    def test_every_quote_step_refused_from_a_status_it_does_not_start_from(self, two_potteries):
        (safi, potter), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        thread = thread_of(request, safi)
        quote = quote_for(thread, potter)
        for status in Quote.Status.values:
            Quote.objects.filter(pk=quote.pk).update(status=status)
            for step, run in {"withdraw": lambda: quote_withdraw(quote=quote, by=potter),
                              "reject": lambda: quote_reject(quote=quote, by=request.created_by)}.items():
                sources, target = QUOTE_TRANSITIONS[step]
                if status in sources:
                    with TestCase.captureOnCommitCallbacks(execute=True):
                        run()
                    assert Quote.objects.get(pk=quote.pk).status == target
                    Quote.objects.filter(pk=quote.pk).update(status=status)
                else:
                    with pytest.raises(ValidationError):
                        run()
                    assert Quote.objects.get(pk=quote.pk).status == status

    def test_declining_needs_a_reason_withdraws_open_quotes_and_tells_the_buyer(self, two_potteries):
        (safi, potter), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        thread = thread_of(request, safi)
        quote = quote_for(thread, potter)
        with pytest.raises(ValidationError):
            thread_decline(thread=thread, by=potter, reason="  ")
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            thread_decline(thread=thread, by=potter, reason="Our kiln is booked until June")
        quote.refresh_from_db()
        assert quote.status == Quote.Status.WITHDRAWN
        assert "Our kiln is booked until June" in mail.outbox[-1].body

    def test_the_buyer_closes_and_open_quotes_lapse(self, two_potteries):
        (safi, potter), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        quote = quote_for(thread_of(request, safi), potter)
        with pytest.raises(PermissionDenied):
            thread_close(thread=thread_of(request, safi), by=potter)
        with TestCase.captureOnCommitCallbacks(execute=True):
            thread_close(thread=thread_of(request, safi), by=request.created_by)
        quote.refresh_from_db()
        assert quote.status == Quote.Status.REJECTED
        assert thread_of(request, safi).status == QuoteThread.Status.CLOSED


class TestDeadlines:
    def test_quotes_past_their_validity_expire(self, two_potteries):
        (safi, potter), _other = two_potteries
        thread = thread_of(request_for_quote(sellers=[safi]), safi)
        quote = quote_for(thread, potter, valid_days=3)
        assert quotes_expire(now=timezone.now() + timedelta(days=3)) == 0
        assert quotes_expire(now=timezone.now() + timedelta(days=4)) == 1
        quote.refresh_from_db()
        assert quote.status == Quote.Status.EXPIRED

    def test_an_unanswered_seller_is_reminded_once_then_flagged_to_the_chamber(self, two_potteries):
        (safi, potter), (tamegroute, other_potter) = two_potteries
        monday = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 0))
        request = request_for_quote(sellers=[safi, tamegroute], now=monday)
        quote_for(thread_of(request, tamegroute), other_potter, now=monday)
        thursday = monday + timedelta(days=3)
        assert thread_of(request, safi).respond_by == thursday
        assert threads_chase(now=thursday - timedelta(minutes=1)) == (0, 0)
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert threads_chase(now=thursday) == (1, 0)
        assert [message.to for message in mail.outbox] == [[potter.email]]
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert threads_chase(now=thursday + timedelta(hours=2)) == (0, 0)
            assert threads_chase(now=thursday + timedelta(days=1)) == (0, 1)
            assert threads_chase(now=thursday + timedelta(days=2)) == (0, 0)
        assert thread_of(request, safi).flagged_at is not None
        assert thread_of(request, tamegroute).flagged_at is None

    def test_working_days_skip_the_weekend(self):
        friday = timezone.make_aware(timezone.datetime(2026, 12, 4, 17, 0))
        assert working_days_after(friday, 1).weekday() == 0
        assert working_days_after(friday, 3) == friday + timedelta(days=5)


class TestMessages:
    def test_a_message_with_a_photo_reaches_the_other_side_in_its_language(self, two_potteries):
        (safi, potter), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        mail.outbox.clear()
        photo = SimpleUploadedFile("glaze-sample.jpg", jpeg_bytes(), content_type="image/jpeg")
        with TestCase.captureOnCommitCallbacks(execute=True):
            message = quote_message_post(thread=thread_of(request, safi), by=request.created_by,
                                         body="Here is our glaze colour.", files=[photo])
        assert message.side == "buyer" and message.attachments.count() == 1
        assert [sent.to for sent in mail.outbox] == [[potter.email]]
        assert "nouveau message" in mail.outbox[0].subject and "glaze-sample.jpg" in mail.outbox[0].body
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            quote_message_post(thread=thread_of(request, safi), by=potter, body="Bien reçu.")
        assert [sent.to for sent in mail.outbox] == [[request.created_by.email]]

    def test_nobody_outside_the_thread_writes_in_it(self, two_potteries):
        (safi, _), (_tamegroute, other_potter) = two_potteries
        request = request_for_quote(sellers=[safi])
        other_buyer = trade_buyer_create()
        for outsider in (other_potter, other_buyer, UserFactory()):
            with pytest.raises(PermissionDenied):
                quote_message_post(thread=thread_of(request, safi), by=outsider, body="Let me in")
        assert not thread_of(request, safi).messages.exists()

    def test_empty_or_hostile_messages_are_refused(self, two_potteries):
        (safi, _), _other = two_potteries
        request = request_for_quote(sellers=[safi])
        thread = thread_of(request, safi)
        for body, files in (("", []), ("x" * 5001, []),
                            ("ok", [SimpleUploadedFile("a.jpg", b"GIF89a", content_type="image/jpeg")])):
            with pytest.raises(ValidationError):
                quote_message_post(thread=thread, by=request.created_by, body=body, files=files)
        assert not thread.messages.exists()


def test_chamber_staff_write_on_a_thread_and_both_sides_are_told(two_potteries):
    from tests.factories.accounts import chamber_staff_create

    (safi, potter), _other = two_potteries
    request = request_for_quote(sellers=[safi])
    inspector_like = UserFactory()
    with pytest.raises(PermissionDenied):
        quote_message_post(thread=thread_of(request, safi), by=inspector_like, body="Hello")
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = quote_message_post(thread=thread_of(request, safi), by=chamber_staff_create(),
                                     body="The chamber can help with the export licence.")
    assert message.side == "chamber"
    assert sorted(sent.to[0] for sent in mail.outbox) == sorted([potter.email, request.created_by.email])
