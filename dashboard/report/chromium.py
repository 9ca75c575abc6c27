"""The system's headless Chromium, driven by Playwright, with the network shut: it draws the
figures and prints the PDF. Every request other than the page's own inline content is refused
and recorded, and host names resolve to nothing, so a briefing is made without the internet."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM = Path(os.environ.get("DASHBOARD_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium itself calls Google's hosts at start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    # No name resolves: should anything slip past the route guard, it goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
LOCAL_SCHEMES = ("data:", "about:", "blob:")
DEVICE_SCALE = 2  # figure PNGs at twice their CSS size: sharp in print


class ChromiumMissing(RuntimeError):
    """No Chromium at CHROMIUM."""


class Chromium:
    """One browser for a batch of briefings (use as a context manager). `outside` lists every
    request that tried to leave the page; it must stay empty.

    Playwright's sync API runs on a thread of its own here (see run()), so a briefing can be made
    from any thread: a Streamlit script, a test that already drives another browser."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-chromium")
        self.outside: list[str] = []
        self._playwright = self._browser = self._context = None
        self._workdir: tempfile.TemporaryDirectory | None = None
        self._pages: dict[str, object] = {}

    def run(self, work: Callable):
        """work() on the browser's own thread; its result or its exception."""
        return self._thread.submit(work).result()

    def __enter__(self) -> Chromium:
        try:
            self.run(self._start)
        except BaseException:
            self._thread.shutdown()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.run(self._stop)
        finally:
            self._thread.shutdown()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        if not CHROMIUM.exists():
            raise ChromiumMissing(f"{CHROMIUM} not found (apt-get install chromium)")
        self._workdir = tempfile.TemporaryDirectory(prefix="briefing-")
        self.workdir = Path(self._workdir.name)
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=ARGS
            )
            self._context = self._browser.new_context(
                device_scale_factor=DEVICE_SCALE, locale="zh-CN", java_script_enabled=True
            )
            self._context.route("**/*", self._guard)
        except Exception:
            self._stop()
            raise

    def _stop(self) -> None:
        self._pages.clear()
        for closing in (self._context, self._browser):
            if closing is not None:
                closing.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = self._context = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def _guard(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES) or url.startswith(self.workdir.as_uri() + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def page(self):
        """A new page in the guarded context (the caller closes it; call within run())."""
        return self._context.new_page()

    def kept_page(self, name: str, files: dict[str, str | bytes], entry: str):
        """A page kept open for the whole batch, loaded from files written once to the work
        folder (file name -> content) at entry: plotly.js is read once, not per briefing.
        Call within run()."""
        if name not in self._pages:
            for file, content in files.items():
                path = self.workdir / file
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content, encoding="utf-8")
            page = self._context.new_page()
            page.goto((self.workdir / entry).as_uri(), wait_until="load")
            self._pages[name] = page
        return self._pages[name]
