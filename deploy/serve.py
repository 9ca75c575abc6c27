"""`streamlit run app.py` as a deployment runs it: the same app, options and config, with
Streamlit's address lookups answered locally.

    python deploy/serve.py --server.port 8501 [--server.address 127.0.0.1] [other streamlit options]

Streamlit asks the internet for this machine's address in two places: the start banner with a
wildcard address (stopped by the explicit `server.address` in .streamlit/config.toml) and the
websocket origin check when a page from another site opens the app's websocket, which calls
checkip.amazonaws.com (blocking the server's event loop for up to 2 s each time on an intranet
with no route out). Here both answers are set to loopback before the server starts, so neither
path leaves the machine; a same-origin browser is unaffected (its origin equals its host).
deploy/replicas.py and the systemd units start the app this way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def no_address_lookups() -> None:
    """Pre-answer Streamlit's internal and external IP lookups with loopback (streamlit 1.67:
    net_util caches both in module globals and returns the cached value when it is set)."""
    from streamlit import net_util

    net_util._internal_ip = "127.0.0.1"
    net_util._external_ip = "127.0.0.1"


def main() -> None:
    no_address_lookups()
    # Downloads answer only the login that made them, while it holds its grant (access/files.py).
    sys.path.insert(0, str(ROOT))
    from dashboard.access import files

    files.install()
    # One DuckDB thread per query in a replica: the replicas fill the cores (dashboard/db.py).
    os.environ.setdefault("DASHBOARD_QUERY_THREADS", "1")
    # Open pages move to a newly published file over 30 s, not all at the next click
    # (dashboard/data.py: current_stamp); a page opened after the publish reads it at once.
    os.environ.setdefault("DASHBOARD_SWITCH_SPREAD_S", "30")
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
