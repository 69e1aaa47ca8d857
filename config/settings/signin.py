"""Sign-in settings: login throttling (django-axes), two-factor authentication (django-otp), request rate
limits, and buyers' accounts (django-allauth). Part of ``base``, which imports them all."""

from datetime import timedelta

from .environment import env_int, env_str

# --- sign-in: login throttling (django-axes), two-factor authentication (django-otp), rate limits
# Axes checks every authenticate() call first; its counts live in the database, not in Redis.
# allauth's backend logs in by email address, on the buyers' login and in the Wagtail admin alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_HANDLER = "accounts.login_throttle.PerAccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # per account from one address
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 30)  # per address over all accounts
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
# The admin's form sends "username", allauth's sends "login" and authenticates with "email".
AXES_USERNAME_CALLABLE = "accounts.login_throttle.login_name"
AXES_ENABLE_ADMIN = False  # staff see and lift lockouts in the Wagtail admin (accounts/lockouts.py)
LOGIN_LOCKOUT_MANAGER_GROUPS = ["Chamber staff"]
AXES_VERBOSE = False
# Proxies in front of the app that append to X-Forwarded-For (0: clients connect directly).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
# Two-factor: required in the admin for these groups and for superusers; other admin users may enrol.
TWO_FACTOR_REQUIRED_GROUPS = ["Chamber staff", "Label inspectors", "Lead inspectors"]
OTP_TOTP_ISSUER = "Souk Export"
# Requests per window and client address ("count/s", "/m", "/h"); the limiter fails open without a cache.
RATE_LIMITS = {
    "search": env_str("RATE_LIMIT_SEARCH", "120/m"),
    # The open catalogue API (/api/v1/) beyond search: products, sellers, certificates, figures, currencies.
    "api": env_str("RATE_LIMIT_API", "120/m"),
    "basket": env_str("RATE_LIMIT_BASKET", "60/m"),
    "checkout": env_str("RATE_LIMIT_CHECKOUT", "20/m"),
    "registration": env_str("RATE_LIMIT_REGISTRATION", "10/h"),
    "notices": env_str("RATE_LIMIT_NOTICES", "10/h"),
    "trade": env_str("RATE_LIMIT_TRADE", "20/h"),
}

# --- buyers' accounts (django-allauth): email is the login, verified before the first login
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Links in the emails are built from the request (its host and, behind a proxy, its scheme).
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Souk Export: "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's own limits, counted in the cache per address ("ip"), account ("user") or email ("key");
# failed logins are throttled by django-axes above, so allauth's login_failed limit is off.
ACCOUNT_RATE_LIMITS = {
    "signup": env_str("RATE_LIMIT_SIGNUP", "10/h/ip"),
    "reset_password": env_str("RATE_LIMIT_PASSWORD_RESET", "20/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "login": "30/m/ip",
    "login_failed": False,
}

