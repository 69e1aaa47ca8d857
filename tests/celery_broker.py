"""Point the Celery app at another broker for one test, and put it back."""

import os
import socket
from contextlib import contextmanager

from config.celery import app


@contextmanager
def celery_broker(settings, url: str):
    previous = app.conf.broker_url, app.conf.task_always_eager
    previous_environ = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url  # Celery reads it before its own configuration
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
        if previous_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = previous_environ


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
