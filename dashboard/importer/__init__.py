"""Import an office's own spreadsheets: read, normalise, check, publish atomically.

The stages, one module each:

- `read`: CSV (UTF-8 with or without BOM, GB18030/GBK) and .xlsx files as text cells, each row
  with its number as Excel shows it.
- `normalise`: find each file's table by its columns and parse every column the way real files
  are written (Chinese or English codes and headers, 87.5 / 87.5% / 0.875, 2017/6/4 or
  2017年6月4日, stray spaces), checking each row on its own.
- `check`: references across tables, over the tables as they will be after the import; every
  problem with its file, row, column, value and rule (Chinese and English, from messages/).
- `publish`: only when nothing is wrong, a new database written beside the current file,
  checked against the data contract and swapped in by one rename (build.publish), the previous
  file kept as a dated backup.

`spec` holds the contract as the importer reads it, `findings` the problems and the result,
`report` the terminal report and `templates` the empty templates.
"""

from dashboard.importer import plan
from dashboard.importer.check import check
from dashboard.importer.findings import Checked, FileInfo, Problem
from dashboard.importer.guard import Limits
from dashboard.importer.publish import ImportBusy, import_files
from dashboard.importer.read import expand
from dashboard.importer.report import report
from dashboard.importer.spec import (
    CODE_GROUPS,
    KEYS,
    MAX_LISTED,
    SPEC,
    SUFFIXES,
    TABLES,
    Col,
    Progress,
    _fold,
    allowed_codes,
    code_choices,
    code_map,
    header_map,
)
from dashboard.importer.templates import (
    template_readme,
    templates,
    templates_zip,
    write_templates,
)

__all__ = [
    "CODE_GROUPS",
    "KEYS",
    "MAX_LISTED",
    "SPEC",
    "SUFFIXES",
    "TABLES",
    "Checked",
    "Col",
    "FileInfo",
    "ImportBusy",
    "Limits",
    "Problem",
    "Progress",
    "_fold",
    "allowed_codes",
    "check",
    "code_choices",
    "code_map",
    "expand",
    "header_map",
    "import_files",
    "plan",
    "report",
    "template_readme",
    "templates",
    "templates_zip",
    "write_templates",
]
