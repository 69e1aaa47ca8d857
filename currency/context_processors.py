from .selectors import base_currency, currency_normalise, display_currencies


def currency(request):
    return {
        "currency": getattr(request, "currency", None) or currency_normalise(None),
        "base_currency": base_currency(),
        "display_currencies": display_currencies(),
    }
