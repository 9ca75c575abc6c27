"""`python -m dashboard report --province ADCODE | --alliance ID | --county ADCODE | --all-provinces
[--lang zh|en] [--format docx,pdf] --out DIR`: briefings as files, for a monthly job.

Exit codes (dashboard/exits.py): 0 written, 2 no database or an unknown province or alliance,
4 the folder cannot be written (read-only, full disk), 5 --out is an existing file, 6 no
Chromium. Each file is written whole or not at all; a failure is a message, never a traceback."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from dashboard import atomic, db, exits, i18n
from dashboard.report import FORMATS, gather, make
from dashboard.report.chromium import Chromium, ChromiumMissing


def _formats(text: str) -> list[str]:
    wanted = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}, not {text!r}")
    return wanted


def add_parser(sub, progress: Callable[[int, int, str], None]) -> None:
    """The `report` verb on the dashboard's command line (progress: a text progress bar)."""
    p = sub.add_parser("report", help="write province or alliance briefings (Word, PDF)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--province", type=int, metavar="ADCODE", help="e.g. 330000")
    which.add_argument("--alliance", metavar="ID", help="e.g. R-A05")
    which.add_argument("--county", type=int, metavar="ADCODE", help="e.g. 330881: one county")
    which.add_argument(
        "--all-provinces",
        action="store_true",
        help="one briefing per province with county figures (31)",
    )
    p.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT_LANG)
    p.add_argument("--format", type=_formats, default=list(FORMATS), help="docx,pdf (default both)")
    p.add_argument("--metric", default=gather.DEFAULT_METRIC, help="county metric of the map")
    p.add_argument("--year", type=int, default=None, help="default: the newest year with data")
    p.add_argument("--out", type=Path, required=True, help="folder for the files")
    p.add_argument("--db", type=Path, default=None, help="database file (default: $DASHBOARD_DB)")
    p.set_defaults(func=lambda args: run(args, progress))


def run(args: argparse.Namespace, progress: Callable[[int, int, str], None]) -> int:
    start = time.perf_counter()
    try:
        con = db.connect(args.db)
    except db.DatabaseUnavailable as exc:
        return exits.db_missing(args.db or db.db_path(), exc, args.lang)
    try:
        atomic.folder(args.out)
        atomic.probe(args.out)  # a read-only folder is said now, not after minutes of work
        atomic.remove_stale(args.out)
    except OSError as exc:
        con.close()
        return exits.write_failed(exc, args.lang, args.out)
    if args.all_provinces:
        jobs = [("province", code) for code in gather.provinces_with_data(con, args.metric)]
    elif args.province is not None:
        jobs = [("province", args.province)]
    elif args.county is not None:
        jobs = [("county", args.county)]
    else:
        jobs = [("alliance", args.alliance)]
    selection = {"metric": args.metric, "year": args.year}
    steps = 2 + len(args.format)
    total = len(jobs) * steps
    written: list[Path] = []
    try:
        with Chromium() as chromium:
            for i, (kind, key) in enumerate(jobs):

                def step(n: int, _total: int, label: str, i=i, key=key) -> None:
                    done = min(i * steps + n, total)
                    progress(done, total, f"{key} {i18n.text(label, args.lang)}"[:20])

                made = make(
                    con,
                    kind,
                    key,
                    args.lang,
                    args.format,
                    chromium=chromium,
                    progress=step,
                    **(
                        selection
                        if kind == "province"
                        else {"year": args.year}
                        if kind == "county"
                        else {}
                    ),
                )
                for ext, data in made.files.items():
                    path = args.out / made.briefing.file_name(ext)
                    written.append(atomic.write_bytes(path, data))
                for warning in made.warnings:  # made, but not as it should be: say so
                    print(f"\n{key}: {i18n.text(warning, args.lang)}", file=sys.stderr)
            if chromium.outside:  # the guard refused them; say so, loudly
                print(f"refused requests: {chromium.outside}", file=sys.stderr)
    except gather.NotFound as exc:
        print(f"\n{exc}", file=sys.stderr)
        return exits.INPUT
    except ChromiumMissing as exc:
        print(f"\n{exc}", file=sys.stderr)
        return exits.TOOL
    except OSError as exc:
        print(file=sys.stderr)  # after the progress bar's line
        code = exits.write_failed(exc, args.lang, args.out)
        if written:
            files = ", ".join(str(p) for p in written)
            print(
                exits.say("cli.written_before", args.lang, n=len(written), files=files),
                file=sys.stderr,
            )
        return code
    finally:
        con.close()
    print(i18n.text("briefing.cli_done", args.lang, n=len(written), dir=args.out))
    print(f"{time.perf_counter() - start:.1f} s")
    return 0
