"""Path converters for the buyer's order links. References and tokens have a known alphabet, so a path
with anything else (a NUL byte, which PostgreSQL refuses in text and would turn into a 500, an RTL
override, an overlong string) never reaches a view or the database: it does not match, hence 404."""

import re

from django.urls import register_converter

# An order's reference is SE26-7KQ4MZ (services.REFERENCE_ALPHABET), a seller's part adds -1, -2…;
# the pattern is a little wider than what is issued, so older or demo references still resolve.
ORDER_REFERENCE_PATTERN = r"[A-Z0-9]{1,8}-[A-Z0-9]{1,12}"
SELLER_ORDER_REFERENCE_PATTERN = ORDER_REFERENCE_PATTERN + r"-[0-9]{1,3}"
# secrets.token_urlsafe: letters, digits, - and _.
ACCESS_LINK_ALPHABET_PATTERN = r"[A-Za-z0-9_-]{1,64}"

_ORDER_REFERENCE = re.compile(ORDER_REFERENCE_PATTERN)
_PLACEMENT_KEY = re.compile(ACCESS_LINK_ALPHABET_PATTERN)
_SELLER_ORDER_REFERENCE = re.compile(SELLER_ORDER_REFERENCE_PATTERN)


def is_order_reference(value: str) -> bool:
    return isinstance(value, str) and _ORDER_REFERENCE.fullmatch(value) is not None


def is_placement_key(value: str) -> bool:
    """A checkout attempt's key (secrets.token_urlsafe, like the access token)."""
    return isinstance(value, str) and _PLACEMENT_KEY.fullmatch(value) is not None


def is_seller_order_reference(value: str) -> bool:
    return isinstance(value, str) and _SELLER_ORDER_REFERENCE.fullmatch(value) is not None


class _StringConverter:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class OrderReferenceConverter(_StringConverter):
    regex = ORDER_REFERENCE_PATTERN


class SellerOrderReferenceConverter(_StringConverter):
    regex = SELLER_ORDER_REFERENCE_PATTERN


class AccessTokenConverter(_StringConverter):
    regex = ACCESS_LINK_ALPHABET_PATTERN


# Here rather than in the URL conf, which tests reload: a converter is registered once per process.
register_converter(OrderReferenceConverter, "order_reference")
register_converter(SellerOrderReferenceConverter, "seller_order_reference")
register_converter(AccessTokenConverter, "access_token")
