"""With TASK_QUEUES=split every task goes to the queue of its kind (docs/scaling.md); by default, one queue."""

import pytest
from celery import Celery

from config.celery import app
from config.celery_routes import DOCUMENT_TASKS, INDEX_TASKS, queue_for
from tests.config.test_settings import run_manage


def project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_listed_task_exists():
    assert set(DOCUMENT_TASKS) | set(INDEX_TASKS) <= set(project_tasks())


@pytest.mark.parametrize("name, queue", [
    ("marketplace.orders.tasks.order_email_send", "email"),
    ("sellers.tasks.seller_invitation_send", "email"),
    ("marketplace.orders.tasks.seller_order_documents_make_task", "documents"),
    ("search.tasks.listing_index_update_task", "index"),
    ("catalog.tasks.products_frontend_cache_purge_task", "index"),
    ("currency.tasks.exchange_rates_refresh_task", "celery"),
    ("outbox.tasks.outbox_relay_task", "celery"),
])
def test_each_kind_of_work_has_its_queue(name, queue):
    assert name in project_tasks()
    assert queue_for(name) == queue


def test_celery_routes_through_the_router_when_split():
    split = Celery("routes-test", set_as_current=False)
    split.conf.task_routes = ("config.celery_routes.route_task",)
    routed = split.amqp.router.route({}, "marketplace.quotes.tasks.quote_proforma_make")
    assert routed["queue"].name == "documents"


def test_the_setting_turns_routing_on_and_off():
    code = "from django.conf import settings; print(getattr(settings, 'CELERY_TASK_ROUTES', None))"
    on = run_manage("shell", "-c", code, env_overrides={"TASK_QUEUES": "split"})
    off = run_manage("shell", "-c", code, env_overrides={"TASK_QUEUES": ""}, drop=("TASK_QUEUES",))
    assert "config.celery_routes.route_task" in on.stdout, on.stderr
    assert off.stdout.strip().splitlines()[-1] == "None", off.stderr


def test_celery_reads_no_setting_of_ours_as_its_own():
    from django.conf import settings

    assert not hasattr(settings, "CELERY_QUEUES")
    assert app.amqp.queues  # Celery builds its queues from its own defaults
