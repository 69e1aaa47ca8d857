"""The public "sector in figures" page and its open data, in CSV and JSON. Thin: the figures come from
``public.sector_figures``, already stripped of every small cell."""

import csv
from datetime import date

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from . import charts
from .public import SectorFigures, sector_figures

# The extras of the requests for quote table (public._quote_extra), as CSV columns.
QUOTE_EXTRAS = ("median_response_hours", "answered_within_target", "conversion")


def _blank_if_none(value):
    return "" if value is None else value


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return formats.date_format(date(int(year), int(month), 1), "M Y")


def figure_charts(figures: SectorFigures) -> dict:
    """The charts of the page (each with its data table), by table name."""
    made = {}
    for table in figures.tables:
        made[table.name] = charts.bar_chart(table.title, [(cell.label, cell.value) for cell in table.cells],
                                            value_label=table.value_label)
    made["monthly_exports"] = charts.line_chart(
        _("Exports per month (%(currency)s)") % {"currency": figures.currency},
        [(_month_label(cell.key), cell.value or 0) for cell in figures.monthly_exports],
        value_label=_("Value (%(currency)s)") % {"currency": figures.currency},
    )
    return made


@cache_control(public=True, max_age=600)
def sector_page(request):
    figures = sector_figures()
    return render(request, "observatory/sector.html", {
        "figures": figures, "charts": figure_charts(figures),
        "hidden_months": sum(1 for cell in figures.monthly_exports if cell.value is None),
        "response_days": settings.QUOTE_RESPONSE_WORKING_DAYS,
    })


@cache_control(public=True, max_age=600)
def sector_json(request):
    return JsonResponse(sector_figures().as_dict(), json_dumps_params={"ensure_ascii": False})


@cache_control(public=True, max_age=600)
def sector_csv(request):
    """One row per published cell: table, key, label, value, and the extras (labelled products, orders; for
    requests for quote the median response hours, the share answered by the target and the conversion)."""
    figures = sector_figures()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sector-figures-{figures.as_of.isoformat()}.csv"'
    response.write("\ufeff")  # spreadsheets then read the labels (Arabic, accents) as UTF-8
    writer = csv.writer(response)
    # Columns are only ever added at the end, so that readers of earlier files keep working.
    writer.writerow(["table", "key", "label", "value", "labelled", "orders", "currency", "period_start", "period_end",
                     *QUOTE_EXTRAS])
    period = [figures.period_start.isoformat(), figures.period_end.isoformat()]
    for table in figures.tables:
        money = table.name.startswith("exports")
        for cell in table.cells:
            writer.writerow([table.name, cell.key, cell.label, cell.value, cell.extra.get("labelled", ""),
                             cell.extra.get("orders", ""), figures.currency if money else "", *period,
                             *(_blank_if_none(cell.extra.get(name)) for name in QUOTE_EXTRAS)])
    for cell in figures.monthly_exports:
        writer.writerow(["monthly_exports", cell.key, cell.label, "" if cell.value is None else cell.value, "", "",
                         figures.currency, *period])
    for name in ("verified_sellers", "listed_products", "labelled_products", "active_certificates",
                 "median_hours_to_accept", "declined_share"):
        value = getattr(figures, name)
        writer.writerow(["totals", name, "", "" if value is None else value, "", "", "", *period])
    return response
