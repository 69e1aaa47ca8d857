"""Point the Celery app at another broker for one test, and put it back."""

import socket
from contextlib import contextmanager

from marketplace.celery import app


@contextmanager
def celery_broker(settings, url: str):
    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app._pool = None  # kombu keeps one pool per broker address: this one is made for the new address
    try:
        yield app
    finally:
        app._pool = None
        app.conf.broker_url, app.conf.task_always_eager = previous


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
