from .base import *  # noqa: F403
from .environment import env_bool, env_int

DEBUG = env_bool("DEBUG", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
