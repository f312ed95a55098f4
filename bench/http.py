"""Requests per second and latency of real HTTP requests to the site under gunicorn.

The server runs with production settings (DEBUG off, whitenoise) and 2 sync workers on
127.0.0.1; a client in this process keeps connections alive from several threads for a fixed
time. Client and server share the machine's two cores, so the figures are a floor, measured
the same way each time.
"""

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int = 2):
    """A gunicorn serving the site on a free loopback port, stopped afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
    }
    python = Path(sys.executable)
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            python.parent / "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def load(port: int, path: str, seconds: float = 8.0, concurrency: int = 4) -> dict:
    """Hit ``path`` from ``concurrency`` keep-alive connections for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": "localhost"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors += failed

    # Warm every worker before measuring.
    for _ in range(10):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        warm.request("GET", path, headers={"Host": "localhost"})
        warm.getresponse().read()
        warm.close()
    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "per_second": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0,
    }


def run(database_url: str, paths: list[tuple[str, str]], seconds: float) -> None:
    print(
        "\n| page (gunicorn, 2 workers, 4 client connections) | requests/s | p50 ms | p95 ms |",
        end="",
    )
    print(" errors |")
    print("|---|---:|---:|---:|---:|")
    with gunicorn(database_url) as port:
        for name, path in paths:
            figures = load(port, path, seconds=seconds)
            print(
                f"| {name} `{path}` | {figures['per_second']:.0f} | {figures['p50']:.1f} | "
                f"{figures['p95']:.1f} | {figures['errors']} |"
            )
