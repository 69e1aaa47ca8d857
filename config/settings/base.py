"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .environment import env_bool, env_decimal, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-never-used-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "currency",
    "customs",
    "sellers",
    "catalog",
    "labels",
    "notices",
    "marketplace",
    "marketplace.shipping",
    "marketplace.basket",
    "marketplace.orders",
    "marketplace.payments",
    "marketplace.payouts",
    "marketplace.returns",
    "marketplace.trade",
    "marketplace.quotes",
    "marketplace.checkout",
    "search",
    "observatory",
    "api",
    "demo",
    "outbox",
    "frontend",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # django-ninja, for its templates and static files: the API docs' Swagger UI is served from here, not a CDN.
    "ninja",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram and full-text lookups of the database search on PostgreSQL
    "django.contrib.humanize",
    # sign-in: login throttling, two-factor authentication (see "sign-in" below)
    "accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # buyers' accounts: sign-up, email verification, login by email, password reset (django-allauth)
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.public_urls.PublicBaseUrlMiddleware",
    "config.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.LocaleMiddleware",
    "currency.middleware.CurrencyMiddleware",
    "config.page_cache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.personal_cookies.PersonalCookiesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.AdminTwoFactorMiddleware",
    "sellers.admin_scope.AdminScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "currency.context_processors.currency",
            ],
        },
    },
]

# --- database: SQLite on one machine, PostgreSQL with DATABASE_URL
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# psycopg's connection pool in each process (docs/scaling.md): PostgreSQL only, off by default (with
# PgBouncer in front, one pool is enough). Django asks for CONN_MAX_AGE 0 with a pool.
if env_bool("DATABASE_POOL", False) and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: local memory on one machine, Redis with REDIS_URL
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to "no cache" when Redis stops answering (config/resilient_cache.py).
            "BACKEND": "config.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "souk",
        }
    }
    # Sessions read from Redis and written to both: a Redis restart signs nobody out, and a stopped
    # Redis (the cache degrades to misses) falls back to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A CDN or caching proxy in front of the site, purged when pages change (Wagtail's frontend cache,
# docs/scaling.md): an HTTP proxy that takes PURGE (Varnish, Squid, nginx), or Cloudflare.
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {"proxy": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                                      "LOCATION": FRONTEND_CACHE_PURGE_URL}}
elif env_str("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE = {"cloudflare": {"BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                                           "ZONEID": env_str("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"),
                                           "BEARER_TOKEN": env_str("FRONTEND_CACHE_CLOUDFLARE_TOKEN")}}
if FRONTEND_CACHE_PURGE_URL or env_str("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"):
    # Its signal handlers purge a page's addresses when it is published or unpublished; without a
    # frontend cache they would work out those addresses for nothing on every publish.
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# Whole pages served to anonymous visitors; 0 turns the page cache off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
# How long identical searches share one result (hits and facet counts) within a catalogue generation; 0: never.
SEARCH_RESULTS_CACHE_SECONDS = env_int("SEARCH_RESULTS_CACHE_SECONDS", 300)

# --- background work: Celery runs tasks eagerly unless a broker is configured
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL) or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A broker that does not answer is noticed fast: the outbox keeps the message and the relay retries.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# One queue on one machine; "split": a queue per kind of work (config/celery_routes.py, docs/scaling.md).
# Not CELERY_*: Celery reads every CELERY_ setting as its own (CELERY_QUEUES would be its task_queues).
TASK_QUEUES = env_str("TASK_QUEUES", "single")
if TASK_QUEUES == "split":
    CELERY_TASK_ROUTES = ("config.celery_routes.route_task",)
CELERY_BEAT_SCHEDULE = {
    "seller-held-uploads-purge": {"task": "sellers.tasks.held_uploads_purge_task", "schedule": crontab(minute=40)},
    "outbox-relay": {"task": "outbox.tasks.outbox_relay_task", "schedule": crontab(minute="*")},
    "label-certificates-daily": {"task": "labels.tasks.label_certificates_daily", "schedule": crontab(hour=2, minute=15)},
    "exchange-rates": {"task": "currency.tasks.exchange_rates_refresh_task", "schedule": crontab(minute=5, hour="*/6")},
    "orders-release-unpaid": {"task": "marketplace.orders.tasks.orders_release_unpaid_task", "schedule": crontab(minute="*/5")},
    "seller-orders-chase": {"task": "marketplace.orders.tasks.seller_orders_chase_task", "schedule": crontab(minute="*/15")},
    "quotes-expire-and-chase": {"task": "marketplace.quotes.tasks.quotes_daily_task", "schedule": crontab(minute=20)},
    "returns-escalate": {"task": "marketplace.returns.tasks.returns_escalate_task", "schedule": crontab(minute="*/30")},
    "shopping-feeds": {"task": "search.tasks.shopping_feeds_write_task", "schedule": crontab(minute=35)},
    "pending-listing-photos-expire": {
        "task": "catalog.tasks.pending_listing_photos_expire_task", "schedule": crontab(hour=3, minute=40),
    },
}
# Photos of a quick listing form that had an error wait this long for the seller's next try.
PENDING_LISTING_PHOTOS_KEPT_DAYS = env_int("PENDING_LISTING_PHOTOS_KEPT_DAYS", 7)

# --- listing search: the database by default, Elasticsearch with ELASTICSEARCH_URL
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    LISTING_SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchListingBackend",
            "OPTIONS": {"url": ELASTICSEARCH_URL, "index": env_str("ELASTICSEARCH_INDEX", "souk-listings")},
        }
    }
else:
    LISTING_SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database.DatabaseListingBackend"}}

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- payments: Stripe with STRIPE_SECRET_KEY, otherwise the offline (bank transfer) provider
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
# How long a seller has to accept its part of a paid order before the chamber is told.
SELLER_ORDER_ACCEPT_HOURS = env_int("SELLER_ORDER_ACCEPT_HOURS", 48)
# The seller is reminded this many hours before that deadline.
SELLER_ORDER_REMIND_BEFORE_HOURS = env_int("SELLER_ORDER_REMIND_BEFORE_HOURS", 12)
# Returns: the seller answers a request within this many days, or the chamber decides; the buyer is
# refunded within this many days of asking (the EU's 14 days from being informed of the withdrawal).
RETURN_SELLER_ANSWER_DAYS = env_int("RETURN_SELLER_ANSWER_DAYS", 3)
RETURN_REFUND_DAYS = env_int("RETURN_REFUND_DAYS", 14)
# Guests' orders awaiting a bank transfer together hold at most this share of a product's units (at
# least one), so one stranger's unpaid order never shows a product sold out; buyers are reminded this
# many hours before the hold ends (docs/architecture.md, "Unpaid orders").
UNPAID_GUEST_HOLD_SHARE = env_decimal("UNPAID_GUEST_HOLD_SHARE", "0.5")
UNPAID_REMIND_BEFORE_HOURS = env_int("UNPAID_REMIND_BEFORE_HOURS", 12)
# Bank transfers: the initial tolerance for bank fees (staff change it in Settings → Bank transfers): a
# receipt short by at most this percentage of the total, or this fixed amount in the base currency,
# whichever is more, pays the order; the difference is recorded.
BANK_TRANSFER_TOLERANCE_PERCENT = env_decimal("BANK_TRANSFER_TOLERANCE_PERCENT", "1.0")
BANK_TRANSFER_TOLERANCE_FIXED = env_decimal("BANK_TRANSFER_TOLERANCE_FIXED", "50")
# Countries never offered (ISO codes), the initial value of the list staff edit (Settings → Countries).
# This Moroccan deployment excludes EH.
COUNTRIES_EXCLUDED = env_list("COUNTRIES_EXCLUDED", ["EH"])
# The platform's share of a seller's products (not of its shipping), kept from each payout.
PLATFORM_COMMISSION_RATE = env_decimal("PLATFORM_COMMISSION_RATE", "0.10")
# A verified seller with no published product and no order for this long is reported as inactive.
SELLER_INACTIVE_AFTER_DAYS = env_int("SELLER_INACTIVE_AFTER_DAYS", 180)

# Every provider here is offered at checkout, in this order; bank transfer is always there.
PAYMENT_PROVIDERS = {}
if STRIPE_SECRET_KEY:
    PAYMENT_PROVIDERS["stripe"] = {
        "BACKEND": "marketplace.payments.stripe_provider.StripeProvider",
        "OPTIONS": {"SECRET_KEY": STRIPE_SECRET_KEY, "WEBHOOK_SECRET": STRIPE_WEBHOOK_SECRET, "API_BASE": STRIPE_API_BASE},
    }
PAYMENT_PROVIDERS["offline"] = {
    "BACKEND": "marketplace.payments.offline.OfflineProvider",
    "OPTIONS": {
        # The demo's account is not a real one; a deployment sets its own.
        "ACCOUNT_NAME": env_str("BANK_TRANSFER_ACCOUNT_NAME", "Chamber of Handicraft (DEMO ACCOUNT, do not pay)"),
        "BANK_NAME": env_str("BANK_TRANSFER_BANK_NAME", "Demo Bank"),
        "IBAN": env_str("BANK_TRANSFER_IBAN", "MA64 0000 0000 0000 0000 0000 0000"),
        "BIC": env_str("BANK_TRANSFER_BIC", "DEMOMAMC"),
        # How long an order awaiting a bank transfer keeps its stock (docs/architecture.md, "Unpaid orders").
        "HOLD_HOURS": env_int("BANK_TRANSFER_HOLD_HOURS", 48),
    },
}

# --- email: console by default, SMTP (or any backend) with EMAIL_URL
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    vars().update(dj_email_url.parse(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Souk Export <no-reply@souk-export.local>")

# --- authentication
AUTH_PASSWORD_VALIDATORS = [
    # Accounts sign in with their email: the generated username is never shown, so it is not named in
    # the messages (the email is, and it is the same text).
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "first_name", "last_name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "account_overview"
LOGOUT_REDIRECT_URL = "/"

# --- sign-in and buyers' accounts: config/settings/signin.py
from .signin import *  # noqa: E402, F403

# --- languages: English, French and Arabic (right to left); more can be added here and in Locales
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Addresses in ASCII in every language: Arabic and accented titles are transliterated (catalog.models).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# A page created in one language gets an alias in the others (catalog.services.page_translations_ensure);
# machine translation pre-fills a translation when a provider is configured here (catalog.machine_translation):
# {"BACKEND": "dotted.path.ToABackend", "OPTIONS": {...}}. None by default: no text leaves the platform.
MACHINE_TRANSLATION = {"BACKEND": env_str("MACHINE_TRANSLATION_BACKEND", ""), "OPTIONS": {}}
USE_I18N = True
# Arabic prices group their thousands (Django leaves NUMBER_GROUPING at 0 for ar).
FORMAT_MODULE_PATH = ["currency.formats"]
# Money is written as CLDR (babel) writes it in the active language; a language may take one of its
# countries' conventions instead: Arabic as Morocco writes it, Latin digits and "1.234,50".
MARKETPLACE_NUMBER_LOCALES = {"ar": "ar_MA"}
TIME_ZONE = "UTC"
USE_TZ = True

# --- money: prices are stored in the deployment's base currency (MAD in Morocco, XAF in Cameroon)
MARKETPLACE_BASE_CURRENCY = env_str("BASE_CURRENCY", "MAD")
MARKETPLACE_COUNTRY = env_str("MARKETPLACE_COUNTRY", "MA")
MARKETPLACE_DISPLAY_CURRENCIES = env_list("DISPLAY_CURRENCIES", ["MAD", "EUR", "USD", "GBP", "CAD", "XAF"])
# Rates are refreshed every six hours (beat) from this source into the ExchangeRate table; the
# embedded default reads a JSON file staff can edit (EXCHANGE_RATES_FILE, else the sample one).
EXCHANGE_RATES_FILE = env_str("EXCHANGE_RATES_FILE") or None
EXCHANGE_RATE_SOURCE = {"BACKEND": env_str("EXCHANGE_RATE_SOURCE", "currency.rate_sources.FileRateSource")}
# Duty rates per destination and HS heading (docs/cross-border.md): the embedded default reads a JSON
# file (CUSTOMS_DUTY_RATES_FILE, else the sample one); another source is a class with the same fetch().
CUSTOMS_DUTY_RATES_FILE = env_str("CUSTOMS_DUTY_RATES_FILE") or None
CUSTOMS_DUTY_RATE_SOURCE = {"BACKEND": env_str("CUSTOMS_DUTY_RATE_SOURCE", "customs.duty_sources.FileDutyRateSource")}
# The marketplace's numbers as deemed supplier: the EU's Import One-Stop Shop (IM + 10 digits) and
# its UK VAT registration, printed on invoices of consignments whose VAT it collected.
CUSTOMS_IOSS_NUMBER = env_str("CUSTOMS_IOSS_NUMBER", "")
CUSTOMS_UK_VAT_NUMBER = env_str("CUSTOMS_UK_VAT_NUMBER", "")

# --- static files and media, served by the app itself (no CDN)
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private uploads (sellers' supporting documents): never under MEDIA_ROOT, never served as static files.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# The shopping feeds (docs/feeds.md), written hourly by the beat task and served at /feeds/<language>-<currency>.xml.
FEEDS_ROOT = Path(env_str("FEEDS_ROOT", str(MEDIA_ROOT / "feeds")))
# Trade buyers' VAT numbers: checked for their format only (offline), or against the EU's VIES service with
# TRADE_VAT_CHECKER_BACKEND=marketplace.trade.vat.ViesVatChecker (docs/wholesale.md).
TRADE_INVITATION_VALID_DAYS = env_int("TRADE_INVITATION_VALID_DAYS", 7)
# The chamber's target for a seller's answer to a request for quote, in working days: reminded then,
# flagged to chamber staff one working day later.
QUOTE_RESPONSE_WORKING_DAYS = env_int("QUOTE_RESPONSE_WORKING_DAYS", 3)
TRADE_VAT_CHECKER = {"BACKEND": env_str("TRADE_VAT_CHECKER_BACKEND", "marketplace.trade.vat.FormatVatChecker"),
                     "OPTIONS": {"timeout": env_int("TRADE_VAT_CHECKER_TIMEOUT", 10)}}
SELLER_DOCUMENT_MAX_SIZE = env_int("SELLER_DOCUMENT_MAX_SIZE", 5 * 1024 * 1024)
# Who applicants contact about their registration (a duplicate number, a rejected application).
# How long a seller's invitation link stays valid (days).
SELLER_INVITATION_VALID_DAYS = env_int("SELLER_INVITATION_VALID_DAYS", 7)
# How long documents attached to a registration form that had an error are kept for the applicant (hours).
SELLER_HELD_UPLOAD_HOURS = env_int("SELLER_HELD_UPLOAD_HOURS", 24)
CHAMBER_CONTACT_EMAIL = env_str("CHAMBER_CONTACT_EMAIL", "registrations@chamber.example")
# Whom to tell about a vulnerability (/.well-known/security.txt).
SECURITY_CONTACT_EMAIL = env_str("SECURITY_CONTACT_EMAIL", CHAMBER_CONTACT_EMAIL)
# Let the app serve uploads itself, where no proxy in front does it (docker compose, benchmarks).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Private uploads (config/storage.py): PRIVATE_MEDIA_ROOT, read when used.
    "private": {"BACKEND": "config.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads on S3-compatible object storage (AWS, MinIO, Ceph, Scaleway, OVH...): MEDIA_STORAGE=s3, a
# public bucket for media and a private one for documents (docs/storage.md).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    _S3_CONNECTION = {
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **_S3_CONNECTION, "bucket_name": env_str("MEDIA_BUCKET"), "querystring_auth": False,
        "custom_domain": env_str("MEDIA_CUSTOM_DOMAIN") or None,
    }}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **_S3_CONNECTION, "bucket_name": env_str("PRIVATE_MEDIA_BUCKET"), "default_acl": "private",
        "querystring_auth": True, "querystring_expire": env_int("PRIVATE_MEDIA_URL_SECONDS", 300),
    }}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail
WAGTAIL_SITE_NAME = "Souk Export"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address, printed in certificates' QR codes; empty: the address of the request.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Also Pillow's own limit (PIL.Image.MAX_IMAGE_PIXELS, set in CatalogConfig.ready); every upload reads
# the pixel count from the header before decoding (catalog.image_forms, sellers.documents).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "catalog.image_forms.CheckedImageForm"
# HEIC: phones' photos; renditions convert them to JPEG (Wagtail's default format conversion).
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents always go through Wagtail's view, which applies collection privacy (never a redirect to
# the file's own URL, whatever the storage).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No autosave in the page editor. A new product page cannot be saved before its shared product's price,
# stock, craft and customs data are filled in, so every autosave of a half-filled form failed and showed
# "There are validation errors" to a seller who had made none; and the shared product is not revisioned
# (one price and one stock for every language), so an autosave wrote a half-typed price to the live site.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# No avatars from gravatar.com: staff e-mail hashes stay here, and the admin's policy allows no other host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- browser-side defences (config.security_headers). The public site runs scripts and styles
# from the site itself only: no inline script, style element or style attribute in its templates.
# Wagtail's admin writes inline scripts and styles, so it gets its own policy. Stripe Checkout is a
# redirect after our checkout form, which form-action must allow.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'", "https://checkout.stripe.com"],
    "frame-ancestors": ["'self'"],  # Wagtail's live preview frames our pages in the admin
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_REPORT_URI = "/csp-report/"
PERMISSIONS_POLICY = {
    feature: [] for feature in ("accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
                                "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics")
} | {"fullscreen": ["self"]}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Wagtail's background tasks run immediately and log every run at INFO.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

SITE_TAGLINE = _("Handicraft from the cooperatives, straight to you")
