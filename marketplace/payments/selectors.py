"""Reading payments, and what a buyer paying by bank transfer is told. Orders are the instances given
(payments never import orders)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from currency.selectors import base_currency, exchange_rate, money_round

from .models import BankAccount, BankTransferSettings, Payment


def payment_open(*, order) -> Payment | None:
    """The order's payment attempt still open at its provider (one at a time), if any."""
    return Payment.objects.filter(order=order, status=Payment.Status.STARTED).order_by("-pk").first()


def payments_unfinished(*, orders) -> list[Payment]:
    """The attempts of these orders still open at their providers."""
    return list(Payment.objects.filter(order__in=orders, status=Payment.Status.STARTED))


def payment_refundable(*, order) -> Payment | None:
    """The order's first completed payment, the one a part of the order is refunded from."""
    return Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).order_by("pk").first()


def instalment_name(*, order) -> str:
    """What the payment due now is, for an order paid in instalments ("Deposit (30 %) of order X",
    "Balance of order X"); empty for an order paid in one go, or when nothing is due."""
    if not order.deposit or not order.amount_due_now:
        return ""
    if order.balance_open:
        return _("Balance of order %(reference)s") % {"reference": order.reference}
    percent = (order.deposit * 100 / order.total).quantize(Decimal(1), ROUND_HALF_UP) if order.total else 0
    # Translators: a deposit's share of an order's total, as in "Deposit (30 %) of order SE26-7KQ4MZ".
    return _("Deposit (%(percent)s %%) of order %(reference)s") % {"percent": percent, "reference": order.reference}


@dataclass(frozen=True)
class TransferAccount:
    bank_name: str
    holder: str
    iban: str
    swift: str
    currencies: tuple[str, ...]


def transfer_accounts(*, options: dict | None = None) -> list[TransferAccount]:
    """The accounts buyers may pay into: the rows staff edit (Settings → Bank accounts), else the one the
    offline provider's OPTIONS name, which takes the base currency unless OPTIONS say otherwise."""
    accounts = [TransferAccount(account.bank_name, account.holder, account.iban, account.swift,
                                tuple(account.currency_list))
                for account in BankAccount.objects.filter(active=True)]
    if accounts or not options or not options.get("IBAN"):
        return accounts
    currencies = options.get("CURRENCIES") or [base_currency()]
    return [TransferAccount(options.get("BANK_NAME", ""), options.get("ACCOUNT_NAME", ""), options["IBAN"],
                            options.get("BIC", ""), tuple(currencies))]


def transfer_currencies(*, options: dict | None = None) -> list[str]:
    """Every currency some account takes, in the order first offered."""
    return list(dict.fromkeys(code for account in transfer_accounts(options=options) for code in account.currencies))


def transfer_tolerance(*, order) -> Decimal:
    """How far short of the total a transfer may be and still pay the order, in the order's currency:
    the larger of the percentage of the total and the fixed amount (set in the base currency)."""
    config = BankTransferSettings.load()
    by_percent = order.total * config.tolerance_percent / 100
    fixed = config.tolerance_fixed * exchange_rate(base_currency(), order.currency) \
        if order.currency != base_currency() else config.tolerance_fixed
    return money_round(max(by_percent, fixed), order.currency)


def transfer_instructions(*, order, options: dict | None = None) -> dict:
    """What the buyer transfers, where to: an account that takes the order's currency; if none does,
    the amount converted at the stored rate into a currency that one takes (and said so). Asks for
    what is still due when part has arrived. For an order paid in instalments, the instalment due now
    (the deposit, then the balance) is named, and the amount is what it still lacks."""
    # Transfers add up in ``order.received``: the deposit is reached first, then the total.
    target = order.deposit if order.deposit and not order.balance_open else order.total
    due = max(target - order.received, Decimal(0))
    accounts = transfer_accounts(options=options)
    account = next((account for account in accounts if order.currency in account.currencies), None)
    instructions = {"reference": order.reference, "pay_by": order.pay_by, "order_amount": due,
                    "order_currency": order.currency, "received": order.received, "total": order.total,
                    "instalment": instalment_name(order=order),
                    "converted": False, "rate": None, "account": account, "amount": due, "currency": order.currency}
    if account is None and accounts:
        account = accounts[0]
        currency = account.currencies[0]
        try:
            rate = exchange_rate(order.currency, currency)
        except KeyError:  # no stored rate: the order's own currency, the bank converts
            rate = None
        if rate is not None:
            instructions.update(account=account, currency=currency, rate=rate, converted=True,
                                amount=money_round(due * rate, currency))
        else:
            instructions.update(account=account)
    if account is not None:  # the keys the emails and templates have always read
        instructions.update(account_name=account.holder, bank_name=account.bank_name, iban=account.iban,
                            bic=account.swift)
    return instructions

