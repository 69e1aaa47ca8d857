from . import admin  # noqa: F401  (the payout views register their own hooks)
