"""The findings workbook a clerk downloads is inert: a value from the file that looks like a
formula (=, +, -, @) stays text, in the findings list and on the file's marked sheet."""

from __future__ import annotations

import io

import openpyxl

from dashboard.office import marked


def test_the_findings_workbook_holds_no_formula(tmp_path):
    (tmp_path / "county_metrics.csv").write_text(
        "county_adcode,year,metric,value,source\n"
        '330822,2024,county_visit_rate,"=HYPERLINK(""http://x.invalid"",1)",@SUM(1)\n',
        encoding="utf-8",
    )
    problems = [
        {
            "file": "county_metrics.csv",
            "row": 2,
            "column": "value",
            "value": '=HYPERLINK("http://x.invalid",1)',
            "rule_zh": "不是数字",
            "rule_en": "not a number",
            "severity": "error",
        }
    ]
    book = openpyxl.load_workbook(io.BytesIO(marked.workbook(problems, tmp_path, "zh")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert len(book.worksheets) == 2  # the list, and the file's rows with the cell marked
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any("HYPERLINK" in t for t in texts) and any("SUM" in t for t in texts)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [t for t in texts if t[:1] in "=+-@"]
