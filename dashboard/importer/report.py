"""The check as the user reads it in a terminal, in Chinese and English."""

from __future__ import annotations

from dashboard import i18n
from dashboard.importer.findings import Checked

# ---------------------------------------------------------------- report


def _shown(value: str, lang: str) -> str:
    if value == "":
        return i18n.text("import.report.empty", lang)
    return f"“{value if len(value) <= 60 else value[:57] + '…'}”"


def report(checked: Checked) -> str:
    """The check as the user reads it: files, then every problem in Chinese and English."""
    both = {
        lang: (lambda key, lang=lang, **v: i18n.text(f"import.report.{key}", lang, **v))
        for lang in i18n.LANGS
    }
    zh, en = both["zh"], both["en"]
    lines = [f"{zh('title')} / {en('title')}", ""]
    for f in checked.files:
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
