"""Briefings (汇报材料): a province's or an alliance's report as Word and PDF, made offline from
the same named queries as its page. Stages: gather (data → content), figures (PNG in headless
Chromium), docx and pdf (writers), cli (`python -m dashboard report`), widget (the page button).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from dashboard.report import docx, figures, gather, pdf
from dashboard.report.chromium import Chromium
from dashboard.report.content import Briefing

log = logging.getLogger("dashboard")
FORMATS = ("docx", "pdf")
Progress = Callable[[int, int, str], None]


@dataclass
class Made:
    briefing: Briefing
    files: dict[str, bytes]  # extension -> file bytes
    warnings: list[str] = field(default_factory=list)  # message keys: what is wrong with them


def prepare(con, kind: str, key, lang: str = "zh", **selection) -> Briefing:
    """The briefing's content: kind 'province' (key adcode; selection metric, year),
    'alliance' (key alliance id) or 'county' (key adcode; selection year)."""
    if kind == "province":
        return gather.province(con, int(key), lang, **selection)
    if kind == "alliance":
        return gather.alliance(con, str(key), lang)
    if kind == "county":
        return gather.county(con, int(key), lang, **selection)
    raise ValueError(f"unknown briefing kind {kind!r}")


def make(
    con,
    kind: str,
    key,
    lang: str = "zh",
    formats=FORMATS,
    chromium: Chromium | None = None,
    progress: Progress | None = None,
    regions: tuple[int, ...] | None = None,
    **selection,
) -> Made:
    """Make one briefing in the given formats, from the rows of regions (default: the whole
    country); a batch passes one open Chromium for all."""
    progress = progress or (lambda step, total, label: None)
    token = gather.REGIONS.set(tuple(regions)) if regions is not None else None
    try:
        return _make(con, kind, key, lang, formats, chromium, progress, selection)
    finally:
        if token is not None:
            gather.REGIONS.reset(token)


def _make(con, kind, key, lang, formats, chromium, progress, selection) -> Made:
    formats = [f for f in FORMATS if f in formats]
    total = 2 + len(formats)
    progress(0, total, "briefing.step_gather")
    briefing = prepare(con, kind, key, lang, **selection)
    with nullcontext(chromium) if chromium else Chromium() as browser:
        progress(1, total, "briefing.step_figures")
        pngs = figures.render(briefing, browser)
        files = {}
        for i, fmt in enumerate(formats, start=2):
            progress(i, total, f"briefing.step_{fmt}")
            files[fmt] = (
                docx.write(briefing, pngs) if fmt == "docx" else pdf.write(briefing, pngs, browser)
            )
    warnings = []
    if "pdf" in files and pdf.type3_fonts(files["pdf"]):
        # made, but not as README asks: say so, on the page and on the command line
        warnings.append("briefing.type3_fonts")
        log.warning("briefing %s %s: PDF fonts drawn as Type 3 glyphs", kind, key)
    progress(total, total, "briefing.step_done")
    return Made(briefing, files, warnings)
