"""A Redis server of the test's own, on a free port, that a test may stop: never the machine's shared one."""

import shutil
import subprocess
import time

import pytest
import redis

from tests.celery_broker import free_port


class SpareRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _attempt in range(100):
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def spare_redis():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed for the fault tests (Debian's redis-server package)")
    server = SpareRedis()
    server.start()
    yield server
    server.stop()
