"""The server reaches nothing outside this machine: not at start, not while it serves a page.

Streamlit is started as `streamlit run app.py` with the repository's config, inside a Python
whose audit hook writes down every name lookup and every socket connect the process makes (all
of Python's networking, `requests` included, goes through these two audit events). A control
run with the address Streamlit ships with by default in many guides (0.0.0.0) shows the hook does
see Streamlit's lookup of checkip.amazonaws.com.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import subprocess
import sys

import pytest
import websockets

from bench.load import rerun
from tests.browser import ROOT, free_port, national_db, wait_healthy

LAUNCHER = """
import json, sys
log = open(sys.argv[1], "a", buffering=1)
def hook(event, args):
    if event == "socket.getaddrinfo":
        log.write(json.dumps({"lookup": str(args[0])}) + "\\n")
    elif event in ("socket.connect", "socket.bind"):
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        log.write(json.dumps({event.split(".")[1]: str(host)}) + "\\n")
sys.addaudithook(hook)
sys.argv = [sys.argv[0], *sys.argv[2:]]
if sys.argv[1:2] == ["--deploy"]:  # as deploy/ starts a replica
    del sys.argv[1]
    sys.path.insert(0, ".")
    from deploy.serve import main
else:  # as README's `streamlit run app.py`
    from streamlit.web.cli import main
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
main()
"""


def outside(events: list[dict]) -> list[dict]:
    """The lookups and connects that name anything but this machine."""
    found = []
    for event in events:
        host = event.get("lookup") or event.get("connect")
        if host is None:
            continue  # a bind: the server's own listening socket
        if host in ("localhost", "None", ""):
            continue
        try:
            if ipaddress.ip_address(host).is_loopback:
                continue
        except ValueError:
            pass  # a host name: outside
        found.append(event)
    return found


def serve_and_record(tmp_path, *args: str) -> list[dict]:
    """Start the app with extra CLI args, open the overview over its websocket, stop it, and
    return every network event the server process made."""
    log = tmp_path / "net.jsonl"
    log.write_text("")
    port = free_port()
    env = os.environ | {"DASHBOARD_DB": str(national_db(tmp_path))}
    launcher = [a for a in args if a == "--deploy"]
    args = tuple(a for a in args if a != "--deploy")
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(log), *launcher, "--server.port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)

        async def overview():
            url = f"ws://127.0.0.1:{port}/_stcore/stream"
            async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
                return await rerun(ws, "", "")

        _, failed = asyncio.run(overview())
        assert not failed
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return [json.loads(line) for line in log.read_text().splitlines()]


@pytest.mark.parametrize("launcher", [[], ["--deploy"]], ids=["streamlit-run", "deploy-serve"])
def test_starting_and_serving_makes_no_outside_request(tmp_path, launcher):
    events = serve_and_record(tmp_path, *launcher)
    assert {"bind": "127.0.0.1"} in events, "the audit hook did not see the server's own socket"
    assert outside(events) == []


def test_the_check_sees_streamlits_lookup_on_a_wildcard_address(tmp_path):
    # The control: what the config's explicit address prevents.
    events = serve_and_record(tmp_path, "--server.address", "0.0.0.0")
    assert {"lookup": "checkip.amazonaws.com"} in outside(events)


def test_a_foreign_page_opening_the_websocket_makes_no_outside_request(tmp_path):
    # A page on another site that opens our websocket: Streamlit's origin check asks
    # checkip.amazonaws.com before refusing it, unless started as deploy/serve.py does.
    log = tmp_path / "net.jsonl"
    port = free_port()
    env = os.environ | {"DASHBOARD_DB": str(national_db(tmp_path))}
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(log), "--deploy", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}")

        async def foreign():
            url = f"ws://127.0.0.1:{port}/_stcore/stream"
            try:
                async with websockets.connect(
                    url, subprotocols=["streamlit"], origin="http://evil.example"
                ):
                    return True
            except websockets.InvalidStatus:
                return False

        assert asyncio.run(foreign()) is False
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert outside(events) == []
