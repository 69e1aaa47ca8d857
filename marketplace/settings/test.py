from .base import *  # noqa: F403
from .base import MIDDLEWARE

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PAGE_CACHE_SECONDS = 0
# Tasks run eagerly in tests; the test that goes through a real worker turns this off itself.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "test-media" / "private"  # noqa: F405
LISTING_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseListingBackend"}}
# Tests place guest bank-transfer orders for a product's whole stock; the cap on what such orders hold
# is tested with its own setting (tests/marketplace/test_unpaid_holds.py).
UNPAID_GUEST_HOLD_SHARE = 1

# runserver serves static files itself; WhiteNoise is for collected files in production.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]
