"""Stage 3 of the access list: the rules each row must keep. A row that breaks one is refused
alone, with its line and the reason (a message key under access.refused.*); the others grant."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from dashboard.access import normalise
from dashboard.access.read import Row

NATIONAL = 100000
ROLES = ("viewer", "analyst", "admin")
ADCODE = re.compile(r"^[1-9]\d{5}$")
# an address: something@domain.tld, printable, no spaces (control characters and NUL refused)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Refusal:
    """A refused row: its line, the reason (message key access.refused.<reason>) and the values
    the message names."""

    line: int
    reason: str
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Entry:
    """A row that passed: whom it names (by email or sub) and what it grants."""

    line: int
    key: str
    email: str
    sub: str
    regions: tuple[int, ...]
    role: str


def _printable(value: str) -> bool:
    return value.isprintable()


def row(r: Row, known: set[int] | None, match_by: str) -> Entry | Refusal:
    """One row checked: an Entry, or the Refusal of its first broken rule."""
    email = normalise.email(r.cells.get("email", ""))
    sub = normalise.text(r.cells.get("sub", ""))
    shown = _shown(email)
    if match_by == "sub":
        if not sub:
            return Refusal(r.line, "sub_missing", {"email": shown})
        if not _printable(sub):
            return Refusal(r.line, "sub_invalid", {"sub": _shown(sub)})
    if email or match_by == "email":
        if not email:
            return Refusal(r.line, "email_missing")
        if not _printable(email) or not EMAIL.match(email):
            return Refusal(r.line, "email_invalid", {"email": shown})
    role = normalise.role(r.cells.get("role", ""))
    if role not in ROLES:
        return Refusal(r.line, "role_unknown", {"role": _shown(role), "roles": ", ".join(ROLES)})
    parts = normalise.region_parts(r.cells.get("regions", ""))
    if not parts:
        return Refusal(r.line, "regions_missing")
    malformed = [p for p in parts if not ADCODE.match(p)]
    if malformed:
        return Refusal(r.line, "region_malformed", {"codes": " ".join(map(_shown, malformed))})
    codes = sorted({int(p) for p in parts})
    if known is not None:
        unknown = [c for c in codes if c != NATIONAL and c not in known]
        if unknown:
            return Refusal(r.line, "region_unknown", {"codes": " ".join(map(str, unknown))})
    key = sub if match_by == "sub" else email
    return Entry(r.line, key, email or sub, sub, tuple(codes), role)


def rows(
    read: list[Row], known: set[int] | None, match_by: str = "email"
) -> tuple[list[Entry], list[Refusal]]:
    """Every row checked; a person (email, or sub) on two rows is refused on both, named."""
    entries, refused = [], []
    for r in read:
        (entries if isinstance(checked := row(r, known, match_by), Entry) else refused).append(
            checked
        )
    lines = defaultdict(list)
    for entry in entries:
        lines[entry.key].append(entry.line)
    twice = {key for key, found in lines.items() if len(found) > 1}
    for entry in entries:
        if entry.key in twice:
            others = ", ".join(str(n) for n in lines[entry.key] if n != entry.line)
            refused.append(
                Refusal(entry.line, "twice", {"who": _shown(entry.key), "lines": others})
            )
    kept = [e for e in entries if e.key not in twice]
    return kept, sorted(refused, key=lambda x: x.line)


def _shown(value: str) -> str:
    """A value as a message may show it: control characters as visible escapes (\\x00)."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in value)[:80]
