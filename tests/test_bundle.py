"""The offline install: a bundle made where PyPI is reachable installs into a fresh virtual
environment with `pip --no-index` and serves the overview.

Wheels are kept in $DASHBOARD_WHEEL_CACHE (default ~/.cache/dashboard-wheels) so a second run
downloads nothing; with no cache and no index the test skips (it fails in CI, which has PyPI).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from deploy import bundle
from deploy.replicas import stop, wait_healthy
from tests.browser import free_port, national_db

pytestmark = pytest.mark.bundle

CACHE = Path(os.environ.get("DASHBOARD_WHEEL_CACHE", Path.home() / ".cache" / "dashboard-wheels"))


async def page_text(port: int, page: str) -> str:
    """Every element the page's script sends, as text."""
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        seen = []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
            if fm.WhichOneof("type") == "delta":
                seen.append(str(fm.delta))
            if fm.WhichOneof("type") == "script_finished":
                return "\n".join(seen)


def test_bundle_installs_offline_and_serves_the_overview(tmp_path):
    out = tmp_path / "dashboard-bundle"
    try:
        bundle.bundle(out, cache=CACHE, archive=True)
    except subprocess.CalledProcessError:
        if os.environ.get("REQUIRE_BROWSER"):  # CI: PyPI is reachable, the bundle must build
            raise
        pytest.skip("no wheel cache and no package index reachable")
    assert (tmp_path / "dashboard-bundle.tar.gz").stat().st_size > 10_000_000
    names = {p.name.split("-")[0].lower() for p in (out / "wheels").glob("*.whl")}
    assert {"streamlit", "duckdb", "pandas", "plotly"} <= names
    assert not {"pytest", "playwright", "ruff"} & names  # test tools stay behind
    assert not (out / "app" / "tests").exists()

    # The server: the archive unpacked elsewhere, no index, the documented command.
    server = tmp_path / "server"
    server.mkdir()
    subprocess.run(
        ["tar", "-xzf", str(tmp_path / "dashboard-bundle.tar.gz")], cwd=server, check=True
    )
    shutil.rmtree(out)  # nothing may come from the build folder
    root = server / "dashboard-bundle"
    port = free_port()
    base_python = getattr(sys, "_base_executable", sys.executable)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHON": base_python,
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "DASHBOARD_DB": str(national_db(tmp_path)),
    }
    log = open(tmp_path / "install.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        ["sh", str(root / "install.sh"), "--server.port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", timeout_s=600)
        assert (root / ".venv" / "bin" / "streamlit").exists()
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
        text = asyncio.run(page_text(port, ""))
        assert "全国医联体建设总览" in text
        assert "exception" not in text
    finally:
        stop([proc])
        log.close()
    print((tmp_path / "install.log").read_text()[-2000:])
