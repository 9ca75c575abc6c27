"""Several replicas behind nginx: pages draw through the proxy; a killed replica's browser
reconnects to another and the page comes back; the proxy's security headers, limits, TLS and
compression; the launcher leaves nothing running when it is stopped."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import websockets

from deploy.replicas import nginx_config, replicas
from tests.browser import ROOT, chromium, free_port, national_db, require_chromium

MAP = ".js-plotly-plot .choroplethlayer path"


def require_nginx() -> None:
    if not shutil.which("nginx"):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("nginx is missing: install Debian's nginx (see .ci/run)")
        pytest.skip("nginx not installed")


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
    require_nginx()
    db = national_db(tmp_path)
    with replicas(2, free_port(), db, ports=[free_port(), free_port()]) as served:
        yield served


@pytest.mark.browser
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


def held_per_port(ports: list[int]) -> dict[int, int]:
    """How many established connections each replica port holds now."""
    counts = dict.fromkeys(ports, 0)
    with open("/proc/net/tcp") as f:
        for line in f.read().splitlines()[1:]:
            fields = line.split()
            port = int(fields[1].split(":")[1], 16)
            if fields[3] == "01" and port in counts:
                counts[port] += 1
    return counts


def test_new_browsers_are_spread_evenly_and_each_keeps_its_replica(tmp_path):
    """Officials arriving one after another are shared out in turn (not by chance, which left
    one of two replicas with 29 of 50), and each browser's websocket reaches the replica its
    page came from. A made-up cookie cannot send a request anywhere else."""
    require_nginx()
    ports = [free_port(), free_port()]
    with replicas(2, free_port(), national_db(tmp_path), ports=ports) as (base, _):
        url = base.replace("http", "ws", 1) + "/_stcore/stream"

        def page_cookie(cookie: str | None = None) -> str:
            headers = {"Cookie": f"dashboard_replica={cookie}"} if cookie else {}
            r = requests.get(f"{base}/", headers=headers, timeout=10)
            assert r.status_code == 200
            return r.cookies["dashboard_replica"]

        arrivals = [page_cookie() for _ in range(8)]
        assert sorted(arrivals) == ["r0"] * 4 + ["r1"] * 4

        async def hold(cookies: list[str]) -> dict[int, int]:
            before = held_per_port(ports)
            sockets = [
                await websockets.connect(
                    url,
                    subprotocols=["streamlit"],
                    additional_headers={"Cookie": f"dashboard_replica={c}"},
                )
                for c in cookies
            ]
            try:
                await asyncio.sleep(0.5)
                now = held_per_port(ports)
                return {p: now[p] - before[p] for p in ports}
            finally:
                for ws in sockets:
                    await ws.close()

        # Each browser's websocket goes where its page came from: 4 and 4.
        assert asyncio.run(hold(arrivals)) == {ports[0]: 4, ports[1]: 4}
        # A browser that came back keeps its replica, page after page.
        assert {page_cookie("r1") for _ in range(5)} == {"r1"}
        assert asyncio.run(hold(["r1"] * 3)) == {ports[0]: 0, ports[1]: 3}
        # A forged value is no address: it counts as no cookie and names a replica.
        for forged in ["127.0.0.1:22", "dashboard_r0;", "r9", "http://evil.example"]:
            assert page_cookie(forged) in {"r0", "r1"}


def test_the_config_for_several_hosts_names_each_replica_nginx_can_reach(tmp_path):
    """deploy/README's recipe prints the config for replicas on other hosts, by name or by
    address: nginx accepts it, and the cookie can name each of them (nginx reports a named
    host by its address, so the config names it by address too)."""
    require_nginx()
    config = nginx_config(8080, ["localhost:9001", "10.0.0.2:9002", "[::1]:9003"], tmp_path)
    (tmp_path / "nginx.conf").write_text(config, encoding="utf-8")
    check = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert r'"~(^|, )127\.0\.0\.1:9001$" r0;' in config
    assert r'"~(^|, )10\.0\.0\.2:9002$" r1;' in config
    assert r'"~(^|, )\[::1\]:9003$" r2;' in config


def test_a_replica_host_that_does_not_resolve_is_named_before_anything_starts(capsys, monkeypatch):
    import socket

    from deploy import replicas as launcher

    def unknown(*args, **kwargs):  # the name the intranet's DNS does not know (asked offline)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    monkeypatch.setattr(
        sys, "argv", ["replicas.py", "--print-config", "--upstream", "no-such-host.invalid:8501"]
    )
    assert launcher.main() == 2
    err = capsys.readouterr().err
    assert "no-such-host.invalid:8501" in err and "Traceback" not in err


# --- the hardened proxy: TLS with a self-signed certificate, headers, limits, compression ---


@pytest.fixture(scope="module")
def tls_proxy(tmp_path_factory):
    """One replica behind nginx with TLS (a self-signed certificate made here by openssl);
    yields (https base, the replica's own http base, the certificate to trust)."""
    require_nginx()
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=dashboard.test"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    with replicas(1, free_port(), national_db(tmp), ports=[port], tls=(cert, key)) as (base, _):
        yield base, f"http://127.0.0.1:{port}", str(cert)


def test_tls_and_security_headers(tls_proxy):
    base, _, cert = tls_proxy
    r = requests.get(f"{base}/province", verify=cert, timeout=10)
    assert r.status_code == 200 and "<html" in r.text.lower()
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert r.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    assert r.headers["Server"] == "nginx"  # no version
    missing = requests.get(f"{base}/no/such/file.js", verify=cert, timeout=10)
    assert "nginx/" not in missing.text
    with pytest.raises(requests.exceptions.SSLError):  # not trusted without the certificate
        requests.get(base, timeout=10)


def test_metrics_are_not_exposed(tls_proxy):
    base, direct, cert = tls_proxy
    assert requests.get(f"{direct}/_stcore/metrics", timeout=10).status_code == 200  # control
    assert requests.get(f"{base}/_stcore/metrics", verify=cert, timeout=10).status_code == 404
    assert requests.get(f"{base}/_stcore/metrics?x=1", verify=cert, timeout=10).status_code == 404


def test_javascript_and_geojson_are_compressed_and_bundles_cached_long(tls_proxy):
    base, direct, cert = tls_proxy
    index = requests.get(f"{base}/", verify=cert, timeout=10).text
    bundle = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', index).group(1)
    gz = {"Accept-Encoding": "gzip"}
    plain = requests.get(f"{direct}/{bundle}", headers=gz, timeout=10)
    assert "Content-Encoding" not in plain.headers  # Streamlit alone sends it uncompressed
    r = requests.get(f"{base}/{bundle}", headers=gz, verify=cert, timeout=10, stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    assert (
        "immutable" in r.headers["Cache-Control"]
        and "max-age=31536000" in r.headers["Cache-Control"]
    )
    on_wire = len(r.raw.read(decode_content=False))
    assert on_wire < len(plain.content) / 2
    geo = requests.get(f"{base}/app/static/geo/330000.json", headers=gz, verify=cert, timeout=10)
    assert geo.status_code == 200 and geo.headers["Content-Encoding"] == "gzip"
    assert geo.headers["Cache-Control"] == "public, max-age=86400"
    assert geo.json()["type"] == "FeatureCollection"


def test_a_foreign_page_cannot_open_the_websocket(tls_proxy):
    base, _, cert = tls_proxy
    import ssl

    tls = ssl.create_default_context(cafile=cert)
    url = base.replace("https", "wss", 1) + "/_stcore/stream"

    async def status(origin):
        try:
            async with websockets.connect(
                url, subprotocols=["streamlit"], origin=origin, ssl=tls, open_timeout=10
            ):
                return 101
        except websockets.InvalidStatus as exc:
            return exc.response.status_code

    assert asyncio.run(status(base)) == 101  # the app's own page
    assert asyncio.run(status("https://evil.example")) == 403


def test_a_burst_from_one_client_is_limited(tls_proxy):
    base, _, cert = tls_proxy
    with requests.Session() as s:
        codes = [
            s.get(f"{base}/_stcore/health", verify=cert, timeout=10).status_code for _ in range(700)
        ]
    assert codes[0] == 200 and 429 in codes


# --- the launcher stops cleanly ---


def descendants(pid: int) -> set[int]:
    """Every process below pid (children, their children, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_the_launcher_leaves_no_process(tmp_path, sig):
    require_nginx()
    db = national_db(tmp_path)
    port = free_port(following=2)  # the launcher's replicas take the two ports after it
    launcher = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "replicas.py"), "--replicas", "2"]
        + ["--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "serving" in launcher.stdout.readline()
        assert requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5).ok
        running = descendants(launcher.pid)
        names = {Path(f"/proc/{p}/comm").read_text().strip() for p in running}
        assert "nginx" in names and len(running) >= 4  # 2 replicas, nginx master + worker
        launcher.send_signal(sig)
        launcher.wait(timeout=60)  # a loaded machine: replicas get 10 s to stop, then SIGKILL
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(p) for p in running):
            time.sleep(0.2)
        assert [p for p in running if alive(p)] == []
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
    finally:
        for p in descendants(launcher.pid) if launcher.poll() is None else []:
            os.kill(p, signal.SIGKILL)
        if launcher.poll() is None:
            launcher.kill()
