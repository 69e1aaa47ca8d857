import os

from .base import *  # noqa: F403
from .base import MIDDLEWARE
from .environment import env_str

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PAGE_CACHE_SECONDS = 0
# Tasks run eagerly in tests; the test that goes through a real worker turns this off itself.
CELERY_TASK_ALWAYS_EAGER = True
# One folder per pytest-xdist worker: each removes its own at the end of its session.
MEDIA_ROOT = BASE_DIR / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"
FEEDS_ROOT = MEDIA_ROOT / "feeds"
LISTING_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseListingBackend"}}
# Tests place guest bank-transfer orders for a product's whole stock; the cap on what such orders hold
# is tested with its own setting (tests/orders/test_unpaid_holds.py).
UNPAID_GUEST_HOLD_SHARE = 1

# runserver serves static files itself; WhiteNoise is for collected files in production.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]

# The suite logs in with client.login()/force_login(), which carry no request for Axes and no second
# factor, and posts from one address many times; the tests of login throttling, two-factor
# authentication and rate limits (tests/accounts/) switch these back on.
AXES_ENABLED = False
RATE_LIMITS_ENABLED = False
TWO_FACTOR_ENFORCED = False
# allauth's own rate limits (signup, password reset) too; tests/accounts/test_buyer_rate_limits.py restores them.
ACCOUNT_RATE_LIMITS = False

# The demo's own IOSS number (IM + 10 digits, never a real registration): printed on the invoices of the
# demo's parcels whose VAT was collected at sale. A deployment sets its own (config/settings/base.py).
CUSTOMS_IOSS_NUMBER = env_str("CUSTOMS_IOSS_NUMBER", "IM5040000000")
