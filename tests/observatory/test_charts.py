import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from observatory.charts import Chart, bar_chart, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
REGIONS = [
    ("Casablanca-Settat", 1200),
    ("Drâa-Tafilalet", 600),
    ("Marrakech-Safi", 300),
    ("فاس مكناس", 150),
]
MONTHS = [("Jan 2024", 1200), ("Feb 2024", 950), ("Mar 2024", 0), ("Apr 2024", 4321), ("May 2024", 3100)]


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - markup we just made


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "bar" in rect.get("class", "").split()]


def label_texts(root: ET.Element) -> list[ET.Element]:
    return [text for text in root.iter(f"{SVG}text") if text.get("class") == "label"]


def shown_label(text: ET.Element) -> str:
    """What a bar label draws: the text after its <title>, which holds the full label."""
    return text.find(f"{SVG}title").tail


def markers(root: ET.Element) -> list[ET.Element]:
    return [circle for circle in root.iter(f"{SVG}circle") if circle.get("class") == "marker"]


def ticks(root: ET.Element) -> list[ET.Element]:
    return [text for text in root.iter(f"{SVG}text") if text.get("class") == "tick"]


def is_nice_step(step: Decimal) -> bool:
    mantissa = step.scaleb(-step.adjusted())
    return mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}


class TestSvgIsSelfContainedAndAccessible:
    @pytest.mark.parametrize(
        "chart",
        [
            pytest.param(lambda: bar_chart("Orders by region", REGIONS, value_label="Orders"), id="bar"),
            pytest.param(lambda: line_chart("Monthly exports", MONTHS, value_label="MAD"), id="line"),
            pytest.param(lambda: bar_chart("Orders by region", [], value_label="Orders"), id="empty"),
        ],
    )
    def test_svg_is_valid_xml_labelled_by_its_title_without_scripts_or_external_references(self, chart):
        chart = chart()
        root = parse(chart)

        assert isinstance(chart.svg, SafeString)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("width") == "100%"
        assert root.get("direction") == "ltr"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert title.text == chart.title
        assert not [el for el in root.iter() if el.tag in {f"{SVG}script", f"{SVG}foreignObject", f"{SVG}a"}]
        assert not [name for el in root.iter() for name in el.attrib if "href" in name or name.startswith("on")]
        assert "http" not in str(chart.svg).replace('xmlns="http://www.w3.org/2000/svg"', "")

    def test_colours_are_themable_custom_properties_scoped_to_the_chart(self):
        style = finders.find("observatory/css/charts.css")
        rules = re.sub(r"/\*.*?\*/", "", Path(style).read_text(), flags=re.S)

        assert ".chart__svg .bar{fill:var(--chart-bar," in rules
        assert "font-family:inherit" in rules
        # The stylesheet is loaded by whole pages: no rule may start unscoped.
        assert all(rule.strip().startswith(".chart__svg") for rule in rules.split("}") if rule.strip())

    def test_no_inline_style_for_the_content_security_policy(self):
        root = parse(bar_chart("Orders", REGIONS, value_label="Orders"))
        assert root.find(f"{SVG}style") is None
        assert not [el for el in root.iter() if "style" in el.attrib]

    def test_two_charts_with_the_same_title_get_different_ids(self):
        first = parse(bar_chart("Orders by region", REGIONS, value_label="Orders"))
        second = parse(bar_chart("Orders by region", REGIONS, value_label="Orders"))

        first_ids = {el.get("id") for el in first.iter() if el.get("id")}
        second_ids = {el.get("id") for el in second.iter() if el.get("id")}
        assert len(first_ids) == 2
        assert first_ids.isdisjoint(second_ids)
        assert all(value.startswith("chart-orders-by-region-") for value in first_ids)


class TestBarChart:
    def test_one_bar_per_item_in_the_order_given(self):
        root = parse(bar_chart("Orders by region", REGIONS, value_label="Orders"))

        assert len(bars(root)) == len(REGIONS)
        assert [shown_label(text) for text in label_texts(root)] == [label for label, _value in REGIONS]
        assert [float(rect.get("y")) for rect in bars(root)] == sorted(float(rect.get("y")) for rect in bars(root))

    def test_bar_widths_are_proportional_to_values(self):
        widths = [float(rect.get("width")) for rect in bars(parse(bar_chart("O", REGIONS, value_label="Orders")))]

        assert widths[0] == max(widths)
        assert widths[1] == pytest.approx(widths[0] / 2, abs=1)
        assert widths[2] == pytest.approx(widths[0] / 4, abs=1)

    def test_values_are_printed_at_the_end_of_each_bar(self):
        root = parse(bar_chart("O", REGIONS, value_label="Orders"))
        values = [text for text in root.iter(f"{SVG}text") if text.get("class") == "value"]

        assert [text.text for text in values] == ["1,200", "600", "300", "150"]
        for rect, text in zip(bars(root), values, strict=True):
            assert float(text.get("x")) > float(rect.get("x")) + float(rect.get("width"))

    def test_height_grows_with_the_number_of_bars(self):
        short = parse(bar_chart("O", REGIONS[:2], value_label="Orders"))
        tall = parse(bar_chart("O", REGIONS, value_label="Orders"))

        assert short.get("viewBox").split()[:3] == tall.get("viewBox").split()[:3] == ["0", "0", "640"]
        assert float(tall.get("viewBox").split()[3]) > float(short.get("viewBox").split()[3])

    def test_bars_beyond_max_bars_are_summed_into_other(self):
        items = [(f"Country {index}", 100 - index) for index in range(20)]

        chart = bar_chart("Destinations", items, value_label="Orders", max_bars=15)
        root = parse(chart)

        assert len(bars(root)) == 16
        assert bars(root)[-1].get("class") == "bar bar--other"
        other = sum(value for _label, value in items[15:])
        assert chart.rows[-1] == ("Other", str(other))
        assert chart.rows[:15] == tuple((label, str(value)) for label, value in items[:15])
        assert shown_label(label_texts(root)[-1]) == "Other"

    def test_one_bar_too_many_is_shown_rather_than_folded(self):
        items = [(f"Country {index}", 10) for index in range(4)]

        chart = bar_chart("Destinations", items, value_label="Orders", max_bars=3)

        assert len(bars(parse(chart))) == 4
        assert "Other" not in [label for label, _value in chart.rows]

    def test_other_is_translated(self):
        items = [(f"Pays {index}", 10) for index in range(5)]
        with translation.override("fr"):
            chart = bar_chart("Destinations", items, value_label="Commandes", max_bars=2)
            other = translation.gettext("Other")

        assert chart.rows[-1] == (other, "30")

    def test_largest_item_is_summarised_in_desc(self):
        root = parse(bar_chart("Orders by region", REGIONS, value_label="Orders"))

        assert root.find(f"{SVG}desc").text == "Largest: Casablanca-Settat (1,200)."

    def test_long_labels_are_truncated_on_screen_but_kept_whole_in_the_title_and_table(self):
        long_label = "Coopérative féminine d'argan de la province d'Essaouira"

        chart = bar_chart("Cooperatives", [(long_label, 5), ("Short", 3)], value_label="Orders")
        text = label_texts(parse(chart))[0]

        assert text.find(f"{SVG}title").text == long_label
        assert shown_label(text).endswith("…")
        assert len(shown_label(text)) <= 28
        assert long_label.startswith(shown_label(text)[:-1])
        assert chart.rows[0][0] == long_label

    def test_labels_are_escaped(self):
        chart = bar_chart("<b>Orders</b>", [("<script>alert(1)</script>", 5), ("A & B", 3)], value_label="Orders")
        root = parse(chart)

        assert "&lt;script&gt;" in chart.svg
        assert "<script" not in chart.svg
        assert "<b>" not in chart.svg
        assert not list(root.iter(f"{SVG}script"))
        assert [shown_label(text) for text in label_texts(root)] == ["<script>alert(1)</script>", "A & B"]
        assert root.find(f"{SVG}title").text == "<b>Orders</b>"

    def test_arabic_labels_are_kept_in_the_svg_and_the_table(self):
        items = [("الدار البيضاء سطات", 40), ("درعة تافيلالت", 20)]
        with translation.override("ar"):
            chart = bar_chart("الطلبات حسب الجهة", items, value_label="الطلبات")
        root = parse(chart)

        assert [shown_label(text) for text in label_texts(root)] == ["الدار البيضاء سطات", "درعة تافيلالت"]
        assert [label for label, _value in chart.rows] == ["الدار البيضاء سطات", "درعة تافيلالت"]
        # Nothing is forced on the label text but its anchor, so the browser lays out Arabic by itself.
        assert set(label_texts(root)[0].attrib) == {"class", "x", "y", "dy", "text-anchor"}
        assert label_texts(root)[0].get("text-anchor") == "end"

    def test_table_rows_are_the_data_formatted_for_the_locale(self):
        chart = bar_chart("Orders by region", REGIONS, value_label="Orders")

        assert chart.headers == ("Category", "Orders")
        assert chart.rows == (
            ("Casablanca-Settat", "1,200"),
            ("Drâa-Tafilalet", "600"),
            ("Marrakech-Safi", "300"),
            ("فاس مكناس", "150"),
        )

    def test_decimal_values_keep_their_places_and_the_locale_separators(self):
        with translation.override("fr"):
            chart = bar_chart("Exports", [("Tapis", Decimal("12345.50"))], value_label="MAD", label_header="Métier")

        assert chart.headers == ("Métier", "MAD")
        assert chart.rows[0][1] in {"12\xa0345,50", "12 345,50", "12\u202f345,50"}

    def test_a_custom_number_format_is_used_in_the_svg_and_the_table(self):
        chart = bar_chart(
            "Exports", [("Tapis", 1500), ("Poterie", 500)], value_label="MAD", number_format=lambda v: f"{v} MAD"
        )
        values = [text.text for text in parse(chart).iter(f"{SVG}text") if text.get("class") == "value"]

        assert values == ["1500 MAD", "500 MAD"]
        assert [text for _label, text in chart.rows] == ["1500 MAD", "500 MAD"]

    @pytest.mark.parametrize("items", [[], [("Tapis", 0), ("Poterie", 0)]], ids=["empty", "zeros"])
    def test_no_data_says_so_with_an_empty_table(self, items):
        chart = bar_chart("Exports", items, value_label="MAD", caption="2024")
        root = parse(chart)

        assert "No data yet" in [text.text for text in root.iter(f"{SVG}text")]
        assert root.find(f"{SVG}desc").text == "No data yet"
        assert not bars(root)
        assert chart.rows == ()
        assert chart.caption == "2024"

    def test_negative_values_are_refused(self):
        with pytest.raises(ValueError):
            bar_chart("Exports", [("Tapis", -1)], value_label="MAD")


class TestLineChart:
    def test_one_marker_per_point_with_its_label_and_value(self):
        root = parse(line_chart("Monthly exports", MONTHS, value_label="MAD"))

        assert len(markers(root)) == len(MONTHS)
        assert [marker.find(f"{SVG}title").text for marker in markers(root)] == [
            "Jan 2024: 1,200",
            "Feb 2024: 950",
            "Mar 2024: 0",
            "Apr 2024: 4,321",
            "May 2024: 3,100",
        ]
        assert len(root.find(f"{SVG}polyline").get("points").split()) == len(MONTHS)

    def test_markers_run_left_to_right_and_higher_values_sit_higher(self):
        root = parse(line_chart("Monthly exports", MONTHS, value_label="MAD"))
        xs = [float(marker.get("cx")) for marker in markers(root)]
        ys = [float(marker.get("cy")) for marker in markers(root)]

        assert xs == sorted(xs)
        assert ys[3] == min(ys)
        assert ys[2] == max(ys)

    def test_ticks_are_nice_and_cover_the_highest_value(self):
        root = parse(line_chart("Monthly exports", MONTHS, value_label="MAD"))

        assert [tick.text for tick in ticks(root)] == ["0", "2,000", "4,000", "6,000"]
        grid = [line for line in root.iter(f"{SVG}line") if line.get("class") == "grid"]
        assert [line.get("y1") for line in grid] == [tick.get("y") for tick in ticks(root)]

    def test_the_top_tick_lines_up_with_a_marker_at_that_value(self):
        root = parse(line_chart("Monthly exports", [("Jan", 0), ("Feb", 50), ("Mar", 100)], value_label="Orders"))
        top_tick = ticks(root)[-1]

        assert top_tick.text == "100"
        assert float(markers(root)[-1].get("cy")) == float(top_tick.get("y"))

    def test_all_zeros_draw_a_flat_line_on_a_zero_to_one_axis(self):
        root = parse(line_chart("Monthly exports", [("Jan", 0), ("Feb", 0), ("Mar", 0)], value_label="Orders"))

        assert [tick.text for tick in ticks(root)] == ["0", "1"]
        assert {marker.get("cy") for marker in markers(root)} == {ticks(root)[0].get("y")}

    def test_long_series_thin_the_x_labels_but_keep_every_marker(self):
        points = [(f"{month:02d}/2024", month * 10) for month in range(1, 13)] * 2
        root = parse(line_chart("Monthly exports", points, value_label="Orders"))
        x_labels = [text for text in root.iter(f"{SVG}text") if text.get("class") == "x-label"]

        assert len(markers(root)) == 24
        assert 2 <= len(x_labels) < 24
        assert x_labels[0].text == "01/2024"

    def test_table_rows_and_desc(self):
        chart = line_chart("Monthly exports", MONTHS, value_label="MAD", label_header="Month")

        assert chart.headers == ("Month", "MAD")
        assert chart.rows == (
            ("Jan 2024", "1,200"),
            ("Feb 2024", "950"),
            ("Mar 2024", "0"),
            ("Apr 2024", "4,321"),
            ("May 2024", "3,100"),
        )
        assert parse(chart).find(f"{SVG}desc").text == "5 points from Jan 2024 to May 2024. Highest: Apr 2024 (4,321)."

    def test_a_single_point_is_drawn(self):
        root = parse(line_chart("Monthly exports", [("Jan", Decimal("12.5"))], value_label="MAD"))

        assert len(markers(root)) == 1

    def test_no_points_says_no_data_yet(self):
        chart = line_chart("Monthly exports", [], value_label="MAD")

        assert "No data yet" in [text.text for text in parse(chart).iter(f"{SVG}text")]
        assert chart.rows == ()


class TestNiceTicks:
    @pytest.mark.parametrize(
        "maximum",
        [1, 2, 3, 7, 10, 11, 99, 100, 101, 4321, 1234567, Decimal("0.07"), Decimal("12.5"), Decimal("99999.99")],
    )
    @pytest.mark.parametrize("integer", [False, True])
    def test_ticks_start_at_zero_step_nicely_and_cover_the_maximum(self, maximum, integer):
        values = nice_ticks(maximum, integer=integer)
        steps = {Decimal(b) - Decimal(a) for a, b in zip(values, values[1:], strict=False)}

        assert values[0] == 0
        assert values[-1] >= maximum
        assert len(steps) == 1
        (step,) = steps
        assert is_nice_step(step)
        # The last tick is the first to reach the maximum: no empty band at the top.
        assert values[-2] < maximum
        if integer:
            assert all(isinstance(value, int) for value in values)
            assert step >= 1

    @pytest.mark.parametrize("maximum", [3, 7, 10, 99, 100, 4321, 1234567, Decimal("0.07"), Decimal("12.5")])
    def test_four_or_five_ticks_where_possible(self, maximum):
        assert 4 <= len(nice_ticks(maximum)) <= 5

    def test_zero_gives_zero_to_one(self):
        assert nice_ticks(0, integer=True) == (0, 1)
        assert nice_ticks(0)[-1] == 1

    def test_ticks_are_ints_when_whole_so_they_format_without_decimals(self):
        assert nice_ticks(100) == (0, 25, 50, 75, 100)
        assert all(isinstance(value, int) for value in nice_ticks(100))
        assert nice_ticks(10) == (0, Decimal("2.5"), 5, Decimal("7.5"), 10)
        assert math.isclose(float(nice_ticks(Decimal("0.07"))[-1]), 0.08)


class TestChartInclude:
    def render(self, chart: Chart) -> ET.Element:
        # The include is well-formed markup, so the XML parser can check its structure.
        html = render_to_string("observatory/includes/chart.html", {"chart": chart})
        return ET.fromstring(html)  # noqa: S314 - markup we just made

    def test_figure_has_the_title_the_svg_and_a_captioned_table_of_the_data(self):
        chart = bar_chart("Orders by region", REGIONS, value_label="Orders", caption="Paid orders, 2024")
        figure = self.render(chart)

        assert figure.tag == "figure"
        assert figure.get("class") == "chart"
        assert " ".join("".join(figure.find("figcaption").itertext()).split()) == "Orders by region Paid orders, 2024"
        assert figure.find(f"{SVG}svg") is not None
        table = figure.find("table")
        assert table.get("class") == "chart__table"
        assert table.find("caption").text == "Orders by region — data"
        assert [th.text for th in table.find("thead").iter("th")] == ["Category", "Orders"]
        body_rows = table.find("tbody").findall("tr")
        assert len(body_rows) == len(REGIONS)
        assert [row.find("th/bdi").text for row in body_rows] == [label for label, _value in REGIONS]
        assert [(td.get("class"), td.text) for td in body_rows[0].findall("td")] == [("num", "1,200")]

    def test_labels_are_escaped_in_the_table(self):
        html = render_to_string(
            "observatory/includes/chart.html",
            {"chart": bar_chart("Orders", [("<script>alert(1)</script>", 1)], value_label="Orders")},
        )

        assert "<script" not in html
        assert "&lt;script&gt;" in html

    def test_no_data_leaves_out_the_table(self):
        figure = self.render(bar_chart("Orders by region", [], value_label="Orders"))

        assert figure.find("table") is None
        assert figure.find(f"{SVG}svg") is not None
