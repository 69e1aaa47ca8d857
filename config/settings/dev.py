from .base import *  # noqa: F403
from .base import MIDDLEWARE
from .environment import env_bool, env_int, env_str

DEBUG = env_bool("DEBUG", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)

# runserver serves static files itself; WhiteNoise is for collected files in production.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]

# The demo's own IOSS number (IM + 10 digits, never a real registration): printed on the invoices of the
# demo's parcels whose VAT was collected at sale. A deployment sets its own (config/settings/base.py).
CUSTOMS_IOSS_NUMBER = env_str("CUSTOMS_IOSS_NUMBER", "IM5040000000")
