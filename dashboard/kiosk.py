"""Kiosk settings: kiosk.toml defaults, overridden by URL parameters, invalid values logged."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard import db, i18n

log = logging.getLogger("dashboard.kiosk")
SLIDES = ("overview", "province", "areas", "links", "attainment", "latest")
MIN_INTERVAL_S, MAX_INTERVAL_S = 2, 300
MAX_SCALE = 3
DEFAULTS = {
    "slides": list(SLIDES),
    "interval_s": 20,
    "province": 330000,
    "metric": "county_visit_rate",
    "lang": i18n.DEFAULT_LANG,
    "scale": 1,
    "timezone": "Asia/Shanghai",  # the clock on the screen: 北京时间, whatever the server's zone
}
BEIJING = "Asia/Shanghai"


@dataclass(frozen=True)
class Settings:
    """What the kiosk shows: playlist, seconds per slide, province, metric, language, and how
    much to enlarge the charts (2 for a 4K screen whose browser runs at scale factor 1)."""

    slides: tuple[str, ...]
    interval_s: int
    province: int
    metric: str
    lang: str
    scale: int = 1
    provinces: tuple[int, ...] = ()  # the province screens in turn; () means just province
    timezone: str = BEIJING  # an IANA zone for the clock (kiosk.toml: timezone = "Asia/Urumqi")

    def screens(self) -> list[tuple[str, int]]:
        """The playlist as shown: one province screen per listed province, in turn."""
        provinces = self.provinces or (self.province,)
        return [
            (slide, code)
            for slide in self.slides
            for code in (provinces if slide == "province" else (self.province,))
        ]

    def screen_at(self, now_s: float | None = None, started_s: float = 0.0) -> tuple[str, int]:
        """The screen (slide, province) at a moment of a show that started at started_s: the
        first of the playlist (the national screen) at the start, then each in turn."""
        now_s = time.time() if now_s is None else now_s
        screens = self.screens()
        return screens[int(max(0.0, now_s - started_s) // self.interval_s) % len(screens)]

    def slide_at(self, now_s: float | None = None, started_s: float = 0.0) -> str:
        """The slide on screen at a moment."""
        return self.screen_at(now_s, started_s)[0]

    def now(self) -> dt.datetime:
        """The time in the screen's zone (北京时间 by default), not the server's."""
        return dt.datetime.now(zone(self.timezone))


def zone(name: str) -> dt.tzinfo:
    """The IANA zone; Beijing's fixed UTC+8 if the system knows no zones (a bare Windows)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.timezone(dt.timedelta(hours=8), "CST")


def config_path() -> Path:
    """kiosk.toml beside app.py, or $KIOSK_CONFIG."""
    return Path(os.environ.get("KIOSK_CONFIG") or db.ROOT / "kiosk.toml")


def _file_values() -> dict:
    path = config_path()
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("kiosk config %s ignored: %s", path, exc)
        return {}


def settings(
    params: Mapping[str, str], provinces: set[int] | None, metrics: set[str] | None
) -> Settings:
    """Settings from the config file and URL; a bad value falls back and is logged, not shown.
    provinces and metrics are the valid codes; None (no database yet) takes any well-formed one.
    province may list several, e.g. "330000,620000": the province screens take turns."""
    raw = DEFAULTS | {k: v for k, v in _file_values().items() if k in DEFAULTS}
    url = {
        "slides": params.get("slides"),
        "interval_s": params.get("interval"),
        "province": params.get("province"),
        "metric": params.get("metric"),
        "lang": params.get("lang"),
        "scale": params.get("scale"),
        "timezone": params.get("tz"),
    }
    raw |= {k: v for k, v in url.items() if v is not None}

    def fallback(key: str):
        log.warning("kiosk: invalid %s %r, using %r", key, raw[key], DEFAULTS[key])
        return DEFAULTS[key]

    slides = raw["slides"].split(",") if isinstance(raw["slides"], str) else raw["slides"]
    slides = [s.strip() for s in slides if str(s).strip()]
    if not slides or any(s not in SLIDES for s in slides):
        slides = fallback("slides")
    try:
        interval = int(raw["interval_s"])
        if not MIN_INTERVAL_S <= interval <= MAX_INTERVAL_S:
            raise ValueError
    except (TypeError, ValueError):
        interval = fallback("interval_s")
    listed = raw["province"]
    listed = str(listed).split(",") if not isinstance(listed, list) else listed
    try:
        codes = tuple(dict.fromkeys(int(str(code).strip()) for code in listed))
        if not codes or (provinces is not None and any(c not in provinces for c in codes)):
            raise ValueError
    except (TypeError, ValueError):
        codes = (fallback("province"),)
    province = codes[0]
    ok = metrics is None or raw["metric"] in metrics
    metric = raw["metric"] if ok and isinstance(raw["metric"], str) else fallback("metric")
    lang = raw["lang"] if raw["lang"] in i18n.LANGS else fallback("lang")
    try:
        scale = int(raw["scale"])
        if not 1 <= scale <= MAX_SCALE:
            raise ValueError
    except (TypeError, ValueError):
        scale = fallback("scale")
    tz = raw["timezone"]
    try:
        zoneinfo.ZoneInfo(str(tz))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = fallback("timezone")
    return Settings(tuple(slides), interval, province, metric, lang, scale, codes, str(tz))
