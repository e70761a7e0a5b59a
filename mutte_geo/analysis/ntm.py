"""The NTM tracker: commune × criterion grid for one set and year, and what it tells a planner.

A cell's status for a year is the assessment of that year by the highest assessor (province appraisal
over district appraisal over self-assessment); a cell nobody assessed that year is "not assessed" and
counts neither as met nor as missing. Earlier years are never carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from mutte_geo.core.i18n import format_number, gettext
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.ntm import ASSESSORS, MET, NOT_MET, CriteriaSet, status_label
from mutte_geo.model.units import TOWN_TYPE

REPORT_AVERAGE = 16.54  # "bình quân 16,54 tiêu chí/xã" (report, mục II.3): the 2025 target for the 2024 units
REPORT_AVERAGE_YEAR = 2025
REPORT_AVERAGE_SOURCE = ("Báo cáo định hướng xây dựng kế hoạch phát triển KT-XH năm 2025, UBND huyện Mường Tè "
                         "(6/2024), mục II.3")
MET_COUNT_ID = "ntm_met_count"


def criterion_indicator_id(number: int) -> str:
    return f"ntm_criterion_{number:02d}"


def communes(atlas: Atlas, vintage: int) -> list[str]:
    """Codes of the units the NTM programme applies to (xã, not thị trấn)."""
    return [c for c, u in atlas.units[vintage].items() if u.unit_type != TOWN_TYPE]


def years(assessments: pd.DataFrame, criteria_set: CriteriaSet) -> list[int]:
    rows = assessments[assessments["set_id"] == criteria_set.set_id]
    return sorted({int(y) for y in rows["year"]}, reverse=True)


def effective(assessments: pd.DataFrame, criteria_set: CriteriaSet, year: int) -> pd.DataFrame:
    """One row per unit × criterion assessed in ``year``: the highest assessor's."""
    rows = assessments[(assessments["set_id"] == criteria_set.set_id) & (assessments["year"].astype(int) == year)
                       & (assessments["vintage"].astype(int) == criteria_set.vintage)]
    rows = rows.assign(_rank=rows["assessor"].map(ASSESSORS.index)).sort_values("_rank")
    return rows.drop_duplicates(["unit_code", "criterion"], keep="last").drop(columns="_rank")


@dataclass(frozen=True)
class Tracker:
    """The grid (index: commune codes; columns: criterion numbers; cells 'dat', 'chua_dat' or None)."""

    criteria_set: CriteriaSet
    year: int
    grid: pd.DataFrame
    details: pd.DataFrame  # the effective assessments behind the grid

    @property
    def met(self) -> pd.Series:
        return (self.grid == MET).sum(axis=1)

    @property
    def assessed(self) -> pd.Series:
        return self.grid.notna().sum(axis=1)

    @property
    def fully_assessed(self) -> list[str]:
        return [c for c, n in self.assessed.items() if n == self.criteria_set.size]

    def meeting_all(self) -> list[str]:
        return [c for c, n in self.met.items() if n == self.criteria_set.size]

    def average(self) -> float | None:
        """Average criteria met per commune over the fully assessed communes; None when there are none."""
        full = self.fully_assessed
        return float(self.met[full].mean()) if full else None

    def criterion_shares(self) -> pd.DataFrame:
        """Per criterion: communes met, not met, not assessed, and the share met among all communes."""
        total = len(self.grid)
        frame = pd.DataFrame({
            "criterion": self.grid.columns,
            "met": [(self.grid[c] == MET).sum() for c in self.grid.columns],
            "not_met": [(self.grid[c] == NOT_MET).sum() for c in self.grid.columns],
            "not_assessed": [self.grid[c].isna().sum() for c in self.grid.columns],
        })
        frame["share_met"] = frame["met"] / total if total else 0.0
        return frame

    def hardest(self, n: int = 3) -> list[int]:
        """The criteria the fewest communes meet, among those at least one commune was assessed on."""
        shares = self.criterion_shares()
        shares = shares[shares["not_assessed"] < len(self.grid)]
        return list(shares.sort_values(["met", "not_met"], ascending=[True, False])["criterion"][:n])

    def missing(self, code: str) -> list[int]:
        return [c for c in self.grid.columns if self.grid.loc[code, c] == NOT_MET]


def tracker(atlas: Atlas, assessments: pd.DataFrame, criteria_set: CriteriaSet, year: int) -> Tracker:
    codes = communes(atlas, criteria_set.vintage)
    numbers = [c.number for c in criteria_set.criteria]
    rows = effective(assessments, criteria_set, year)
    grid = pd.DataFrame(None, index=pd.Index(codes, name="unit_code"), columns=numbers, dtype=object)
    for r in rows.to_dict("records"):
        if r["unit_code"] in grid.index and int(r["criterion"]) in numbers:
            grid.loc[r["unit_code"], int(r["criterion"])] = r["status"]
    return Tracker(criteria_set, year, grid, rows)


def newest_tracker(atlas: Atlas, assessments: pd.DataFrame, criteria_set: CriteriaSet) -> Tracker | None:
    """The grid of the newest year with assessments of ``criteria_set``; None when nothing was assessed."""
    held = years(assessments, criteria_set)
    return tracker(atlas, assessments, criteria_set, held[0]) if held else None


def gap_text(tracker: Tracker, code: str, lang: str) -> str:
    """'còn thiếu: 10 Thu nhập, 11 Nghèo đa chiều, 17 Môi trường và an toàn thực phẩm'."""
    missing = tracker.missing(code)
    if not missing:
        return ""
    names = ", ".join(tracker.criteria_set.criterion(n).label(lang) for n in missing)  # type: ignore[union-attr]
    return gettext(lang, "missing: {names}").format(names=names)


def card_lines(tracker: Tracker, code: str, lang: str) -> list[str]:
    """A commune's result of the grid's year: criteria met, what it lacks, what is not assessed, the sources."""
    criteria_set = tracker.criteria_set
    lines = [gettext(lang, "{year}: {met}/{size} criteria met (Decision {decision})").format(
                 year=tracker.year, met=int(tracker.met[code]), size=criteria_set.size, decision=criteria_set.decision)]
    gap = gap_text(tracker, code, lang)
    if gap:
        lines.append(gap[0].upper() + gap[1:])
    unassessed = [str(c.number) for c in criteria_set.criteria if pd.isna(tracker.grid.loc[code, c.number])]
    if unassessed:
        lines.append(gettext(lang, "Not assessed: criteria {join}").format(join=', '.join(unassessed)))
    sources = sorted(set(tracker.details.loc[tracker.details["unit_code"] == code, "source"]))
    return lines + [gettext(lang, "Assessment source: ") + source for source in sources]


def average_check(tracker: Tracker, lang: str) -> tuple[str, bool]:
    """The grid's average beside the report's 16,54, and whether they contradict each other.

    They are compared only for the report's year and set size (19 criteria) and when every commune is fully
    assessed; otherwise the sentence says why they cannot be compared.
    """
    report = format_number(REPORT_AVERAGE, lang, 2)
    average = tracker.average()
    total = len(tracker.grid)
    full = len(tracker.fully_assessed)
    if tracker.criteria_set.size != 19 or tracker.criteria_set.vintage != 2024:  # the report counts 19 criteria
        if average is None:
            return gettext(lang, "No average from the grid yet (no commune assessed on every criterion)."), False
        return gettext(lang, "Average from the grid: **{average}** criteria per commune ({full}/{total} "
                             "communes fully assessed).").format(
                   average=format_number(average, lang, 2), full=full, total=total), False
    if average is None:
        return gettext(lang, "No average from the grid yet (no commune assessed on all {size} criteria). "
                             "Report: {report} criteria per commune ({report_average_year} target).").format(
                   size=tracker.criteria_set.size, report=report, report_average_year=REPORT_AVERAGE_YEAR), False
    computed = format_number(average, lang, 2)
    comparable = (full == total and tracker.year == REPORT_AVERAGE_YEAR and tracker.criteria_set.size == 19)
    mismatch = comparable and abs(average - REPORT_AVERAGE) > 0.005
    text = gettext(lang, "Average from the grid: **{computed}** criteria per commune ({full}/{total} communes "
                         "fully assessed). Report: {report} ({report_average_year} target).").format(
               computed=computed, full=full, total=total, report=report, report_average_year=REPORT_AVERAGE_YEAR)
    if mismatch:
        text += gettext(lang, " ⚠ Does not match the report.")
    elif not comparable:
        text += gettext(lang, " (Not comparable: another year or set, or not every commune fully assessed.)")
    return text, mismatch


def losses_since_recognition(tracker: Tracker, recognitions: pd.DataFrame) -> pd.DataFrame:
    """Recognised communes with a criterion not met in a year after recognition ("nguy cơ mất chuẩn")."""
    rows = []
    vintage = tracker.criteria_set.vintage
    recognised = recognitions[recognitions["vintage"].astype(int) == vintage]
    for r in recognised.to_dict("records"):
        code = r["unit_code"]
        if code in tracker.grid.index and tracker.year > int(r["year"]) and tracker.missing(code):
            rows.append({"unit_code": code, "recognised": int(r["year"]), "decision": r.get("decision", ""),
                         "lost": tracker.missing(code)})
    return pd.DataFrame(rows, columns=["unit_code", "recognised", "decision", "lost"])


def year_by_year(assessments: pd.DataFrame, criteria_set: CriteriaSet, code: str) -> pd.DataFrame:
    """Per year: criteria met, not met and not assessed for one commune."""
    rows = []
    for year in sorted(years(assessments, criteria_set)):
        eff = effective(assessments, criteria_set, year)
        eff = eff[eff["unit_code"] == code]
        if eff.empty:
            continue
        met = int((eff["status"] == MET).sum())
        not_met = int((eff["status"] == NOT_MET).sum())
        rows.append({"year": year, "met": met, "not_met": not_met,
                     "not_assessed": criteria_set.size - met - not_met})
    return pd.DataFrame(rows, columns=["year", "met", "not_met", "not_assessed"])


def grid_table(tracker: Tracker, atlas: Atlas, lang: str) -> pd.DataFrame:
    """The grid for the screen and XLSX: one row per commune, one column per criterion, then totals."""
    units = atlas.units[tracker.criteria_set.vintage]
    size = tracker.criteria_set.size
    table = pd.DataFrame({gettext(lang, "Commune"): [units[c].name_vi for c in tracker.grid.index]})
    for criterion in tracker.criteria_set.criteria:
        table[criterion.label(lang)] = [status_label(s, lang) for s in tracker.grid[criterion.number]]
    table[gettext(lang, "Criteria met (/{size})").format(size=size)] = tracker.met.to_numpy()
    table[gettext(lang, "Criteria not assessed")] = (size - tracker.assessed).to_numpy()
    return table


def shares_table(tracker: Tracker, lang: str) -> pd.DataFrame:
    shares = tracker.criterion_shares()
    return pd.DataFrame({
        gettext(lang, "Criterion"): [tracker.criteria_set.criterion(int(n)).label(lang)  # type: ignore[union-attr]
                                            for n in shares["criterion"]],
        gettext(lang, "Communes met"): shares["met"],
        gettext(lang, "Communes not met"): shares["not_met"],
        gettext(lang, "Communes not assessed"): shares["not_assessed"],
        gettext(lang, "Share met (%)"): (100 * shares["share_met"]).round(1),
    })


# --- the tracker as atlas indicators, so the map page's maps, legends and exports serve it -------------

def tracker_atlas(atlas: Atlas, tracker: Tracker, lang: str) -> Atlas:
    """``atlas`` holding the tracker as indicators: criteria met per commune and each criterion's status."""
    criteria_set = tracker.criteria_set
    sources = tracker.details.groupby("unit_code")["source"].agg(lambda s: " | ".join(sorted(set(s)))).to_dict()
    template = next(iter(atlas.catalogue.values()))
    catalogue = {MET_COUNT_ID: replace(
        template, id=MET_COUNT_ID, category="economy", value_type="count", unit_vi=f"tiêu chí/{criteria_set.size}",
        unit_en=f"criteria/{criteria_set.size}",
        higher_is_better=True, decimals=0, aggregation="none", weight="", ratio_of=None, sensitive=False,
        name_vi=f"Số tiêu chí nông thôn mới đạt (QĐ {criteria_set.decision})",
        name_en=f"NTM criteria met (Decision {criteria_set.decision})", category_labels={})}
    labels = {MET: ("Đạt", "Met"), NOT_MET: ("Chưa đạt", "Not met")}
    for criterion in criteria_set.criteria:
        ident = criterion_indicator_id(criterion.number)
        catalogue[ident] = replace(
            template, id=ident, category=criterion.category, value_type="category", unit_vi="", unit_en="",
            higher_is_better=None, decimals=0, aggregation="none", weight="", ratio_of=None, sensitive=False,
            name_vi=f"Tiêu chí {criterion.label('vi')} (QĐ {criteria_set.decision})",
            name_en=f"Criterion {criterion.label('en')} (Decision {criteria_set.decision})",
            category_labels=labels)
    records = []
    period = str(tracker.year)
    for code in tracker.grid.index:
        common = {"vintage": criteria_set.vintage, "unit_code": code, "period": period, "kind": "actual",
                  "status": "VERIFIED", "note": "",
                  "source": f"{sources.get(code, '')} (QĐ {criteria_set.decision}, năm {tracker.year})",
                  "derived_from": "", "file": "", "row": 0}
        assessed = int(tracker.assessed[code])
        if assessed:
            records.append({**common, "indicator": MET_COUNT_ID, "value": str(int(tracker.met[code])),
                            "number": float(tracker.met[code]),
                            "note": gettext(lang, "{assessed}/{size} criteria assessed").format(
                                        assessed=assessed, size=criteria_set.size)})
        for number in tracker.grid.columns:
            status = tracker.grid.loc[code, number]
            if status is not None and not pd.isna(status):
                records.append({**common, "indicator": criterion_indicator_id(int(number)), "value": status,
                                "number": float("nan")})
    columns = list(atlas.values.columns)
    values = pd.DataFrame(records).reindex(columns=columns) if records else atlas.values.iloc[0:0]
    return replace(atlas, catalogue=catalogue, values=values)  # boundary layers are shared


def recognitions_of(public_record: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Recognition decisions: the public record's and those staff imported (an imported one wins)."""
    columns = ["vintage", "unit_code", "year", "decision", "source", "status", "note"]
    public = public_record[public_record["record"] == "recognised"]
    imported = stored.assign(status="VERIFIED") if not stored.empty else stored.reindex(columns=columns)
    both = pd.concat([public.reindex(columns=columns), imported.reindex(columns=columns)], ignore_index=True)
    both["vintage"] = both["vintage"].astype(int)
    both["year"] = both["year"].astype(int)
    return both.drop_duplicates(["vintage", "unit_code"], keep="last").reset_index(drop=True)


def planned(public_record: pd.DataFrame, vintage: int) -> pd.DataFrame:
    """Communes the report plans to bring to the standard (with year, source, status)."""
    rows = public_record[(public_record["record"] == "planned") & (public_record["vintage"] == vintage)]
    return rows.reset_index(drop=True)


def district_count(public_record: pd.DataFrame) -> pd.Series | None:
    """The public record's row for the district report's count of communes at the standard, if any."""
    rows = public_record[public_record["record"] == "district_count"]
    return None if rows.empty else rows.iloc[-1]


def predecessor_context(atlas: Atlas, assessments: pd.DataFrame, recognitions: pd.DataFrame, set_2024: CriteriaSet,
                        code_2025: str, lang: str) -> list[str]:
    """For a 2025 commune: each 2024 predecessor's NTM status, as context (a merged commune inherits no 'đạt')."""
    lines = []
    for code, unit in atlas.units[2024].items():
        if unit.successor_code != code_2025:
            continue
        if unit.unit_type == TOWN_TYPE:
            town = unit.label(lang)
            lines.append(gettext(lang, "{town}: town (not applicable)").format(town=town))
            continue
        rec = recognitions[(recognitions["vintage"] == 2024) & (recognitions["unit_code"] == code)]
        history = year_by_year(assessments, set_2024, code)
        parts = []
        if not rec.empty:
            year = int(rec.iloc[0]["year"])
            parts.append(gettext(lang, "recognised as NTM in {year}").format(year=year))
        if not history.empty:
            last = history.iloc[-1]
            parts.append(gettext(lang, "{year}: {met}/{size} criteria met").format(
                             year=last['year'], met=last['met'], size=set_2024.size))
        lines.append(f"{unit.label(lang)}: " + ("; ".join(parts) if parts else gettext(lang, "no assessment")))
    return lines


def with_tracker(atlas: Atlas, tracker: Tracker, lang: str) -> Atlas:
    """``atlas`` plus the tracker's indicators and values, so filters can ask about criteria.

    E.g. ``ntm_criterion_17 is chua_dat`` (missing criterion 17) or ``ntm_met_count ≥ 15``.
    """
    shown = tracker_atlas(atlas, tracker, lang)
    values = pd.concat([atlas.values, shown.values], ignore_index=True) if not shown.values.empty else atlas.values
    return replace(atlas, catalogue={**atlas.catalogue, **shown.catalogue}, values=values)
