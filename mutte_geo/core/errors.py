"""Small domain exceptions with messages a user can act on."""

from __future__ import annotations

from dataclasses import dataclass


class AtlasError(Exception):
    """Base class of every error the atlas reports to a user."""


class BilingualError(AtlasError):
    """A refusal whose reason is written in both languages.

    >>> BilingualError("Đã có người sửa trước.", "Someone changed it first.").text("vi")
    'Đã có người sửa trước.'
    """

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(en)

    def text(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


class DataFileError(AtlasError):
    """A data file is missing, altered or unreadable."""


class BoundaryError(AtlasError):
    """A boundary layer does not hold the expected units or valid shapes."""


class ExportError(AtlasError):
    """A request that cannot be exported (unknown indicator, period, format, paper ...)."""


class CriteriaError(AtlasError):
    """Filter criteria that cannot be evaluated; ``problems`` holds (Vietnamese, English) reasons."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(en for _, en in problems))

    def describe(self, lang: str) -> list[str]:
        return [vi if lang == "vi" else en for vi, en in self.problems]


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as precisely as possible."""

    file: str
    row: int | None
    column: str | None
    reason_vi: str
    reason_en: str

    def describe(self, lang: str = "en") -> str:
        where = self.file
        if self.row is not None:
            where += f", {'dòng' if lang == 'vi' else 'row'} {self.row}"
        if self.column:
            where += f", {'cột' if lang == 'vi' else 'column'} '{self.column}'"
        reason = self.reason_vi if lang == "vi" else self.reason_en
        return f"{where}: {reason}"


class ValidationError(AtlasError):
    """Input failed validation; nothing was loaded or changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [p.describe("en") for p in problems[:20]]
        more = len(problems) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(lines))
