"""The data office in the browser (DESIGN.md §14): who may import, and the importer run for them.

The page never writes the database: it saves the uploaded files in a private folder and hands
them to `python -m dashboard import` in a subprocess, which takes the same lock as `build` and
`import` on the command line and applies the same limits. `run` starts it and reads its
progress; `marked` makes the findings workbook; `page` draws the section of the Data page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard import access

OPEN_IMPORT = "DASHBOARD_OPEN_IMPORT"  # with login off, uploads only when this is 1


@dataclass(frozen=True)
class Office:
    """Who imports and where: the provinces they may write (None: the whole country)."""

    email: str
    provinces: tuple[int, ...] | None

    @property
    def national(self) -> bool:
        return self.provinces is None


def may_import() -> Office | None:
    """The session's right to import: an admin of the access list (a province's admin only
    into that province, a city's or county's admin not at all); with login off, anyone, only
    when the server was started with DASHBOARD_OPEN_IMPORT=1."""
    if not access.login_enabled():
        if os.environ.get(OPEN_IMPORT, "") == "1":
            return Office("-", None)
        return None
    grant = access.current()
    if not (grant and grant.is_admin):
        return None
    if access.NATIONAL in grant.regions:
        return Office(grant.email, None)
    provinces = tuple(sorted({r for r in grant.regions if r % 10000 == 0}))
    return Office(grant.email, provinces) if provinces else None
