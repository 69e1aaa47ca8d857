"""gunicorn serving the app on a free loopback port, always stopped at the end (also on an error)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from .harness import GUNICORN, HOST, REPO, BenchError, say


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], *, workers: int, log_path: Path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._log = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        command = [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--error-logfile",
            "-",
        ]
        if "--no-control-socket" in _gunicorn_help():
            command.append("--no-control-socket")  # the default socket path is shared by every gunicorn of the user
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 90) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                response = requests.get(f"{self.base_url}/healthz", timeout=10)
            except requests.RequestException:
                time.sleep(0.25)
                continue
            if response.status_code != 200:
                say(f"  warning: /healthz answered {response.status_code}: {response.text[:400]}")
            return
        raise BenchError(f"gunicorn did not answer on {self.base_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


_GUNICORN_HELP: str | None = None


def _gunicorn_help() -> str:
    global _GUNICORN_HELP
    if _GUNICORN_HELP is None:
        try:
            _GUNICORN_HELP = subprocess.run([GUNICORN, "--help"], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.TimeoutExpired):
            _GUNICORN_HELP = ""
    return _GUNICORN_HELP


def gunicorn_version() -> str:
    try:
        return subprocess.run([GUNICORN, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"
