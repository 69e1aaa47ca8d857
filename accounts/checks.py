from django.conf import settings
from django.core.checks import Error, register

from config.ratelimit import rate_parse


@register()
def rate_limits_check(app_configs, **kwargs):
    """A mistyped limit in the environment is reported at start-up, not as a 500 on the first search."""
    errors = []
    for scope, rate in settings.RATE_LIMITS.items():
        try:
            count, seconds = rate_parse(rate)
        except (ValueError, KeyError, AttributeError):
            count, seconds = 0, 0
        if count < 1 or seconds < 1:
            errors.append(Error(f"RATE_LIMITS[{scope!r}] = {rate!r} is not a rate like '60/m'.", id="accounts.E001"))
    return errors
