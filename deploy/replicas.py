"""Run several Streamlit processes behind nginx (Debian's package) on this machine.

    python deploy/replicas.py --replicas 2 --port 8080 [--db data/dashboard.duckdb]
                              [--tls-cert cert.pem --tls-key key.pem] [--listen 127.0.0.1]
    python deploy/replicas.py --print-config --port 443 --tls-cert ... --tls-key ...

Starts the replicas (deploy/serve.py) on the loopback ports after --port, writes an nginx config
from deploy/nginx.conf.template into a temporary folder and runs nginx in the foreground. Ctrl-C,
SIGTERM or SIGHUP stops nginx and every replica; if this launcher is killed outright, its
children get SIGTERM from the kernel (parent-death signal), so nothing is left running. Every
replica opens the same database file read-only. For production, see deploy/README.md (systemd
units, one nginx in front of several hosts).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
SERVE = Path(__file__).with_name("serve.py")
_PR_SET_PDEATHSIG = 1


def nginx_config(
    listen: int | str,
    ports: list[int] | list[str],
    prefix: Path,
    tls: tuple[Path, Path] | None = None,
    compress: bool = True,
) -> str:
    """The nginx config for replicas (loopback ports or host:port strings), listening on
    loopback:listen (or an address:port string), with TLS if tls = (certificate, key);
    compress=False turns gzip off (to measure what it saves)."""
    upstreams = [f"127.0.0.1:{p}" if isinstance(p, int) else p for p in ports]
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    routes, served_by, pinned = [], [], []
    for i, upstream in enumerate(upstreams):
        routes.append(f"        r{i} dashboard_r{i};")
        for address in _addresses(upstream):  # as nginx reports it in $upstream_addr
            served_by.append(f'        "~(^|, ){re.escape(address)}$" r{i};')
        others = [f"        server {u} backup;" for u in upstreams if u != upstream]
        pinned.append(
            "\n".join([f"    upstream dashboard_r{i} {{", f"        server {upstream};", *others])
            + "\n    }"
        )
    address = f"127.0.0.1:{listen}" if isinstance(listen, int) else listen
    tls_lines = ""
    if tls:
        cert, key = tls
        tls_lines = "\n".join(
            [
                f"        ssl_certificate {cert};",
                f"        ssl_certificate_key {key};",
                "        ssl_protocols TLSv1.2 TLSv1.3;",
                "        ssl_session_cache shared:tls:10m;",
            ]
        )
    listen_line = f"        listen {address}{' ssl' if tls else ''};"
    config = TEMPLATE.read_text(encoding="utf-8").format(
        listen=listen_line,
        tls=tls_lines,
        servers=servers,
        routes="\n".join(routes),
        served_by="\n".join(served_by),
        pinned="\n".join(pinned),
        prefix=prefix,
    )
    return config if compress else config.replace("gzip on;", "gzip off;")


def _addresses(upstream: str) -> list[str]:
    """host:port as nginx writes it in $upstream_addr: a host name becomes its IPv4 addresses
    (nginx resolves it once, when it loads the config)."""
    host, _, port = upstream.rpartition(":")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return [upstream]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, int(port), socket.AF_INET, socket.SOCK_STREAM)
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot resolve the replica host {upstream!r}: {exc}") from exc
        return sorted({f"{info[4][0]}:{port}" for info in infos})


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the launcher dies, however it dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start_replica(
    port: int, db: Path, log_dir: Path, address: str = "127.0.0.1", extra: list[str] = ()
):
    """One replica (`streamlit run app.py` via deploy/serve.py) on a port; extra: more
    Streamlit options."""
    log = open(log_dir / f"replica-{port}.log", "w")  # noqa: SIM115 (lives with the process)
    return subprocess.Popen(
        [
            sys.executable,
            str(SERVE),
            "--server.port",
            str(port),
            "--server.address",
            address,
            *extra,
        ],
        cwd=ROOT,
        env=os.environ | {"DASHBOARD_DB": str(db)},
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,  # noqa: PLW1509
    )


def stop(procs: list[subprocess.Popen], timeout_s: float = 10) -> None:
    """SIGTERM to all at once, then wait; SIGKILL whatever is still there after timeout_s."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def wait_healthy(base: str, timeout_s: float = 60) -> None:
    """Block until the server at base answers Streamlit's health check."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit at {base} did not become healthy")


def _wait_listening(port: int, timeout_s: float = 30) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nginx did not listen on {port}")


@contextlib.contextmanager
def replicas(
    n: int,
    listen: int | None,
    db: Path,
    ports: list[int] | None = None,
    tls: tuple[Path, Path] | None = None,
    bind: str = "127.0.0.1",
    upstreams: list[str] | None = None,
    compress: bool = True,
):
    """n replicas on bind (loopback by default) behind nginx on loopback:listen; yields
    (base URL, {port: process}). listen None: replicas only (for nginx on another host);
    upstreams: more replicas elsewhere (host:port) that nginx also sends browsers to."""
    ports = ports or [(listen or 8500) + 1 + i for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp)
        procs: dict[int, subprocess.Popen] = {}
        nginx = None
        try:
            for p in ports[:n]:
                procs[p] = start_replica(p, db, prefix, bind)
            for p in procs:
                wait_healthy(f"http://{bind}:{p}")
            if listen is None:
                yield f"http://{bind}:{ports[0]}", procs
                return
            targets = [f"{bind}:{p}" for p in procs] + list(upstreams or [])
            conf = prefix / "nginx.conf"
            conf.write_text(nginx_config(listen, targets, prefix, tls, compress), encoding="utf-8")
            nginx = subprocess.Popen(
                ["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
                preexec_fn=_die_with_parent,  # noqa: PLW1509
            )
            base = f"{'https' if tls else 'http'}://127.0.0.1:{listen}"
            if tls:
                _wait_listening(listen)
            else:
                wait_healthy(base)
            yield base, procs
        finally:
            stop([p for p in [nginx] if p] + list(procs.values()))


class _Stop(Exception):
    """A stop signal arrived."""


def _raise_stop(signum, frame):
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)  # one stop at a time: the cleanup runs to its end
    raise _Stop(signal.Signals(signum).name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "dashboard.duckdb")
    parser.add_argument("--tls-cert", type=Path)
    parser.add_argument("--tls-key", type=Path)
    parser.add_argument("--bind", default="127.0.0.1", help="address the replicas listen on")
    parser.add_argument(
        "--no-nginx", action="store_true", help="replicas only (nginx runs on another host)"
    )
    parser.add_argument(
        "--upstream", action="append", default=[], help="a replica on another host (host:port)"
    )
    parser.add_argument("--print-config", action="store_true", help="print the nginx config")
    args = parser.parse_args()
    tls = (args.tls_cert.resolve(), args.tls_key.resolve()) if args.tls_cert else None
    try:  # nginx resolves the other hosts when it starts: say so now, before starting anything
        for upstream in args.upstream:
            _addresses(upstream)
    except ValueError as exc:
        print(f"replicas.py: {exc}", file=sys.stderr)
        return 2
    if args.print_config:
        ports = [f"{args.bind}:{args.port + 1 + i}" for i in range(args.replicas)]
        ports += args.upstream
        print(nginx_config(args.port, ports, Path("/var/lib/nginx/dashboard"), tls))
        return 0
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, _raise_stop)
    try:
        with replicas(
            args.replicas,
            None if args.no_nginx else args.port,
            args.db.resolve(),
            ports=[args.port + 1 + i for i in range(args.replicas)],
            tls=tls,
            bind=args.bind,
            upstreams=args.upstream,
        ) as (base, _):
            print(f"serving {base} with {args.replicas} replicas; Ctrl-C to stop", flush=True)
            while True:
                signal.pause()
    except _Stop as stopped:
        print(f"{stopped}: replicas and nginx stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
