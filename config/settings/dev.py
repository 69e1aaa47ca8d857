from .base import *  # noqa: F403
from .base import MIDDLEWARE
from .environment import env_bool, env_int

DEBUG = env_bool("DEBUG", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)

# runserver serves static files itself; WhiteNoise is for collected files in production.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]
