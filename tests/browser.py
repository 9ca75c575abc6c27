"""Helpers for end-to-end tests: a real `streamlit run` server and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.report.chromium import ARGS as REPORT_ARGS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# The briefings' flags (no calls home at start), less their "no name resolves": the tests open
# pages by "localhost" too, and their route guard records what would leave.
CHROMIUM_ARGS = [a for a in REPORT_ARGS if not a.startswith("--host-resolver-rules")]


def require_chromium() -> None:
    """Skip when Chromium is absent, unless CI demands the browser tests (REQUIRE_BROWSER=1)."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")


def free_port(following: int = 0) -> int:
    """A TCP port nobody listens on now, and the `following` ports after it free too (as
    `deploy/replicas.py --port P` puts its replicas on P+1, P+2…)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if all(_bindable(port + i) for i in range(1, following + 1)):
            return port


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_healthy(base: str, timeout_s: float = 60) -> None:
    """Block until the Streamlit server answers its health check."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit at {base} did not become healthy")


@contextmanager
def streamlit_server(db_path: Path, port: int | None = None):
    """`streamlit run app.py` on loopback against db_path, as deploy/ starts a replica; yields
    the base URL."""
    from deploy.replicas import start_replica

    port = port or free_port()
    proc = start_replica(port, db_path, Path(tempfile.gettempdir()))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium(width: int = 1600, height: int = 1000, scale: float = 1, color_scheme: str = "light"):
    """A headless Chromium page that records every request leaving this machine; color_scheme
    "dark" is a reader whose system is dark (Streamlit then draws its dark theme)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=scale,
            locale="zh-CN",
            color_scheme=color_scheme,
        )
        outside: list[str] = []

        def guard(route):
            url = route.request.url
            host = urlparse(url).hostname or ""
            if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.outside_requests = outside
        try:
            yield page
        finally:
            context.close()
            browser.close()


_built: list[Path] = []  # the national database this test process built, once


def national_db(tmp_root: Path) -> Path:
    """A copy of the shipped national database: data/dashboard.duckdb if built, else one built
    once per test process (a clean clone has none) and copied for every caller."""
    shipped = ROOT / "data" / "dashboard.duckdb"
    if not shipped.exists():
        if not _built:
            from dashboard import build

            folder = Path(tempfile.mkdtemp(prefix="dashboard-national-"))
            _built.append(build.build(folder / "national.duckdb"))
        shipped = _built[0]
    target = tmp_root / "national.duckdb"
    shutil.copy(shipped, target)  # tests may swap files; never touch the shipped one
    return target
