"""Read what an existing database holds, through the ORM of the tree it runs in, and write it as JSON.

Run by tests/migrations/test_migrate_forward.py in a subprocess, once with the code of the commit before
the restructure and once with today's code: ``manage.py shell -c "import runpy; runpy.run_path(<this file>)"``
with MIGRATION_FACTS_OUT naming the JSON file. It is not imported by the suite and never ships.

Models are found by name among the app labels they may live under, newest first, so the same script
reads the old tree (where commerce is app ``marketplace`` and labels live in ``catalog``) and the new one.
With MIGRATION_FACTS_SEED_PAYMENT set it first adds one payment and one payment event if the demo seed made
none, so that those tables are not empty before the migration.
"""

import io
import json
import os
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction

COMMERCE = ("orders", "payments", "payouts", "basket", "checkout", "shipping", "currency", "marketplace")
LABELS = ("labels", "catalog")

# (model name, app labels it may live under, newest first)
MODELS = [
    ("Seller", ("sellers",)),
    ("SellerMember", ("sellers",)),
    ("Product", ("catalog",)),
    ("ProductPage", ("catalog",)),
    ("SellerPage", ("catalog",)),
    ("ExchangeRate", ("currency", "marketplace")),
    ("BasketLine", COMMERCE),
    ("Order", COMMERCE),
    ("OrderLine", COMMERCE),
    ("OrderShippingPart", COMMERCE),
    ("SellerOrder", COMMERCE),
    ("SellerOrderDocument", COMMERCE),
    ("SellerPayout", COMMERCE),
    ("SellerPayoutAccount", COMMERCE),
    ("Payment", COMMERCE),
    ("PaymentEvent", COMMERCE),
    ("BankTransferReceipt", COMMERCE),
    ("BankAccount", COMMERCE),
    ("BankTransferSettings", COMMERCE),
    ("CountrySettings", COMMERCE),
    ("ShippingZone", COMMERCE),
    ("ShippingRate", COMMERCE),
    ("LabelScheme", LABELS),
    ("LabelCriterion", LABELS),
    ("LabelLevel", LABELS),
    ("LabelApplication", LABELS),
    ("LabelInspection", LABELS),
    ("LabelCriterionVerdict", LABELS),
    ("LabelEvidence", LABELS),
    ("LabelCertificate", LABELS),
    ("CertificateSequence", LABELS),
    ("LabelEvent", LABELS),
]


def model_find(name, labels):
    found = []
    for label in labels:
        try:
            found.append(apps.get_model(label, name))
        except LookupError:
            continue
    if len(found) != 1:
        raise LookupError(f"{name}: found under {[m._meta.app_label for m in found]} of {labels}, expected exactly one")
    return found[0]


def plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, Decimal):
        # 12.5 and 12.50 are the same amount; the column, not the migration, decides the trailing zeros.
        return str(value.normalize())
    return str(value)


def rows_of(model):
    fields = list(model._meta.concrete_fields)
    rows = {}
    for instance in model._base_manager.order_by("pk"):
        rows[str(instance.pk)] = {field.attname: plain(getattr(instance, field.attname)) for field in fields}
    many = {}
    for field in model._meta.many_to_many:
        pairs = field.remote_field.through._base_manager.values_list(
            field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
        )
        many[field.name] = sorted([str(a), str(b)] for a, b in pairs)
    return rows, many


def log_entries_of(model):
    """Wagtail's audit log points at a model through its content type: moved without it, the history is lost."""
    from wagtail.models import ModelLogEntry

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return ModelLogEntry.objects.filter(content_type=content_type).count()


def label_chain():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_label_chain", stdout=out, stderr=err)
    except CommandError as error:
        return {"intact": False, "report": f"{err.getvalue()}{error}"}
    return {"intact": True, "report": out.getvalue().strip()}


def groups():
    result = {}
    for group in Group.objects.order_by("name"):
        perms = []
        for permission in group.permissions.select_related("content_type"):
            model = permission.content_type.model_class()
            perms.append({
                "codename": permission.codename,
                "model": permission.content_type.model,
                "resolves": model is not None,
                "app_label": permission.content_type.app_label,
            })
        result[group.name] = sorted(perms, key=lambda perm: (perm["model"], perm["codename"]))
    return result


def payment_seed():
    Payment = model_find("Payment", COMMERCE)
    PaymentEvent = model_find("PaymentEvent", COMMERCE)
    Order = model_find("Order", COMMERCE)
    order = Order.objects.order_by("pk").first()
    if order is None:
        raise SystemExit("the demo seed made no order")
    with transaction.atomic():
        if not Payment.objects.exists():
            Payment.objects.create(order=order, provider="offline", reference=f"migration-test-{order.pk}",
                                   status="succeeded", amount=order.total, currency=order.currency)
        if not PaymentEvent.objects.exists():
            PaymentEvent.objects.create(provider="offline", event_id=f"migration-test-{order.pk}",
                                        kind="payment.succeeded", order=order, outcome="paid")


def facts():
    result = {"models": {}, "groups": groups(), "label_chain": label_chain()}
    for name, labels in MODELS:
        model = model_find(name, labels)
        rows, many = rows_of(model)
        result["models"][name] = {
            "app_label": model._meta.app_label,
            "table": model._meta.db_table,
            "count": len(rows),
            "rows": rows,
            "many_to_many": many,
            "log_entries": log_entries_of(model),
            "content_types": sorted(
                ContentType.objects.filter(model=model._meta.model_name, app_label__in=labels)
                .values_list("app_label", flat=True)
            ),
        }
    return result


if os.environ.get("MIGRATION_FACTS_SEED_PAYMENT"):
    payment_seed()
with open(os.environ["MIGRATION_FACTS_OUT"], "w", encoding="utf-8") as out:
    json.dump(facts(), out, indent=1, sort_keys=True)
