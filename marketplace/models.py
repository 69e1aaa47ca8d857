from .currency.models import ExchangeRate  # noqa: F401  (models of this app)
