"""Several replicas behind nginx: pages draw through the proxy; a killed replica's browser
reconnects to another and the page comes back."""

from __future__ import annotations

import os
import shutil

import pytest

from deploy.replicas import replicas
from tests.browser import chromium, free_port, national_db, require_chromium

MAP = ".js-plotly-plot .choroplethlayer path"

pytestmark = pytest.mark.browser


def established_ports() -> set[int]:
    """Local ports of this machine's established TCP connections."""
    ports = set()
    with open("/proc/net/tcp") as f:
        for line in f.read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01":  # ESTABLISHED
                ports.add(int(fields[1].split(":")[1], 16))
    return ports


def serving_port(ports: list[int]) -> int:
    """The replica port that holds an open connection (the browser's websocket) now."""
    serving = [p for p in ports if p in established_ports()]
    assert len(serving) == 1, serving
    return serving[0]


@pytest.fixture
def proxied(tmp_path):
    """Two replicas behind nginx on loopback, on the national database."""
    require_chromium()
    if not shutil.which("nginx"):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("nginx is missing: install Debian's nginx (see .ci/run)")
        pytest.skip("nginx not installed")
    db = national_db(tmp_path)
    with replicas(2, free_port(), db, ports=[free_port(), free_port()]) as served:
        yield served


def test_a_killed_replica_hands_its_browser_to_another(proxied):
    base, procs = proxied
    with chromium() as page:
        page.goto(f"{base}/province?province=330000")
        page.wait_for_selector(MAP, state="attached", timeout=90_000)
        cookie = {c["name"]: c["value"] for c in page.context.cookies()}
        assert "dashboard_replica" in cookie  # sticky: the browser keeps its replica
        first = serving_port(list(procs))
        procs[first].kill()
        procs[first].wait(timeout=10)
        (other,) = set(procs) - {first}
        # Nobody touches the page: it reconnects by itself, through nginx, to the other replica.
        for _ in range(60):
            page.wait_for_timeout(1000)
            if other in established_ports():
                break
        page.screenshot(path="/tmp/nginx_after_kill.png")
        assert other in established_ports(), "the page did not reconnect"
        page.wait_for_timeout(3000)
        page.wait_for_selector(MAP, state="attached", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.outside_requests == []
