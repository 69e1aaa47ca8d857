"""Reading the destination rules: which rule a country falls under, its tax rate, its duty on an HS code."""

from decimal import Decimal

from django.core.cache import cache

from .models import DestinationRule, DutyRate

RULES_CACHE_KEY = "customs-rules"


def _rules() -> list[DestinationRule]:
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rules = list(DestinationRule.objects.prefetch_related("tax_rates"))
        cache.set(RULES_CACHE_KEY, rules, 300)
    return rules


def rules_changed() -> None:
    cache.delete(RULES_CACHE_KEY)


def destination_rule_for(country: str) -> DestinationRule | None:
    """The rule of the country's destination (its own, or its customs union's), or None."""
    country = (country or "").upper()
    return next((rule for rule in _rules() if country in rule.country_list), None)


def tax_rate_for(rule: DestinationRule, country: str) -> Decimal:
    own = next((rate.rate for rate in rule.tax_rates.all() if rate.country == country.upper()), None)
    return rule.tax_rate if own is None else own


def duty_rate_for(rule: DestinationRule, hs_code: str, *, hs_edition: str = "HS2022") -> Decimal | None:
    """The ad valorem duty (percent) of the longest HS prefix the destination lists, or None when it
    lists none for this code (then no estimate can be given)."""
    digits = "".join(char for char in hs_code or "" if char.isdigit())
    prefixes = [digits[:length] for length in (10, 8, 6, 4, 2) if len(digits) >= length]
    rates = dict(DutyRate.objects.filter(destination=rule.code, hs_edition=hs_edition, hs_prefix__in=prefixes)
                 .values_list("hs_prefix", "rate"))
    return next((rates[prefix] for prefix in prefixes if prefix in rates), None)


def withdrawal_days_for(country: str) -> int | None:
    """Days after delivery a consumer shipped to ``country`` may withdraw without a reason (14 in the EU
    and the UK), or None: the seller's own return policy applies."""
    rule = destination_rule_for(country)
    return rule.withdrawal_days if rule else None


def product_safety_required(country: str) -> bool:
    """Whether an offer to ``country`` needs the product-safety information (the EU's GPSR)."""
    rule = destination_rule_for(country)
    return bool(rule and rule.product_safety_required)


SNAPSHOT_FIELDS = ("code", "name", "version", "currency", "tax_name", "tax_rate", "tax_collection_threshold",
                   "collection_scheme", "tax_de_minimis", "duty_de_minimis", "flat_duty_per_tariff_line",
                   "flat_duty_up_to", "preferential_origins", "origin_statement_limit", "handling_fee",
                   "ddp_offered", "withdrawal_days", "product_safety_required", "is_sample")


def rule_snapshot(rule: DestinationRule | None) -> dict:
    """The rule's figures as an order keeps them (JSON: decimals as strings)."""
    if rule is None:
        return {}
    snapshot = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(rule, name)
        snapshot[name] = str(value) if isinstance(value, Decimal) else value
    snapshot["tax_rates"] = {rate.country: str(rate.rate) for rate in rule.tax_rates.all()}
    return snapshot
