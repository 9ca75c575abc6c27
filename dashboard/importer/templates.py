"""Empty import templates: a CSV and an .xlsx per table, and README.txt."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from dashboard import atomic, i18n
from dashboard.importer.spec import (
    CODE_GROUPS,
    KEYS,
    SPEC,
    TABLES,
    Col,
    allowed_codes,
    code_choices,
)

# ---------------------------------------------------------------- templates


def _format(table: str, col: Col, lang: str, metrics: pd.DataFrame | None) -> str:
    kind = col.kind
    if kind == "code":
        return i18n.text("import.fmt.code", lang, values=code_choices(table, col.name, lang))
    if kind == "metric":
        values = (
            "、".join(
                f"{i} {n}" for i, n in zip(metrics["metric_id"], metrics["name_zh"], strict=True)
            )
            if metrics is not None
            else "county_visit_rate 县域内就诊率 …"
        )
        return i18n.text("import.fmt.metric", lang, values=values)
    return i18n.text(f"import.fmt.{kind}", lang)


def template_readme(table: str, metrics: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per column of the table: name, Chinese and English name, required, format."""
    cat = i18n.catalogue()
    rows = []
    for col in SPEC[table]:
        labels = cat[f"import.col.{table}.{col.name}"]
        rows.append(
            {
                "column": col.name,
                "name_zh": labels["zh"],
                "name_en": labels["en"],
                "required": f"{i18n.text('import.readme.' + ('yes' if col.required else 'no'), 'zh')}"
                f" / {i18n.text('import.readme.' + ('yes' if col.required else 'no'), 'en')}",
                "format_zh": _format(table, col, "zh", metrics),
                "format_en": _format(table, col, "en", metrics),
                "example": col.example,
            }
        )
    return pd.DataFrame(rows)


def _readme_headers() -> list[str]:
    t = i18n.text
    return [
        f"{t('import.readme.column', 'zh')} / {t('import.readme.column', 'en')}",
        f"{t('import.readme.name_zh', 'zh')}",
        f"{t('import.readme.name_en', 'en')}",
        f"{t('import.readme.required', 'zh')} / {t('import.readme.required', 'en')}",
        f"{t('import.readme.format', 'zh')}",
        f"{t('import.readme.format', 'en')}",
        f"{t('import.readme.example', 'zh')} / {t('import.readme.example', 'en')}",
    ]


def _xlsx_template(table: str, metrics: pd.DataFrame | None) -> bytes:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = table
    sheet.append([c.name for c in SPEC[table]])
    for i, col in enumerate(SPEC[table], 1):
        cell = sheet.cell(1, i)
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(col.name) + 4)
        if col.kind == "code":  # a drop-down of the Chinese labels (English codes also pass)
            group = CODE_GROUPS[(table, col.name)]
            labels = [i18n.code_label(group, c, "zh") for c in allowed_codes()[(table, col.name)]]
            check = DataValidation(
                type="list",
                formula1=f'"{",".join(labels)}"',
                allow_blank=True,
                showErrorMessage=False,
            )
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}100000")
        if col.kind in ("id", "ref_site", "ref_alliance", "adcode", "date", "month"):
            for row in range(2, 1002):  # typed as text: Excel keeps 001 and 2017-06 as written
                sheet.cell(row, i).number_format = "@"
    sheet.freeze_panes = "A2"
    readme = book.create_sheet(i18n.text("import.readme.sheet", "zh"))
    readme.append([f"{i18n.text('data.table.' + table, 'zh')} {table}"])
    readme.append([i18n.text("import.readme.intro", "zh")])
    readme.append([i18n.text("import.readme.intro", "en")])
    if table in KEYS:
        columns = " + ".join(KEYS[table])
        readme.append(
            [
                f"{i18n.text('import.readme.unique', 'zh', columns=columns)} / "
                f"{i18n.text('import.readme.unique', 'en', columns=columns)}"
            ]
        )
    readme.append([])
    readme.append(_readme_headers())
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for row in template_readme(table, metrics).itertuples(index=False):
        readme.append(list(row))
    for letter, width in zip("ABCDEFG", (18, 22, 22, 12, 50, 50, 24), strict=True):
        readme.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _readme_text(metrics: pd.DataFrame | None) -> str:
    t = i18n.text
    lines = [
        t("import.readme.title", "zh"),
        t("import.readme.title", "en"),
        "",
        t("import.readme.intro", "zh"),
        t("import.readme.intro", "en"),
        "",
        t("import.readme.commands", "zh"),
        t("import.readme.commands", "en"),
        "",
    ]
    for table in TABLES:
        lines += [
            "=" * 60,
            f"{table}.csv / {table}.xlsx — {t('data.table.' + table, 'zh')} "
            f"{t('data.table.' + table, 'en')}",
        ]
        if table in KEYS:
            columns = " + ".join(KEYS[table])
            lines.append(
                f"{t('import.readme.unique', 'zh', columns=columns)} / "
                f"{t('import.readme.unique', 'en', columns=columns)}"
            )
        for r in template_readme(table, metrics).itertuples(index=False):
            lines += [
                f"- {r.column}  {r.name_zh} / {r.name_en}  [{r.required}]",
                f"    {r.format_zh}",
                f"    {r.format_en}",
            ]
            if r.example:
                lines.append(
                    f"    {t('import.readme.example', 'zh')} / "
                    f"{t('import.readme.example', 'en')}: {r.example}"
                )
        lines.append("")
    return "\r\n".join(lines)


def templates(metrics: pd.DataFrame | None = None) -> dict[str, bytes]:
    """File name -> bytes of every template: a CSV and an .xlsx per table, and README.txt."""
    files = {}
    for table in TABLES:
        header = ",".join(c.name for c in SPEC[table]) + "\r\n"
        files[f"{table}.csv"] = header.encode("utf-8-sig")  # the BOM makes Excel read UTF-8
        files[f"{table}.xlsx"] = _xlsx_template(table, metrics)
    files["README.txt"] = _readme_text(metrics).encode("utf-8-sig")
    return files


def write_templates(folder: Path, metrics: pd.DataFrame | None = None) -> list[Path]:
    """Write the templates into folder (created if needed), each whole or not at all; the
    paths written."""
    atomic.folder(folder)
    written = []
    for name, content in templates(metrics).items():
        written.append(atomic.write_bytes(folder / name, content))
    return written


def templates_zip(metrics: pd.DataFrame | None = None) -> bytes:
    """The templates in one zip archive, for the Data page's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in templates(metrics).items():
            archive.writestr(f"import_templates/{name}", content)
    return buffer.getvalue()
