import logging

from celery import shared_task

from .rate_sources import RateSourceError
from .services import exchange_rates_refresh

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def exchange_rates_refresh_task() -> str:
    """Beat: take the rate source's latest rates; a bad sheet is logged and the rates in use are kept."""
    try:
        sheet = exchange_rates_refresh()
    except RateSourceError as error:
        logger.error("Exchange rates not refreshed: %s", error)
        return f"kept: {error}"
    return f"{len(sheet.per_euro)} rates as of {sheet.as_of} from {sheet.source}"
