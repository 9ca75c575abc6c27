"""`python -m dashboard access check FILE`: the IT officer's check of an access list before it is
put in place; prints each refused row (line and reason) and exits 0 (all rows grant), 1 (some
rows refused) or 2 (the file cannot be read: it would let nobody in), as dashboard/exits.py
defines them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard import db, exits, i18n
from dashboard.access import grant as grant_list


def cmd_access_check(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.db:
        os.environ["DASHBOARD_DB"] = str(args.db)
    shown = _printable(str(args.file))
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        reason = i18n.text("access.list.missing", lang) + f" ({_printable(exc.strerror or '')})"
        print(
            i18n.text("access.check_unreadable", lang, path=shown, reason=reason), file=sys.stderr
        )
        return exits.INPUT
    known = grant_list.known_regions()
    if known is None:
        print(i18n.text("access.check_no_db", lang, db=_printable(str(db.db_path()))))
    found = grant_list.parse(raw, known, grant_list.match_by())
    if found.unreadable:
        key, values = found.unreadable
        reason = i18n.text(key, lang, **values)
        print(
            i18n.text("access.check_unreadable", lang, path=shown, reason=reason), file=sys.stderr
        )
        return exits.INPUT
    n, m = len(found.grants), len(found.refused)
    if not m:
        print(i18n.text("access.check_ok", lang, path=shown, n=n))
        return exits.OK
    print(i18n.text("access.check_refused", lang, path=shown, n=n, m=m))
    for refusal in found.refused:
        print("  " + _printable(grant_list.describe(refusal, lang)))
    return exits.REFUSED


def _printable(text: str) -> str:
    # names into a terminal: no escape sequences
    return "".join(c if c.isprintable() else "?" for c in text)


def add_parser(sub) -> None:
    """The `access` verb with its `check` subcommand."""
    p = sub.add_parser("access", help="the access list: check a file before putting it in place")
    verbs = p.add_subparsers(dest="access_verb", required=True)
    c = verbs.add_parser("check", help="print the rows an access list would refuse, and why")
    c.add_argument("file", type=Path)
    c.add_argument(
        "--db", type=Path, default=None, help="region codes from (default: $DASHBOARD_DB)"
    )
    c.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    c.set_defaults(func=cmd_access_check)
