"""A return from request to refund: every allowed and refused step, who may take it, the legal window
and its exceptions, what is refunded and what goes back on sale."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from catalog.models import Product
from marketplace.orders.models import RefundState, SellerOrder
from marketplace.returns.models import ReturnRequest
from marketplace.returns.selectors import return_eligibility
from marketplace.returns.services import (
    TRANSITIONS,
    return_authorise,
    return_cancel,
    return_receive,
    return_refund_record,
    return_refuse,
    return_request_create,
    return_send,
    returns_escalate,
)
from marketplace.returns.tasks import returns_escalate_task

from .conftest import NEW_YORK, delivered_order

pytestmark = pytest.mark.django_db
Status = ReturnRequest.Status


def line_of(part: SellerOrder, product) -> int:
    return part.lines.get(product=product).pk


def ask(part, quantities, reason="Too small", now=None) -> ReturnRequest:
    return return_request_create(seller_order=part, quantities=quantities, reason=reason, now=now)


def in_status(return_request: ReturnRequest, status) -> ReturnRequest:
    ReturnRequest.objects.filter(pk=return_request.pk).update(status=status)
    return_request.refresh_from_db()
    return return_request


# Each step, the service that takes it, and who (None: the buyer, through the order's link).
def take(step, return_request, shop):
    member = shop["member"]
    return {
        "authorise": lambda: return_authorise(return_request=return_request, by=member),
        "refuse": lambda: return_refuse(return_request=return_request, by=member, reason="Worn"),
        "send": lambda: return_send(return_request=return_request, carrier="Amana", tracking_number="RR1"),
        "receive": lambda: return_receive(return_request=return_request, by=member, condition_notes="As new"),
        "refund": lambda: return_refund_record(return_request=return_request, by=shop["staff"], reference="VIR"),
        "cancel": lambda: return_cancel(return_request=return_request),
    }[step]()


STEPS = list(TRANSITIONS)
ALL = list(Status)


class TestTransitionTable:
    @pytest.mark.parametrize("step", STEPS)
    @pytest.mark.parametrize("status", ALL)
    def test_each_step_is_taken_only_from_the_statuses_the_table_allows(self, shop, step, status):
        part = delivered_order((shop["cushion"], 1))  # excepted: outside the legal right, so refusable
        return_request = ask(part, {line_of(part, shop["cushion"]): 1})
        if step == "refund":
            return_request.refund_state = RefundState.MANUAL
            return_request.save()
        return_request = in_status(return_request, status)
        sources, target = TRANSITIONS[step]
        if status in sources:
            assert take(step, return_request, shop).status == target
        else:
            with pytest.raises(ValidationError):
                take(step, return_request, shop)
            return_request.refresh_from_db()
            assert return_request.status == status


class TestWhoActs:
    @pytest.mark.parametrize("step", ["authorise", "refuse", "receive"])
    def test_another_sellers_member_and_anonymous_may_not_act(self, shop, step):
        part = delivered_order((shop["cushion"], 1))
        return_request = ask(part, {line_of(part, shop["cushion"]): 1})
        if step == "receive":
            return_request = in_status(return_request, Status.SENT)
        services = {"authorise": lambda user: return_authorise(return_request=return_request, by=user),
                    "refuse": lambda user: return_refuse(return_request=return_request, by=user, reason="No"),
                    "receive": lambda user: return_receive(return_request=return_request, by=user)}
        for user in (shop["other_member"], None):
            with pytest.raises(PermissionDenied):
                services[step](user)

    def test_staff_decide_only_once_the_sellers_time_has_passed(self, shop, committed):
        part = delivered_order((shop["rug"], 1))
        return_request = ask(part, {line_of(part, shop["rug"]): 1})
        with pytest.raises(PermissionDenied):
            return_authorise(return_request=return_request, by=shop["staff"])
        later = return_request.answer_by + timedelta(minutes=1)
        mail.outbox.clear()
        assert committed(returns_escalate, now=later) == 1
        assert returns_escalate(now=later) == 0  # once
        [told] = mail.outbox
        assert "chamber@example.org" in told.to and return_request.reference in told.subject
        decided = return_authorise(return_request=return_request, by=shop["staff"], now=later)
        assert decided.status == Status.AUTHORISED and decided.decided_by_staff
        assert decided.return_address == "Derb 12, Fes, Morocco"

    def test_the_beat_task_escalates(self, shop):
        part = delivered_order((shop["rug"], 1))
        ReturnRequest.objects.filter(pk=ask(part, {line_of(part, shop["rug"]): 1}).pk).update(
            answer_by=timezone.now() - timedelta(hours=1))
        assert returns_escalate_task() == 1


class TestWithdrawalWindow:
    def test_day_14_after_delivery_is_a_legal_withdrawal_the_seller_cannot_refuse(self, shop):
        part = delivered_order((shop["rug"], 1), days_ago=14)
        return_request = ask(part, {line_of(part, shop["rug"]): 1})
        assert return_request.legal_withdrawal and return_request.withdrawal_days == 14
        with pytest.raises(ValidationError, match="cannot be refused"):
            return_refuse(return_request=return_request, by=shop["member"], reason="Late")
        assert return_authorise(return_request=return_request, by=shop["member"]).status == Status.AUTHORISED

    def test_day_15_is_outside_the_window_and_the_seller_may_refuse(self, shop):
        part = delivered_order((shop["rug"], 1), days_ago=15)
        assert not return_eligibility(seller_order=part).within_window
        return_request = ask(part, {line_of(part, shop["rug"]): 1})
        assert not return_request.legal_withdrawal
        refused = return_refuse(return_request=return_request, by=shop["member"], reason="After 14 days")
        assert refused.status == Status.REFUSED and refused.refusal_reason == "After 14 days"

    @pytest.mark.parametrize("product", ["cushion", "lamp"])
    def test_personalised_and_made_to_order_goods_are_excepted_and_say_why(self, shop, product):
        part = delivered_order((shop[product], 1))
        [item] = return_eligibility(seller_order=part).lines
        assert "excepted" in item.excepted_reason
        return_request = ask(part, {line_of(part, shop[product]): 1})
        assert not return_request.legal_withdrawal and return_request.lines.get().excepted
        assert return_refuse(return_request=return_request, by=shop["member"], reason="Made for you").status == Status.REFUSED

    def test_outside_the_rule_countries_the_sellers_policy_applies(self, shop):
        seller = shop["seller"]
        seller.return_policy = "Returns within 30 days, buyer pays postage."
        seller.save()
        part = delivered_order((shop["rug"], 1), address=NEW_YORK, incoterm="DAP", days_ago=3)
        eligibility = return_eligibility(seller_order=part)
        assert eligibility.withdrawal_days is None and "30 days" in eligibility.seller_policy
        return_request = ask(part, {line_of(part, shop["rug"]): 1})
        assert not return_request.legal_withdrawal
        assert return_refuse(return_request=return_request, by=shop["member"], reason="Policy").status == Status.REFUSED


class TestRequest:
    def test_a_part_not_delivered_cannot_be_returned(self, shop):
        part = delivered_order((shop["rug"], 1))
        SellerOrder.objects.filter(pk=part.pk).update(status=SellerOrder.Status.SHIPPED)
        with pytest.raises(ValidationError, match="delivered"):
            ask(part, {line_of(part, shop["rug"]): 1})

    @pytest.mark.parametrize("quantities", [{}, {"line": 0}, {"line": 3}, {"line": -1}, {"line": "1"},
                                            {"line": 10**9}, {"foreign": 1}])
    def test_bad_quantities_are_refused_and_nothing_is_saved(self, shop, quantities):
        part = delivered_order((shop["rug"], 2))
        other = delivered_order((shop["plate"], 1))
        ids = {"line": line_of(part, shop["rug"]), "foreign": line_of(other, shop["plate"])}
        with pytest.raises(ValidationError):
            ask(part, {ids[key]: value for key, value in quantities.items()})
        assert not ReturnRequest.objects.exists()

    def test_what_other_returns_hold_cannot_be_asked_again_until_they_are_cancelled(self, shop):
        part = delivered_order((shop["plate"], 3))
        line = line_of(part, shop["plate"])
        first = ask(part, {line: 2})
        with pytest.raises(ValidationError, match="at most 1"):
            ask(part, {line: 2})
        return_cancel(return_request=first)
        assert ask(part, {line: 3}).reference == f"{part.reference}-R2"

    def test_a_too_long_reason_is_refused(self, shop):
        part = delivered_order((shop["rug"], 1))
        with pytest.raises(ValidationError):
            ask(part, {line_of(part, shop["rug"]): 1}, reason="x" * 1001)

    def test_tracking_is_required_to_send(self, shop):
        part = delivered_order((shop["rug"], 1))
        return_request = return_authorise(return_request=ask(part, {line_of(part, shop["rug"]): 1}), by=shop["member"])
        with pytest.raises(ValidationError):
            return_send(return_request=return_request, carrier=" ", tracking_number="x" * 101)


class TestWholeFlow:
    def test_a_return_is_logged_and_emailed_at_every_step_in_each_partys_language(self, shop, committed):
        part = delivered_order((shop["rug"], 1), (shop["plate"], 2))
        mail.outbox.clear()
        return_request = committed(ask, part=part, quantities={line_of(part, shop["rug"]): 1})
        return_request = committed(return_authorise, return_request=return_request, by=shop["member"])
        return_request = committed(return_send, return_request=return_request, carrier="Amana", tracking_number="RR1")
        return_request = committed(return_receive, return_request=return_request, by=shop["member"])
        assert return_request.refund_state == RefundState.MANUAL  # paid by bank transfer: staff send it back
        return_request = committed(return_refund_record, return_request=return_request, by=shop["staff"], reference="VIR-9")
        assert return_request.status == Status.REFUNDED
        actions = list(ModelLogEntry.objects.filter(object_id=str(return_request.pk), action__startswith="returns.")
                       .order_by("pk").values_list("action", flat=True))
        assert actions == ["returns.request", "returns.authorise", "returns.send", "returns.receive",
                           "returns.stock_restore", "returns.refund"]
        to_buyer = [m for m in mail.outbox if m.to == ["buyer@example.com"]]
        to_seller = [m for m in mail.outbox if m.to == [shop["seller"].email]]
        assert len(to_buyer) == len(to_seller) == 5
        assert "Derb 12" in to_buyer[1].body
        assert all(return_request.reference in m.subject for m in to_buyer + to_seller)

    def test_a_partial_return_refunds_the_goods_and_their_share_of_taxes_but_no_shipping(self, shop):
        part = delivered_order((shop["rug"], 1), (shop["plate"], 2))
        plate = part.lines.get(product=shop["plate"])
        return_request = ask(part, {plate.pk: 1})
        assert return_request.refund_goods == plate.unit_price and return_request.refund_shipping == 0
        assert part.charges_collected > 0
        assert return_request.refund_charges == (part.charges_collected * plate.unit_price / part.subtotal).quantize(
            Decimal("0.01"))
        assert return_request.refund_amount == plate.unit_price + return_request.refund_charges

    def test_the_return_completing_the_part_refunds_the_shipping_and_everything_is_paid_back_once(self, shop, staff_flow):
        part = delivered_order((shop["rug"], 1), (shop["plate"], 2))
        first = staff_flow(ask(part, {line_of(part, shop["plate"]): 1}))
        second = staff_flow(ask(part, {line_of(part, shop["plate"]): 1, line_of(part, shop["rug"]): 1}))
        assert second.refund_shipping == part.shipping
        assert first.refund_amount + second.refund_amount == part.total
        part.refresh_from_db()
        assert part.refunded == part.total
        part.order.refresh_from_db()
        assert part.order.refunded == part.total

    def test_stock_comes_back_except_for_made_to_order_goods(self, shop, staff_flow):
        part = delivered_order((shop["rug"], 2), (shop["lamp"], 1))
        staff_flow(ask(part, {line_of(part, shop["rug"]): 2, line_of(part, shop["lamp"]): 1}))
        assert Product.objects.get(pk=shop["rug"].pk).stock == 5
        assert Product.objects.get(pk=shop["lamp"].pk).stock == 0


@pytest.fixture
def staff_flow(shop):
    def run(return_request):
        return_request = return_authorise(return_request=return_request, by=shop["member"])
        return_request = return_send(return_request=return_request, carrier="Amana", tracking_number="RR1")
        return_request = return_receive(return_request=return_request, by=shop["member"], condition_notes="ok")
        return return_refund_record(return_request=return_request, by=shop["staff"], reference="VIR")
    return run
