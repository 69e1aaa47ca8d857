"""The order page's returns section reads its figures here, so the order view needs no change."""

from django import template

from ..selectors import order_returns_view

register = template.Library()


@register.simple_tag
def order_returns(order):
    """Each part of the order with what may be returned and its returns."""
    return order_returns_view(order=order)
