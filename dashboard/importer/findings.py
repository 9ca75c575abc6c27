"""Problems found in the files, located as the user sees them in Excel, and the check's result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.importer.spec import MAX_LISTED, UNREADABLE

if TYPE_CHECKING:
    from dashboard.importer.read import _Sheet


@dataclass(frozen=True)
class Problem:
    """One finding of the check, located as the user sees the file in Excel."""

    file: str
    row: int | None  # Excel row number (header = 1); None for the whole file
    column: str
    value: str
    rule: str  # the key after import.rule.
    rule_zh: str
    rule_en: str
    severity: str = "error"  # error | warning

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "rule": self.rule,
            "rule_zh": self.rule_zh,
            "rule_en": self.rule_en,
            "severity": self.severity,
        }


@dataclass
class FileInfo:
    """One input file: its name in the report, the table it fills, how many data rows."""

    path: Path
    name: str
    table: str | None = None
    rows: int = 0


@dataclass
class Checked:
    """The result of a check: problems, the cleaned tables ready to insert, and counts."""

    files: list[FileInfo] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # severity -> number, listed or not
    scope: object = None  # plan.Scope of the check
    cleared: list = field(default_factory=list)  # plan.Clear: what the import deletes
    changes: object = None  # changes.Changes, once the new file is written (publish, dry run)
    declined: bool = False  # the deletions were shown and not confirmed

    @property
    def errors(self) -> int:
        return self.counts["error"]

    @property
    def warnings(self) -> int:
        return self.counts["warning"]

    @property
    def unreadable(self) -> bool:
        return any(p.rule in UNREADABLE for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.errors == 0


# ---------------------------------------------------------------- problems


def _text(rule: str, lang: str, values: dict) -> str:
    """The rule's message in lang; a value given as {"zh": …, "en": …} is taken per language."""
    message = i18n.catalogue()[f"import.rule.{rule}"][lang]
    return message.format(**{k: v[lang] if isinstance(v, dict) else v for k, v in values.items()})


class _Findings:
    """Collects problems, listing at most MAX_LISTED per file, column and rule."""

    def __init__(self, checked: Checked):
        self.checked = checked
        self.listed: Counter = Counter()
        self.hidden: Counter = Counter()

    def add(
        self, file: str, row, column: str, value, rule: str, severity: str = "error", **values
    ) -> None:
        self.checked.counts[severity] += 1
        key = (file, column, rule, severity)
        if self.listed[key] >= MAX_LISTED:
            self.hidden[key] += 1
            return
        self.listed[key] += 1
        shown = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        self.checked.problems.append(
            Problem(
                file,
                None if row is None else int(row),
                column,
                str(shown),
                rule,
                _text(rule, "zh", values),
                _text(rule, "en", values),
                severity,
            )
        )

    def rows(
        self,
        sheet: _Sheet,
        mask: pd.Series,
        column: str,
        raw: pd.Series,
        rule: str,
        severity: str = "error",
        **values,
    ) -> None:
        """One problem per row where mask is true (the value shown as written in the file)."""
        hit = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
        if not len(hit):
            return
        for i in hit[:MAX_LISTED]:
            self.add(sheet.name, sheet.rows[i], column, raw.iat[i], rule, severity, **values)
        self.overflow(sheet.name, column, rule, len(hit) - min(len(hit), MAX_LISTED), severity)

    def overflow(self, file: str, column: str, rule: str, n: int, severity: str = "error"):
        """n more findings of a rule that are counted but not listed."""
        if n > 0:
            self.checked.counts[severity] += n
            self.hidden[(file, column, rule, severity)] += n

    def finish(self) -> None:
        """Sort the problems (errors first, then by file and row) and add the "n more" lines."""
        order = {name: i for i, name in enumerate(f.name for f in self.checked.files)}
        problems = self.checked.problems
        problems.sort(
            key=lambda p: (
                p.severity != "error",
                order.get(p.file, len(order)),
                p.row is not None,
                p.row or 0,
                p.column,
            )
        )
        for (file, column, rule, severity), n in self.hidden.items():
            same = [
                i
                for i, p in enumerate(problems)
                if (p.file, p.column, p.rule, p.severity) == (file, column, rule, severity)
            ]
            problems.insert(
                same[-1] + 1 if same else len(problems),
                Problem(
                    file,
                    None,
                    column,
                    "",
                    "more",
                    _text("more", "zh", {"n": n}),
                    _text("more", "en", {"n": n}),
                    severity,
                ),
            )
        self.hidden.clear()
