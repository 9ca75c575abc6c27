"""Replicas on two "hosts" (Linux network namespaces, each with its own address and its own copy
of the database) behind one nginx: both serve through the proxy, and a database published to
both by copy-then-rename is picked up by each without an error. Needs root (ip netns); skipped
otherwise."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import websockets

from bench.load import rerun
from deploy.publish import publish_copy
from deploy.replicas import wait_healthy
from tests.browser import ROOT, free_port, national_db
from tests.test_nginx import descendants

# Names and subnets of this test run's own (two runs at once on one machine must not collide).
_RUN = os.getpid() % 10_000
HOSTS = {
    f"dh{_RUN}x": f"10.{200 + _RUN % 50}.{1 + _RUN % 200}",
    f"dh{_RUN}y": f"10.{250 - _RUN % 50}.{1 + _RUN % 200}",
}
REPLICA_PORT = 8501


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def hosts():
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("nginx"):
        pytest.skip("needs root, iproute2 and nginx")
    try:
        for ns, net in HOSTS.items():
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", f"{ns}a", "type", "veth", "peer", "name", f"{ns}b")
            sh("ip", "link", "set", f"{ns}b", "netns", ns)
            sh("ip", "addr", "add", f"{net}.1/24", "dev", f"{ns}a")
            sh("ip", "link", "set", f"{ns}a", "up")
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{net}.2/24", "dev", f"{ns}b")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", f"{ns}b", "up")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
    except (subprocess.CalledProcessError, OSError) as exc:
        for ns in HOSTS:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            subprocess.run(["ip", "link", "del", f"{ns}a"], capture_output=True)
        pytest.skip(f"network namespaces not available here: {exc}")
    try:
        yield {ns: f"{net}.2" for ns, net in HOSTS.items()}
    finally:
        for ns in HOSTS:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            subprocess.run(["ip", "link", "del", f"{ns}a"], capture_output=True)


def launcher(args: list[str], ns: str | None = None) -> subprocess.Popen:
    prefix = ["ip", "netns", "exec", ns] if ns else []
    cmd = [*prefix, sys.executable, str(ROOT / "deploy" / "replicas.py"), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert "serving" in proc.stdout.readline()
    return proc


def established(ns: str) -> int:
    out = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            ns,
            "ss",
            "-Htn",
            "state",
            "established",
            f"sport = :{REPLICA_PORT}",
        ],
        capture_output=True,
        text=True,
    ).stdout
    return len(out.splitlines())


def open_db_inodes(pid: int) -> set[int]:
    """Inodes of the .duckdb files a process has open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).split(" ")[0].endswith(".duckdb"):
                found.add(fd.stat().st_ino)
        except OSError:
            continue
    return found


def test_two_hosts_behind_one_nginx_and_a_published_database(tmp_path, hosts):
    national = national_db(tmp_path)
    files = {}
    for ns in hosts:
        files[ns] = tmp_path / ns / "dashboard.duckdb"  # each host's own data folder
        publish_copy(national, files[ns])
    procs = []
    try:
        for ns, address in hosts.items():
            procs.append(
                launcher(
                    ["--replicas", "1", "--no-nginx", "--bind", address]
                    + ["--port", str(REPLICA_PORT - 1), "--db", str(files[ns])],
                    ns,
                )
            )
        port = free_port()
        upstreams = [a for h in hosts.values() for a in ("--upstream", f"{h}:{REPLICA_PORT}")]
        procs.append(launcher(["--replicas", "0", "--port", str(port), *upstreams]))
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)
        url = f"ws://127.0.0.1:{port}/_stcore/stream"

        async def sessions(n: int, check_hosts: bool) -> list[bool]:
            sockets = [
                await websockets.connect(url, subprotocols=["streamlit"], max_size=None)
                for _ in range(n)
            ]
            try:
                results = [await rerun(ws, "", "") for ws in sockets]
                if check_hosts:  # every host holds some of the browsers
                    assert all(established(ns) > 0 for ns in hosts), "a host got no session"
                return [failed for _, failed in results]
            finally:
                for ws in sockets:
                    await ws.close()

        assert not any(asyncio.run(sessions(12, check_hosts=True)))

        # A new database reaches both hosts by copy-then-rename; each replica switches to it.
        fresh = tmp_path / "fresh.duckdb"
        shutil.copy(national, fresh)
        for ns in hosts:
            publish_copy(fresh, files[ns])
        assert not any(asyncio.run(sessions(12, check_hosts=False)))
        replicas = [p for proc in procs[:2] for p in descendants(proc.pid)]
        new_inodes = {files[ns].stat().st_ino for ns in hosts}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # (the previous file's connection may stay cached a while; what matters is that each
            # replica has opened the new file and serves from it)
            switched = [bool(open_db_inodes(p) & new_inodes) for p in replicas]
            if all(switched):
                break
            asyncio.run(sessions(4, check_hosts=False))
        assert replicas and all(switched), "a replica did not open the published file"
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
