"""The check as the user reads it in a terminal, in Chinese and English."""

from __future__ import annotations

import copy
import dataclasses

from dashboard import i18n, safe
from dashboard.importer.findings import Checked

# ---------------------------------------------------------------- report


def _shown(value: str, lang: str) -> str:
    if value == "":
        return i18n.text("import.report.empty", lang)
    value = value if len(value) <= 60 else value[:57] + "…"
    return f"“{safe.for_terminal(value)}”"


def report(checked: Checked) -> str:
    """The check as the user reads it: files, then every problem in Chinese and English."""
    both = {
        lang: (lambda key, lang=lang, **v: i18n.text(f"import.report.{key}", lang, **v))
        for lang in i18n.LANGS
    }
    zh, en = both["zh"], both["en"]
    lines = [f"{zh('title')} / {en('title')}", ""]
    esc = safe.for_terminal  # names and values from the files: no escape sequence goes out raw
    for f in checked.files:
        f = copy.copy(f)
        f.name = esc(f.name)
        if f.table:
            table = i18n.text(f"data.table.{f.table}", "zh")
            lines.append("  " + zh("file_ok", file=f.name, table=f"{table} {f.table}", rows=f.rows))
        else:
            lines.append("  " + f"{zh('file_bad', file=f.name)} / {en('file_bad', file=f.name)}")
    lines += [
        "",
        f"{zh('summary', errors=checked.errors, warnings=checked.warnings)} / "
        f"{en('summary', errors=checked.errors, warnings=checked.warnings)}",
        "",
    ]
    for p in checked.problems:
        p = dataclasses.replace(
            p,
            file=esc(p.file),
            column=esc(p.column),
            rule_zh=esc(p.rule_zh),
            rule_en=esc(p.rule_en),
        )
        where = [f"[{zh(p.severity)} {en(p.severity)}] {p.file}"]
        if p.row is not None:
            where.append(f"{zh('row', row=p.row)} {en('row', row=p.row)}")
        elif p.rule != "more":  # "n more" follows the rows it continues
            where.append(f"{zh('whole_file')} {en('whole_file')}")
        if p.column:
            where.append(f"{zh('column')} {en('column')} {p.column}")
        if p.value or p.row is not None:
            where.append(f"{zh('value')} {en('value')} {_shown(p.value, 'zh')}")
        lines += [" · ".join(where), f"    {p.rule_zh}", f"    {p.rule_en}"]
    if checked.problems:
        lines.append("")
    if checked.ok:
        lines.append(f"{zh('passed')} / {en('passed')}")
    else:
        lines.append(f"{zh('refused')}\n{en('refused')}")
    return "\n".join(lines)


# ---------------------------------------------------------------- what changes


def _both(key: str, **values) -> str:
    return f"{i18n.text(key, 'zh', **values)} / {i18n.text(key, 'en', **values)}"


def _place(province, names: dict[int, str]) -> str:
    if province is None or province != province:  # None or NaN
        return _both("import.changes.national")
    return f"{names.get(int(province), '')} {int(province)}".strip()


def changes_text(changes, names: dict[int, str], done: bool = False) -> str:
    """Rows added, changed, deleted and simulated rows removed, per table and province, and a
    few changed rows before → after (names: province adcode -> name)."""
    lines = [_both("import.changes.title_done" if done else "import.changes.title")]
    frame = changes.by_table()
    frame = frame[frame[["added", "changed", "deleted", "demo_removed"]].sum(axis=1) > 0]
    if frame.empty:
        lines.append("  " + _both("import.changes.none"))
    else:
        heads = ["table", "province", "added", "changed", "deleted", "demo_removed"]
        header = [
            f"{i18n.text(f'import.changes.{h}', 'zh')} {i18n.text(f'import.changes.{h}', 'en')}"
            for h in heads
        ]
        body = [
            [
                f"{i18n.text(f'data.table.{r.table}', 'zh')} {r.table}",
                _place(r.province, names),
                f"{int(r.added):,}",
                f"{int(r.changed):,}",
                f"{int(r.deleted):,}",
                f"{int(r.demo_removed):,}",
            ]
            for r in frame.itertuples()
        ]
        lines += _aligned([header, *body])
    unchanged = sum(changes.unchanged.values())
    if unchanged:
        lines.append("  " + _both("import.changes.unchanged", n=f"{unchanged:,}"))
    examples = [(t, e) for t, items in changes.examples.items() for e in items]
    if examples:
        lines.append("  " + _both("import.changes.examples"))
        for table, e in examples:
            key = " · ".join(safe.for_terminal(v) for v in e["key"].values())
            diff = "; ".join(
                f"{c} {safe.for_terminal(b)} → {safe.for_terminal(a)}"
                for c, (b, a) in e["diff"].items()
            )
            lines.append(f"    {table} {key}: {diff}")
    return "\n".join(lines)


def deletions_text(changes, names: dict[int, str]) -> str:
    """What --replace deletes, per table, province and period, and the total."""
    lines = [_both("import.replace.title")]
    frame = changes.deleted()
    heads = ["table", "province", "period", "deleted"]
    header = [
        f"{i18n.text(f'import.changes.{h}', 'zh')} {i18n.text(f'import.changes.{h}', 'en')}"
        for h in heads
    ]
    body = [
        [
            f"{i18n.text(f'data.table.{r.table}', 'zh')} {r.table}",
            _place(r.province, names),
            str(int(r.period)) if r.period == r.period and r.period is not None else "—",
            f"{int(r.deleted):,}",
        ]
        for r in frame.itertuples()
    ]
    lines += _aligned([header, *body])
    lines.append(_both("import.replace.total", n=f"{changes.total('deleted'):,}"))
    return "\n".join(lines)


def _aligned(rows: list[list[str]]) -> list[str]:
    """Rows as columns padded to the widest cell (a CJK character is two columns wide)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            (c + " " * (w - width(c))) if i < 2 else (" " * (w - width(c)) + c)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out
