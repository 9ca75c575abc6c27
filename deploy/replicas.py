"""Run several Streamlit processes behind nginx (Debian's package) on this machine.

    python deploy/replicas.py --replicas 2 --port 8080 [--db data/dashboard.duckdb]

Starts the replicas on the ports after --port, writes an nginx config from
deploy/nginx.conf.template into a temporary folder and runs nginx in the foreground until
Ctrl-C. Every replica opens the same database file read-only. For production, put the
generated config under /etc/nginx and the replicas under systemd; the settings are the same.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def nginx_config(listen: int, ports: list[int], prefix: Path) -> str:
    """The nginx config for replicas on ports, listening on loopback:listen."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
    return TEMPLATE.read_text(encoding="utf-8").format(
        listen=f"127.0.0.1:{listen}", servers=servers, prefix=prefix
    )


def start_replica(port: int, db: Path, log_dir: Path) -> subprocess.Popen:
    """One `streamlit run app.py` on a loopback port."""
    log = open(log_dir / f"replica-{port}.log", "w")  # noqa: SIM115 (lives with the process)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=os.environ | {"DASHBOARD_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@contextlib.contextmanager
def replicas(n: int, listen: int, db: Path, ports: list[int] | None = None):
    """n replicas behind nginx; yields (base URL, {port: process})."""
    from tests.browser import wait_healthy

    ports = ports or [listen + 1 + i for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(listen, ports, prefix), encoding="utf-8")
        procs = {p: start_replica(p, db, prefix) for p in ports}
        nginx = None
        try:
            for p in ports:
                wait_healthy(f"http://127.0.0.1:{p}")
            nginx = subprocess.Popen(
                ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
            )
            base = f"http://127.0.0.1:{listen}"
            wait_healthy(base)
            yield base, procs
        finally:
            if nginx:
                nginx.terminate()
                nginx.wait(timeout=10)
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
                    proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with replicas(args.replicas, args.port, args.db.resolve()) as (base, _):
        print(f"serving {base} with {args.replicas} replicas; Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
