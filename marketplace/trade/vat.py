"""VAT numbers of trade buyers: their format per country (python-stdnum), and a pluggable check that the
number is registered (the EU's VIES service, or the format only, offline).

``TRADE_VAT_CHECKER = {"BACKEND": "marketplace.trade.vat.ViesVatChecker", "OPTIONS": {"url": ..., "timeout": 10}}``
chooses the checker; the default checks the format only and says so. A checker never raises for a
service that is down or slow: the result is "not checked" (``valid=None``), and staff see it.
"""

import logging
from dataclasses import dataclass
from functools import cache

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat

logger = logging.getLogger(__name__)

# A VAT number's prefix that is not its country's ISO code (Greece writes EL; Northern Ireland XI).
PREFIX_OF_COUNTRY = {"GR": "EL"}
UK_PREFIXES = ("GB", "XI")


def vat_number_normalised(number: str, country: str) -> str:
    """The VAT number with its country prefix, without spaces or punctuation ("NL004495445B01"), checked
    for the company's country; raises ValidationError saying what is wrong."""
    country = (country or "").upper()
    compact = "".join(char for char in (number or "").upper() if char.isalnum())
    if not compact:
        return ""
    prefix = PREFIX_OF_COUNTRY.get(country, country)
    if compact[:2] == country and prefix != country:  # "GR…" written for Greece's "EL…"
        compact = prefix + compact[2:]
    if compact[:2].isalpha() and compact[:2] != prefix and not (country == "GB" and compact[:2] in UK_PREFIXES):
        raise ValidationError(_("This VAT number is not one of the country you chose (it starts with %(prefix)s).")
                              % {"prefix": compact[:2]}, code="vat_country")
    if not compact[:2].isalpha():
        compact = prefix + compact
    try:
        if compact[:2] in UK_PREFIXES:
            gb_vat.validate(compact[2:])
        elif compact[:2].lower() in eu_vat.MEMBER_STATES or compact[:2] == "EL":
            eu_vat.validate(compact)
        else:
            raise ValidationError(_("VAT numbers are checked for the countries of the EU and the UK only: leave it "
                                    "empty for another country."), code="vat_unsupported")
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("This is not a valid VAT number of %(country)s: check the digits.")
                              % {"country": country}, code="vat_invalid") from None
    return compact


@dataclass(frozen=True)
class VatCheck:
    valid: bool | None  # None: could not be checked (the service is down)
    source: str  # which checker: "format", "vies"
    registered_name: str = ""
    message: str = ""


class VatChecker:
    """Says whether a (well-formed, normalised) VAT number is registered."""

    source = ""

    def __init__(self, **options):
        self.options = options

    def check(self, vat_number: str) -> VatCheck:
        raise NotImplementedError


class FormatVatChecker(VatChecker):
    """The format and check digits only, offline: a number that passes may still not be registered."""

    source = "format"

    def check(self, vat_number: str) -> VatCheck:
        try:
            vat_number_normalised(vat_number, _country_of(vat_number))
        except ValidationError as error:
            return VatCheck(False, self.source, message=" ".join(error.messages))
        return VatCheck(True, self.source)


class ViesVatChecker(VatChecker):
    """The European Commission's VIES service (its REST API): whether an EU VAT number is registered,
    and under which name. UK numbers are not in VIES (except Northern Ireland's XI): their format only."""

    source = "vies"
    DEFAULT_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"

    def check(self, vat_number: str) -> VatCheck:
        if vat_number[:2] == "GB":
            return FormatVatChecker().check(vat_number)
        try:
            response = requests.post(self.options.get("url", self.DEFAULT_URL),
                                     json={"countryCode": vat_number[:2], "vatNumber": vat_number[2:]},
                                     headers={"Accept": "application/json"}, timeout=self.options.get("timeout", 10))
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            logger.warning("VIES could not check %s: %s", vat_number[:2], error)
            return VatCheck(None, self.source, message=_("The EU's VIES service could not be reached."))
        if not isinstance(answer, dict) or "valid" not in answer:
            # VIES answers a member state's outage with an error code instead of a verdict.
            return VatCheck(None, self.source, message=_("The EU's VIES service could not check this number now."))
        name = answer.get("name") or ""
        return VatCheck(bool(answer["valid"]), self.source, registered_name="" if name == "---" else str(name)[:200])


def _country_of(vat_number: str) -> str:
    prefix = vat_number[:2]
    return {"EL": "GR", "XI": "GB"}.get(prefix, prefix)


@cache
def vat_checker() -> VatChecker:
    config = getattr(settings, "TRADE_VAT_CHECKER", None) or {"BACKEND": "marketplace.trade.vat.FormatVatChecker"}
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


@receiver(setting_changed)
def _checker_reset(*, setting, **kwargs):
    if setting == "TRADE_VAT_CHECKER":
        vat_checker.cache_clear()
