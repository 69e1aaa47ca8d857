"""The sample bank accounts buyers pay transfers into."""

from demo.data import (
    BANK_ACCOUNTS,
)
from marketplace.payments.models import BankAccount


def _ensure_bank_accounts():
    """Sample accounts (not real ones, and said so): one in Morocco taking dirhams, one taking euros, so
    that a dollar order shows its amount converted into dirhams."""
    for bank_name, holder, iban, swift, currencies in BANK_ACCOUNTS:
        if not BankAccount.objects.filter(iban=iban).exists():
            account = BankAccount(bank_name=bank_name, holder=holder, iban=iban, swift=swift, currencies=currencies)
            account.full_clean()
            account.save()
