"""The one translation catalogue: dashboard/messages/*.csv (key, zh, en); Chinese first.

One file per area of the product (core.csv, then others in name order); a key lives in one file."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).with_name("messages")
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """key -> {"zh": …, "en": …}; a duplicate key is an error."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.csv"), key=lambda p: (p.stem != "core", p.name)):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                key = row["key"].strip()
                if not key or key.startswith("#"):
                    continue
                if key in out:
                    raise ValueError(f"duplicate message key {key!r} in {path.name}")
                out[key] = {"zh": row["zh"], "en": row["en"]}
    return out


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The message for key in lang, formatted with values; KeyError if the key is unknown."""
    message = catalogue()[key][lang if lang in LANGS else DEFAULT_LANG]
    return message.format(**values) if values else message


def code_label(group: str, code: object, lang: str = DEFAULT_LANG) -> str:
    """Label of a data code (form, scope, role, …), e.g. code_label('form', 'specialist') → 专科联盟."""
    key = f"{group}.{code}"
    return text(key, lang) if key in catalogue() else str(code)
