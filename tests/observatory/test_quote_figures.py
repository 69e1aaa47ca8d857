"""Requests for quote in the sector's figures: response times, the share answered by the chamber's target
and the quotes that became paid orders, per region and craft for staff, per region in public under the
small-cell rule."""

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from marketplace.orders.services import order_paid
from marketplace.quotes.models import Quote
from marketplace.quotes.services import quote_accept
from observatory import selectors
from observatory.public import OTHER, SMALL_CELL, sector_figures
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.orders import europe_zone
from tests.factories.quotes import AMSTERDAM, quote_request_made, quote_sent
from tests.factories.sellers import SellerFactory, UserFactory, region, trade
from tests.factories.trade import trade_buyer_create

pytestmark = pytest.mark.django_db



def monday_morning() -> datetime:
    """Nine o'clock on a Monday four to five weeks ago, so that working days are plain to count."""
    today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday() + 28)


def converted(quote: Quote, tree, *, paid: bool = True) -> None:
    """The buyer accepts the quote (an order with its deposit) and, if ``paid``, pays the deposit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        order = quote_accept(quote=quote, by=quote.thread.request.created_by, address=AMSTERDAM, currency="EUR",
                             provider_name="offline", now=quote.created_at + timedelta(hours=1))
        if paid:
            assert order_paid(order=order, amount=order.amount_due_now, currency=order.currency) == "paid"


def period():
    today = timezone.localdate()
    return today - timedelta(days=365), today + timedelta(days=1)


@pytest.fixture
def answered(tree):
    """One request to four weavers of Drâa-Tafilalet: quoted after 2, 10 and 30 hours, the fourth never
    (past the three working days' target); the 2-hour quote is accepted and its order paid."""
    europe_zone()
    asked = monday_morning()
    sellers = [SellerFactory(legal_name=f"Weaver Coop {n}") for n in range(4)]
    for seller in sellers:
        seller.trades.add(trade("1.01.01"))
    buyer = trade_buyer_create()
    request = quote_request_made(sellers=sellers, buyer=buyer, now=asked)
    threads = {thread.seller_id: thread for thread in request.threads.all()}
    quotes = [quote_sent(threads[seller.pk], now=asked + timedelta(hours=hours))
              for seller, hours in zip(sellers, (2, 10, 30), strict=False)]
    converted(quotes[0], tree)
    return {"sellers": sellers, "request": request, "quotes": quotes, "asked": asked, "buyer": buyer}


class TestQuoteFigures:
    def test_per_region_the_median_response_the_share_in_time_and_the_conversion(self, answered):
        start, end = period()
        (figure,) = selectors.quote_figures(by="region", start=start, end=end)
        assert figure.key == str(region("MA-08").pk) and figure.label == region("MA-08").localized_name
        assert (figure.received, figure.requests, figure.sellers, figure.answered) == (4, 1, 4, 3)
        assert figure.median_response_hours == 10
        # Three answered within three working days, the fourth is past its target unanswered.
        assert (figure.due, figure.answered_in_time) == (4, 3) and figure.within_target_share == 0.75
        assert figure.converted == 1 and figure.conversion_share == pytest.approx(1 / 3)

    def test_a_quote_accepted_but_not_paid_and_a_sample_do_not_convert(self, answered, tree):
        sellers = [SellerFactory(region=region("MA-07")) for _ in range(2)]
        request = quote_request_made(sellers=sellers, now=answered["asked"])
        bulk, sample = (quote_sent(thread, kind=kind, shipping="0" if kind == "sample" else "1500.00",
                                   now=answered["asked"] + timedelta(hours=5))
                        for thread, kind in zip(request.threads.order_by("pk"), ("bulk", "sample"), strict=True))
        converted(bulk, tree, paid=False)
        converted(sample, tree)
        start, end = period()
        figure = next(item for item in selectors.quote_figures(by="region", start=start, end=end)
                      if item.key == str(region("MA-07").pk))
        assert (figure.answered, figure.converted, figure.conversion_share) == (2, 0, 0)

    def test_per_craft_the_request_s_craft_else_the_seller_s_first_trade(self, answered):
        potter = SellerFactory(region=region("MA-07"))
        potter.trades.add(trade("1.03.02"), trade("1.03.01"))
        quote_request_made(sellers=[potter], now=answered["asked"])
        quote_request_made(sellers=[potter], craft=trade("1.01.01"), now=answered["asked"])
        start, end = period()
        by_craft = {item.key: item for item in selectors.quote_figures(by="craft", start=start, end=end)}
        assert by_craft[str(trade("1.01.01").pk)].received == 5
        assert by_craft[str(trade("1.03.01").pk)].received == 1  # the first of its trades by code
        assert str(trade("1.03.02").pk) not in by_craft

    def test_requests_outside_the_period_are_left_out(self, answered):
        start = timezone.localdate() + timedelta(days=1)
        assert selectors.quote_figures(by="region", start=start, end=start + timedelta(days=30)) == []

    def test_merged_groups_count_each_seller_and_request_once(self, answered):
        start, end = period()
        figure = selectors.quote_figures_merged(by="region", keys=[region("MA-08").pk, region("MA-07").pk],
                                                start=start, end=end)
        assert (figure.received, figure.requests, figure.sellers, figure.median_response_hours) == (4, 1, 4, 10)

    def test_the_query_count_does_not_grow_with_the_threads(self, answered, django_assert_max_num_queries):
        start, end = period()
        with django_assert_max_num_queries(3):
            selectors.quote_figures(by="craft", start=start, end=end)


class TestPublicQuoteFigures:
    def test_a_region_under_the_threshold_is_hidden_even_merged(self, answered):
        table = next(item for item in sector_figures().tables if item.name == "quotes_by_region")
        # Four sellers and one request: under SMALL_CELL on both counts.
        assert table.cells == [] and table.hidden_cells == 1

    def test_a_region_of_five_sellers_and_five_requests_is_published_and_small_ones_merged(self, answered, client):
        sellers = answered["sellers"] + [SellerFactory(legal_name="Weaver Coop 4")]
        for _ in range(SMALL_CELL - 1):
            quote_request_made(sellers=sellers, now=answered["asked"])
        small = [SellerFactory(region=region(code)) for code in ("MA-07", "MA-03")]
        quote_request_made(sellers=small, now=answered["asked"])
        table = next(item for item in sector_figures().tables if item.name == "quotes_by_region")
        # Drâa-Tafilalet: 4 + 4 × 5 threads from 5 requests and 5 sellers; the two others merged are still
        # 2 sellers and one request: left out. Of the 24 threads, all past their target, 3 were answered in time.
        assert [(cell.key, cell.value) for cell in table.cells] == [("MA-08", 24)]
        assert table.hidden_cells == 2 and all(cell.key != OTHER for cell in table.cells)
        (cell,) = table.cells
        assert cell.extra == {"median_response_hours": 10.0, "answered_within_target": 0.125, "conversion": 0.333}
        html = client.get(reverse("sector_figures")).content.decode()
        assert 'data-table="quotes_by_region_answers"' in html and "10 hours" in html and "Weaver Coop" not in html
        rows = list(csv.DictReader(io.StringIO(client.get(reverse("sector_figures_csv")).content.decode("utf-8-sig"))))
        (row,) = [row for row in rows if row["table"] == "quotes_by_region"]
        assert (row["key"], row["value"], row["median_response_hours"], row["conversion"]) == ("MA-08", "24", "10.0",
                                                                                               "0.333")
        data = json.loads(client.get(reverse("sector_figures_json")).content)
        quotes = next(item for item in data["tables"] if item["name"] == "quotes_by_region")
        assert quotes["cells"][0]["extra"]["answered_within_target"] == 0.125


@pytest.fixture
def staff():
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(Permission.objects.get(codename="access_admin"),
                            Permission.objects.get(content_type__app_label="sellers", codename="view_seller"))
    user = UserFactory(username="chamber")
    user.groups.add(chamber)
    return user


class TestQuotesReport:
    def test_staff_see_every_group_with_its_chart_and_export_it(self, client, staff, answered):
        client.force_login(staff)
        response = client.get(reverse("observatory_quotes"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<svg" in html and "chart__table" in html and region("MA-08").localized_name in html
        response = client.get(reverse("observatory_quotes"), {"by": "craft", "export": "csv"})
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        (row,) = rows
        assert row["Code"] == str(trade("1.01.01").pk) and row["Requests received"] == "4"
        assert row["Median hours to the first quote"] == "10.0" and float(row["Conversion"]) == pytest.approx(1 / 3)

    def test_others_are_refused(self, client, answered):
        client.force_login(UserFactory(username="someone"))
        assert client.get(reverse("observatory_quotes")).status_code in (302, 403)
