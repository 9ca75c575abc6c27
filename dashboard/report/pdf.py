"""Stage 3b: the briefing as an A4 PDF: the same content as HTML (every data text escaped,
figures as inline PNG), printed by headless Chromium with the CJK fonts embedded, the simulated
mark in the header of every page when any simulated row is shown, page numbers in the footer."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from dashboard.report.chromium import Chromium
from dashboard.report.content import (
    Briefing,
    Figure,
    Table,
    Text,
    caption_label,
    column_kinds,
    numbered,
)

# 宋体-like body and 黑体-like headings. TrueType fonts first (fonts-arphic-uming,
# fonts-wqy-zenhei): Chromium embeds those as CID TrueType subsets, while it can only draw the
# CFF-outline Noto CJK fonts as Type 3 glyph procedures (kept as the fallback).
# Latin letters and digits from DejaVu (UMing's own are typewriter-like).
SERIF = "'DejaVu Serif', 'AR PL UMing CN', 'Noto Serif CJK SC', 'SimSun', serif"
SANS = "'DejaVu Sans', 'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'SimHei', sans-serif"
CSS = f"""
@page {{ size: A4; margin: 22mm 22mm 20mm 22mm; }}
html {{ font-family: {SERIF}; font-size: 11.5pt; line-height: 1.6; color: #111; }}
body {{ margin: 0; }}
h1.title {{ font-family: {SANS}; font-size: 20pt; font-weight: 700; text-align: center;
           margin: 0 0 6mm 0; line-height: 1.35; }}
p.fact {{ text-align: center; margin: 0; }}
p.fact b {{ font-family: {SANS}; font-weight: 500; }}
p.mark {{ text-align: center; color: #c0392b; font-family: {SANS}; margin: 3mm 0 0 0; }}
h2 {{ font-family: {SANS}; font-size: 15pt; font-weight: 700; margin: 5mm 0 2.5mm 0;
     break-after: avoid; }}
p.text {{ margin: 0 0 2.5mm 0; text-align: justify; }}
p.text.zh {{ text-indent: 2em; }}
p.text:has(+ figure), p.text:has(+ div.table) {{ break-after: avoid; }}
figure {{ margin: 3mm 0 4mm 0; break-inside: avoid; text-align: center; }}
figure img {{ max-width: 100%; }}
.caption {{ font-family: {SANS}; font-size: 10.5pt; text-align: center; margin: 1.5mm 0; }}
.caption .sim {{ color: #c0392b; }}
.note {{ font-size: 9.5pt; color: #333; margin: 0 0 3mm 0; text-align: left; }}
div.table {{ margin: 2mm 0 5mm 0; }}
div.table .caption {{ break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10pt; line-height: 1.35; }}
table.wide {{ font-size: 9pt; }}
th, td {{ border: 0.6pt solid #555; padding: 1.2mm 1.6mm; vertical-align: top;
          overflow-wrap: anywhere; }}
td.num {{ text-align: right; white-space: nowrap; }}
td.short {{ white-space: nowrap; }}
th {{ font-family: {SANS}; font-weight: 500; background: #e8edf2; text-align: center; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
"""
HEADER = """<div style="width:100%;font-family:{font};font-size:8.5pt;color:#c0392b;
padding:0 22mm;text-align:right;font-weight:700">{text}</div>"""
FOOTER = """<div style="width:100%;font-family:{font};font-size:8.5pt;color:#333;
text-align:center">{text}</div>"""


def _img(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _caption(kind: str, n: int, text: str, simulated: bool, briefing: Briefing) -> str:
    mark = (
        f" <span class='sim'>{escape(briefing.t('briefing.block_mark'))}</span>"
        if simulated
        else ""
    )
    label = caption_label(kind, n, briefing.lang)
    return f"<div class='caption'>{escape(label)}&emsp;{escape(text)}{mark}</div>"


def _table(block: Table) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in block.frame.columns)
    kinds = column_kinds(block.frame)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td class='{kind}'>{escape('' if v is None else str(v))}</td>"
            for v, kind in zip(row, kinds, strict=True)
        )
        + "</tr>"
        for row in block.frame.itertuples(index=False)
    )
    wide = " class='wide'" if len(block.frame.columns) > 5 else ""
    return f"<table{wide}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def html(briefing: Briefing, pngs: dict[str, bytes]) -> str:
    """The briefing as one self-contained HTML page (no external reference of any kind)."""
    lang = briefing.lang
    colon = "：" if lang == "zh" else ": "
    parts = [f"<h1 class='title'>{escape(briefing.title)}</h1>"]
    for label, value in briefing.facts:
        parts.append(f"<p class='fact'><b>{escape(label)}{colon}</b>{escape(value)}</p>")
    if briefing.simulated:
        parts.append(
            f"<p class='mark'>{escape(briefing.t('briefing.block_mark'))}{' ' * (lang == 'en')}"
            f"{escape(briefing.t('briefing.mark_note'))}</p>"
        )
    for heading, blocks in numbered(briefing):
        parts.append(f"<h2>{escape(heading)}</h2>")
        for n, block in blocks:
            if isinstance(block, Text):
                parts.append(f"<p class='text {lang}'>{escape(block.text)}</p>")
            elif isinstance(block, Figure):
                width = min(100, round(100 * block.width_px / 760))
                note = f"<p class='note'>{escape(block.note)}</p>" if block.note else ""
                parts.append(  # the note inside the figure: they stay on one page
                    f"<figure><img style='width:{width}%' src='{_img(pngs[block.name])}' alt=''>"
                    + _caption("figure", n, block.caption, block.simulated, briefing)
                    + note
                    + "</figure>"
                )
            elif isinstance(block, Table):
                parts.append(
                    "<div class='table'>"
                    + _caption("table", n, block.caption, block.simulated, briefing)
                    + _table(block)
                    + (f"<p class='note'>{escape(block.note)}</p>" if block.note else "")
                    + "</div>"
                )
    return (
        f"<!doctype html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        f"<meta charset='utf-8'><title>{escape(briefing.title)}</title>"
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def write(briefing: Briefing, pngs: dict[str, bytes], chromium: Chromium) -> bytes:
    """The PDF file's bytes."""
    mark = (
        f"{briefing.t('briefing.mark')} · {briefing.t('briefing.mark_note')}"
        if briefing.simulated
        else ""
    )
    page_text = (
        escape(briefing.t("briefing.page", page="\0", pages="\1"))
        .replace("\0", "<span class='pageNumber'></span>")
        .replace("\1", "<span class='totalPages'></span>")
    )
    document = html(briefing, pngs)

    def printed() -> bytes:
        page = chromium.page()
        try:
            page.set_content(document, wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                prefer_css_page_size=True,
                display_header_footer=True,
                header_template=HEADER.format(font=SANS.replace("'", ""), text=escape(mark)),
                footer_template=FOOTER.format(font=SANS.replace("'", ""), text=page_text),
                tagged=True,
            )
        finally:
            page.close()

    return chromium.run(printed)


# pdffonts' table: name, then the type ("Type 3", "CID TrueType", …), encoding, emb, sub, uni…
_TYPE3_LINE = re.compile(r"^(?P<name>\S+)\s+Type 3\s", re.MULTILINE)


def type3_fonts(pdf: bytes) -> list[str]:
    """The fonts of a PDF that are drawn as Type 3 glyph procedures: what Chromium falls back
    to when the TrueType CJK fonts (fonts-arphic-uming, fonts-wqy-zenhei) are not installed.
    Such a PDF prints, but its text cannot be searched or copied reliably and looks rough on
    some viewers. Read with poppler's pdffonts; without it, from the font dictionaries."""
    if shutil.which("pdffonts"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "briefing.pdf"
            path.write_bytes(pdf)
            out = subprocess.run(
                ["pdffonts", str(path)], capture_output=True, text=True, timeout=60
            ).stdout
        return [m.group("name") for m in _TYPE3_LINE.finditer(out)]
    # Chromium writes font dictionaries uncompressed: /Subtype /Type3
    return ["Type3"] * len(re.findall(rb"/Subtype\s*/Type3\b", pdf))
