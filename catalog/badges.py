"""Quality-label badges on the catalogue's pages and cards, from the provider the labels app registers
when it is ready: the catalogue never imports labels (labels import the catalogue). Without one, no
product shows a badge."""

from collections.abc import Callable, Iterable

BadgeProvider = Callable[..., dict]

_provider: BadgeProvider | None = None


def product_badges_register(provider: BadgeProvider) -> None:
    """Make ``provider(product_ids=...)`` the source of badges: {product id: (badge, ...)}."""
    global _provider
    _provider = provider


def product_badges(*, product_ids: Iterable[int]) -> dict[int, tuple]:
    """Each product's badges (its active certificates), in one call for all the products."""
    return _provider(product_ids=product_ids) if _provider is not None else {}
