"""Stage 2 of the access list: what people write in Excel made into what the checks expect.

Full-width characters (３３０８０２, ＠) become their ASCII forms, Excel's `330802.0` becomes
330802, Chinese headers and roles are understood. Nothing is refused here: what cannot be read as
a value stays as written, and the checks (check.py) name it."""

from __future__ import annotations

import re
import unicodedata

HEADERS = {
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件地址"),
    "regions": (
        "regions",
        "region",
        "adcode",
        "地区",
        "区域",
        "授权区域",
        "行政区划代码",
        "区划代码",
    ),
    "role": ("role", "角色", "权限"),
    "sub": ("sub", "subject", "用户标识", "账号标识"),
}
ROLE_NAMES = {
    "viewer": "viewer",
    "查看": "viewer",
    "查看者": "viewer",
    "analyst": "analyst",
    "分析": "analyst",
    "分析员": "analyst",
    "admin": "admin",
    "管理": "admin",
    "管理员": "admin",
}
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")  # zero-width characters Excel keeps
SPLIT = re.compile(r"[\s,;、]+")
EXCEL_FLOAT = re.compile(r"^(\d+)\.0*$")  # 330802.0: a code typed into a number cell


def text(cell: str) -> str:
    """A cell in plain form: full-width to ASCII (NFKC), no zero-width characters, no spaces
    around it."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", cell or "")).strip()


def header_name(cell: str) -> str | None:
    """The column a header names (email, regions, role, sub), None for another column."""
    name = text(cell).lower()
    for column, names in HEADERS.items():
        if name in names:
            return column
    return None


def email(cell: str) -> str:
    """An email in lower case; control characters are kept, for the check to refuse."""
    return text(cell).lower()


def role(cell: str) -> str:
    """viewer, analyst or admin from the English or Chinese word; else the text as written."""
    value = text(cell).lower()
    return ROLE_NAMES.get(value, value)


def region_parts(cell: str) -> list[str]:
    """The codes of a regions cell, each as digits where it can be read so (330802.0 -> 330802)."""
    parts = []
    for part in SPLIT.split(text(cell)):
        if part:
            found = EXCEL_FLOAT.match(part)
            parts.append(found.group(1) if found else part)
    return parts
