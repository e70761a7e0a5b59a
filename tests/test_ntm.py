"""NTM tracker: criteria sets from the legal texts, assessment import, store, tracker facts and exports.

Assessment workbooks here are TEST DATA (tests/ntm_testdata.py), never real results.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from mutte_geo.analysis.filters import MATCH, NO_MATCH, UNKNOWN, Condition, Criteria, evaluate
from mutte_geo.analysis.filterurl import decode_query, encode_query
from mutte_geo.analysis.ntm import (
    MET_COUNT_ID,
    average_check,
    criterion_indicator_id,
    gap_text,
    losses_since_recognition,
    predecessor_context,
    recognitions_of,
    tracker,
    tracker_atlas,
    with_tracker,
    year_by_year,
)
from mutte_geo.core.errors import ValidationError
from mutte_geo.exports.formats import export_bytes
from mutte_geo.exports.ntmexport import grid_bytes
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.ntm import NTM_DIR, load_criteria_sets, load_public_record, set_for_vintage
from mutte_geo.storage.auth import User
from mutte_geo.storage.ntm_import import NtmOptions, parse_ntm_file, template_xlsx
from mutte_geo.storage.ntmstore import NtmStore
from mutte_geo.storage.store import Store
from tests.ntm_testdata import TEST_SOURCE, filled_workbook, sample_status
from tests.test_store import store, url  # noqa: F401  (fixtures: an empty store on SQLite and PostgreSQL)

SETS = load_criteria_sets()
QD318, QD51 = SETS["qd318_2021_2025"], SETS["qd51_2026_2030"]
EDITOR = User("test-editor", "editor")


def sheet_file(rows: list[list[object]], *, meta: list[str] | None = None, title: str = "Xã Thu Lũm") -> bytes:
    """A one-commune TEST DATA workbook: metadata lines, then the header and ``rows``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for line in meta if meta is not None else ["năm: 2024", "cấp đánh giá: xã tự đánh giá",
                                              f"nguồn: {TEST_SOURCE}"]:
        sheet.append([line])
    sheet.append(["TT", "Tiêu chí", "Kết quả", "Minh chứng"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, units, **options: str):  # type: ignore[no-untyped-def]
    return parse_ntm_file(data, "test.xlsx", sets=SETS, units=units, options=NtmOptions(**options))


# --- criteria sets ---------------------------------------------------------------------------------------

def test_criteria_sets_hold_the_decisions_names_and_numbers() -> None:
    assert QD318.decision == "318/QĐ-TTg" and QD318.signed == "2022-03-08" and QD318.size == 19
    assert [QD318.criterion(n).name_vi for n in (10, 11, 17, 19)] == [  # type: ignore[union-attr]
        "Thu nhập", "Nghèo đa chiều", "Môi trường và an toàn thực phẩm", "Quốc phòng và an ninh"]
    assert QD51.decision == "51/2025/QĐ-TTg" and QD51.signed == "2025-12-29" and QD51.in_force == "2026-02-15"
    assert QD51.size == 10 and QD51.indicator_count == 47
    assert QD51.criterion(8).name_vi == "Môi trường và cảnh quan nông thôn"  # type: ignore[union-attr]
    assert set_for_vintage(SETS, 2024) is QD318 and set_for_vintage(SETS, 2025) is QD51
    assert all(c.source.startswith("https://") and c.where_in_source for s in SETS.values() for c in s.criteria)


def test_criteria_map_onto_app_indicators_that_measure_the_same(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert "waste_collection_pct" in QD318.criterion(17).app_indicators  # type: ignore[union-attr]
    assert "national_standard_schools" in QD318.criterion(5).app_indicators  # type: ignore[union-attr]
    assert "security_hotspot" in QD318.criterion(19).app_indicators  # type: ignore[union-attr]
    assert {i for s in SETS.values() for c in s.criteria for i in c.app_indicators} <= set(catalogue)


def test_a_set_whose_stated_count_disagrees_with_its_rows_is_refused(tmp_path: Path) -> None:
    for name in ("criteria_sets.csv", "criteria.csv"):
        shutil.copy(NTM_DIR / name, tmp_path / name)
    rows = (tmp_path / "criteria.csv").read_text().splitlines()
    (tmp_path / "criteria.csv").write_text("\n".join(r for r in rows if not r.startswith("qd318_2021_2025,19,")))
    with pytest.raises(ValidationError, match="states 19 criteria but criteria.csv lists 18"):
        load_criteria_sets(tmp_path)


def test_the_public_record_names_only_what_the_sources_say() -> None:
    record = load_public_record()
    recognised = record[record["record"] == "recognised"]
    assert list(recognised["unit_code"]) == ["03436"]  # Thu Lũm, the only commune named
    assert recognised.iloc[0]["status"] == "UNCERTAIN" and recognised.iloc[0]["decision"] == ""
    assert sorted(record[record["record"] == "planned"]["unit_code"]) == ["03439", "03469"]  # Ka Lăng, Can Hồ
    assert record["source"].str.len().min() > 0


# --- import ----------------------------------------------------------------------------------------------

def test_a_filled_template_is_read_in_both_layouts_alike(units) -> None:  # type: ignore[no-untyped-def]
    per_commune = parse(filled_workbook(QD318, units, year=2024, assessor="xã tự đánh giá"), units)
    columns = parse(filled_workbook(QD318, units, year=2024, assessor="xã tự đánh giá",
                                    layout="communes-as-columns"), units)
    assert per_commune.ok and columns.ok, per_commune.problems + columns.problems
    assert (per_commune.layout, columns.layout) == ("per-commune", "communes-as-columns")
    key = ["unit_code", "criterion", "status"]
    assert per_commune.rows[key].sort_values(key).to_numpy().tolist() == \
        columns.rows[key].sort_values(key).to_numpy().tolist()
    communes = [c for c, u in units[2024].items() if u.unit_type == "xã"]
    expected = sum(sample_status(i, n, 2024) != "" for i in range(len(communes)) for n in range(1, 20))
    assert len(per_commune.rows) == expected  # empty cells are "not assessed": no row, never "chưa đạt"
    assert set(per_commune.rows["assessor"]) == {"self"} and set(per_commune.rows["source"]) == {TEST_SOURCE}


@pytest.mark.parametrize("word,status", [("Đạt", "dat"), ("đạt", "dat"), ("x", "dat"), ("1", "dat"),
                                         ("Chưa đạt", "chua_dat"), ("không đạt", "chua_dat")])
def sample_status_words(units, word: str, status: str) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(sheet_file([[10, "Thu nhập", word, "biên bản TEST"]]), units)
    assert parsed.ok, parsed.problems
    assert parsed.rows.iloc[0][["unit_code", "criterion", "status", "evidence"]].tolist() == [
        "03436", 10, status, "biên bản TEST"]


def test_a_1_beside_other_numbers_is_ambiguous(units) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(sheet_file([[1, "Quy hoạch", 1, ""], [2, "Giao thông", 16, ""]]), units)
    reasons = [(p.row, p.column, p.reason_en) for p in parsed.problems]
    assert (5, "Kết quả", "'1' is ambiguous: the column also holds other numbers (16); write 'Đạt' or 'Chưa đạt'") \
        in reasons
    assert any(r[0] == 6 and "'16' is not a valid result" in r[2] for r in reasons)
    assert parsed.rows.empty


def test_unknown_criterion_wrong_set_wrong_year_duplicates_and_towns_are_refused(units) -> None:  # type: ignore[no-untyped-def]
    unknown = parse(sheet_file([[20, "?", "Đạt", ""]]), units)
    assert [p.reason_en for p in unknown.problems] == [
        "criterion '20' is not in Decision 318/QĐ-TTg (2021–2025, 19 criteria)"]
    wrong_set = parse(sheet_file([[1, "Quy hoạch", "Đạt", ""]], meta=[
        "bộ tiêu chí: 51/2025/QĐ-TTg", "năm ranh giới: 2024", "năm: 2026", "cấp đánh giá: huyện", "nguồn: TEST"]),
        units)
    assert "applies to the 2025 units, not to the 2024 units" in wrong_set.problems[0].reason_en
    wrong_year = parse(sheet_file([[1, "Quy hoạch", "Đạt", ""]], meta=[
        "năm ranh giới: 2024", "năm: 2026", "cấp đánh giá: tỉnh", "nguồn: TEST"]), units)
    assert wrong_year.problems[0].reason_en == "year 2026 is outside the years of Decision 318/QĐ-TTg (2021–2025, " \
                                               "19 criteria)"
    duplicate = parse(sheet_file([[17, "", "Đạt", ""], ["Tiêu chí 17", "", "Chưa đạt", ""]]), units)
    assert [(p.row, p.reason_en) for p in duplicate.problems] == [
        (6, "duplicate of row 5 (same commune, criterion, year, assessor)")]
    town = parse(sheet_file([[1, "", "Đạt", ""]], title="Thị trấn Mường Tè"), units)
    assert town.problems[0].reason_en == "Mường Tè town is a town: the NTM criteria apply to communes only"
    no_source = parse(sheet_file([[1, "", "Đạt", ""]], meta=["năm: 2024", "cấp đánh giá: xã"]), units)
    assert no_source.problems[0].column == "source" and no_source.rows.empty


def test_without_a_set_or_vintage_the_year_tells_the_set(units) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(sheet_file([[8, "", "Đạt", ""]], meta=["năm: 2026", "cấp đánh giá: tỉnh", "nguồn: TEST"],
                              title="Xã Thu Lũm"), units)
    assert parsed.ok and parsed.rows.iloc[0][["vintage", "unit_code", "set_id"]].tolist() == [
        2025, "03439", "qd51_2026_2030"]  # the 2025 commune Thu Lũm, not the 2024 one (03436)


def test_the_page_fills_what_the_file_does_not_say(units) -> None:  # type: ignore[no-untyped-def]
    data = sheet_file([[11, "Nghèo đa chiều", "Chưa đạt", ""]], meta=[])
    assert {p.column for p in parse(data, units).problems} == {"year", "assessor"}
    parsed = parse(data, units, year="2025", assessor="province", source="TEST biên bản thẩm định")
    assert parsed.ok and parsed.rows.iloc[0][["year", "assessor", "source"]].tolist() == [
        2025, "province", "TEST biên bản thẩm định"]


def test_the_template_has_one_sheet_per_commune_and_one_row_per_criterion(units) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(template_xlsx(QD318, units)))
    communes = [s for s in book.sheetnames if s not in ("notes", "công nhận")]
    assert len(communes) == 13 and "Thị trấn Mường Tè" not in communes and "Xã Mường Tè" in communes
    assert [r[0] for r in book["Xã Pa Ủ"].iter_rows(min_row=3, values_only=True)] == list(range(1, 20))
    columns = load_workbook(io.BytesIO(template_xlsx(QD51, units, layout="communes-as-columns")))
    assert [c.value for c in columns["đánh giá"][1]][:3] == ["TT", "Tiêu chí", "Xã Bum Tở"]
    empty = parse(template_xlsx(QD318, units, year="2024"), units, assessor="self", source="TEST")
    assert [p.reason_en for p in empty.problems] == ["the file holds no assessment results"]


def recognition_file(units, rows: list[list[object]]) -> bytes:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(filled_workbook(QD318, units, year=2024, assessor="xã")))
    for row in rows:
        book["công nhận"].append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_recognition_decisions_are_read_from_their_sheet(units) -> None:  # type: ignore[no-untyped-def]
    decision = ["Xã Can Hồ", 2025, "TEST-123/QĐ-UBND", "TEST DATA", ""]
    bad = parse(recognition_file(units, [decision, ["Xã Không Có", 2025, "", "", ""]]), units)
    assert [(p.row, p.column) for p in bad.problems] == [(3, "Xã"), (3, "Số quyết định")]
    ok = parse(recognition_file(units, [decision]), units)
    assert ok.ok and ok.recognitions[["unit_code", "year", "decision"]].values.tolist() == [
        ["03469", 2025, "TEST-123/QĐ-UBND"]]


# --- store -----------------------------------------------------------------------------------------------

def test_imports_are_revisions_with_history_and_need_an_editor(store: Store, units) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ntm = NtmStore(store)
    report = ntm.check(parse(filled_workbook(QD318, units, year=2024, assessor="xã"), units))
    with pytest.raises(PermissionError):
        ntm.apply(report, user=User("test-viewer", "viewer"))
    with pytest.raises(PermissionError):
        ntm.apply(report, user=None)
    assert ntm.assessments().empty
    revision = ntm.apply(report, user=EDITOR)
    assert revision is not None and len(ntm.assessments()) == report.new_count > 0
    assert store.revisions()[0].action == "ntm-import" and store.revisions()[0].user_name == "test-editor"
    assert ntm.check(parse(filled_workbook(QD318, units, year=2024, assessor="xã"), units)).changes == []
    changed = parse(sheet_file([[10, "Thu nhập", "Chưa đạt", ""]], meta=[
        "năm: 2024", "cấp đánh giá: xã", f"nguồn: {TEST_SOURCE}"]), units)
    second = ntm.check(changed)
    assert (second.new_count, second.changed_count) == (0, 1)
    later = ntm.apply(second, user=EDITOR)
    history = ntm.changes_in(later)  # type: ignore[arg-type]
    assert history[["unit_code", "criterion", "old_status", "new_status"]].values.tolist() == [
        ["03436", 10, "dat", "chua_dat"]]


# --- the tracker -----------------------------------------------------------------------------------------

def frame(rows: list[tuple[str, int, int, str, str]]) -> pd.DataFrame:
    """TEST DATA assessments: (unit, criterion, year, assessor, status)."""
    return pd.DataFrame([{"vintage": 2024, "unit_code": u, "set_id": QD318.set_id, "criterion": n, "year": y,
                          "assessor": a, "status": s, "assessed_on": "", "measured": "", "evidence": "",
                          "source": TEST_SOURCE, "note": ""} for u, n, y, a, s in rows])


def full_grid(year: int, missing: dict[str, list[int]]) -> pd.DataFrame:
    communes = ["03436", "03439", "03440", "03442", "03445", "03448", "03451", "03454", "03457", "03463", "03466",
                "03467", "03469"]
    return frame([(c, n, year, "district", "chua_dat" if n in missing.get(c, []) else "dat")
                  for c in communes for n in range(1, 20)])


def test_the_highest_assessor_of_the_year_counts_and_years_are_not_carried_forward(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = frame([("03436", 17, 2024, "self", "dat"), ("03436", 17, 2024, "province", "chua_dat"),
                  ("03436", 10, 2023, "province", "dat")])
    t = tracker(atlas, rows, QD318, 2024)
    assert t.grid.loc["03436", 17] == "chua_dat"
    assert pd.isna(t.grid.loc["03436", 10])  # assessed in 2023 only: not assessed in 2024
    assert "03433" not in t.grid.index and len(t.grid) == 13  # the town is not in the NTM programme


def test_tracker_facts_from_a_full_grid(atlas) -> None:  # type: ignore[no-untyped-def]
    t = tracker(atlas, full_grid(2025, {"03436": [10, 11, 17], "03469": [17], "03439": [17, 10]}), QD318, 2025)
    assert t.met["03436"] == 16 and len(t.meeting_all()) == 10
    assert t.hardest(2) == [17, 10]
    assert gap_text(t, "03436", "vi") == "còn thiếu: 10 Thu nhập, 11 Nghèo đa chiều, 17 Môi trường và an toàn thực phẩm"
    average = (10 * 19 + 16 + 18 + 17) / 13
    text, mismatch = average_check(t, "vi")
    assert mismatch and f"{average:.2f}".replace(".", ",") in text and "16,54" in text
    shares = t.criterion_shares().set_index("criterion")
    assert shares.loc[17, "met"] == 10 and shares.loc[17, "share_met"] == pytest.approx(10 / 13)


def test_an_incomplete_grid_is_not_compared_with_the_report(atlas) -> None:  # type: ignore[no-untyped-def]
    t = tracker(atlas, frame([("03436", n, 2025, "district", "dat") for n in range(1, 20)]), QD318, 2025)
    text, mismatch = average_check(t, "en")
    assert not mismatch and "1/13 communes fully assessed" in text and "Not comparable" in text


def test_a_recognised_commune_missing_a_criterion_is_at_risk(atlas) -> None:  # type: ignore[no-untyped-def]
    recognitions = recognitions_of(load_public_record(), pd.DataFrame())
    t = tracker(atlas, frame([("03436", 17, 2024, "district", "chua_dat"), ("03469", 17, 2024, "district",
                                                                             "chua_dat")]), QD318, 2024)
    losses = losses_since_recognition(t, recognitions)
    assert losses[["unit_code", "recognised"]].values.tolist() == [["03436", 2021]]
    assert losses.iloc[0]["lost"] == [17]


def test_a_merged_commune_shows_its_predecessors_but_inherits_nothing(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = frame([("03436", n, 2024, "province", "dat") for n in range(1, 20)])
    recognitions = recognitions_of(load_public_record(), pd.DataFrame())
    lines = predecessor_context(atlas, rows, recognitions, QD318, "03439", "vi")  # 2025 Thu Lũm
    assert lines == ["Xã Thu Lũm: đạt chuẩn NTM (công nhận năm 2021); năm 2024: đạt 19/19 tiêu chí",
                     "Xã Ka Lăng: chưa có đánh giá"]
    assert tracker(atlas, rows, QD51, 2026).met.sum() == 0
    assert year_by_year(rows, QD51, "03439").empty


def test_tracker_maps_and_grid_export(atlas) -> None:  # type: ignore[no-untyped-def]
    t = tracker(atlas, full_grid(2025, {"03436": [10, 11, 17]}), QD318, 2025)
    shown = tracker_atlas(atlas, t, "vi")
    count = map_view(shown, MapRequest(MET_COUNT_ID, 2024, "2025", ("actual",)))
    assert count.joined.set_index("code").loc["03436", "number"] == 16
    assert not count.joined.set_index("code").loc["03433", "has_data"]  # the town: no value
    criterion = MapRequest(criterion_indicator_id(17), 2024, "2025", ("actual",))
    view = map_view(shown, criterion)
    assert view.joined.set_index("code").loc["03436", "value"] == "chua_dat"
    assert view.joined.set_index("code").loc["03436", "source"] == f"{TEST_SOURCE} (QĐ 318/QĐ-TTg, năm 2025)"
    name = shown.catalogue[criterion.indicator_id].name_vi
    assert name == "Tiêu chí 17 Môi trường và an toàn thực phẩm (QĐ 318/QĐ-TTg)"
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        assert export_bytes(fmt, shown, view, request=criterion).startswith(magic)
        assert grid_bytes(fmt, t, atlas, "vi").startswith(magic)
    grid = load_workbook(io.BytesIO(grid_bytes("xlsx", t, atlas, "vi")))
    sheet = grid["bảng xã – tiêu chí"]
    header = [c.value for c in sheet[1]]
    thu_lum = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Thu Lũm")
    assert thu_lum[header.index("17 Môi trường và an toàn thực phẩm")] == "Chưa đạt"
    assert thu_lum[header.index("Số tiêu chí đạt (/19)")] == 16
    assert any("318/QĐ-TTg" in str(r[0]) for r in grid["notes"].iter_rows(values_only=True))


def test_the_filter_can_ask_about_criteria(atlas) -> None:  # type: ignore[no-untyped-def]
    t = tracker(atlas, full_grid(2025, {"03436": [10, 11, 17], "03469": [17, 1, 2, 3, 4, 5]}), QD318, 2025)
    merged = with_tracker(atlas, t, "vi")
    missing_17 = Criteria((Condition(criterion_indicator_id(17), "is", codes=("chua_dat",)),))
    link = decode_query(encode_query(missing_17, 2024), merged.catalogue)
    assert link.criteria == missing_17  # the question survives the page's URL
    result = evaluate(missing_17, values=merged.values, catalogue=merged.catalogue, units=atlas.units[2024],
                      vintage=2024)
    assert sorted(result.codes(MATCH)) == ["03436", "03469"]
    assert result.codes(UNKNOWN) == ["03433"]  # the town has no NTM assessment
    at_least_15 = Criteria((Condition(MET_COUNT_ID, "ge", numbers=(15.0,)),))
    result = evaluate(at_least_15, values=merged.values, catalogue=merged.catalogue, units=atlas.units[2024],
                      vintage=2024)
    assert "03436" in result.codes(MATCH) and "03469" in result.codes(NO_MATCH)  # 16 and 13 criteria met


def test_the_2026_2030_set_is_not_compared_with_the_reports_19_criteria(atlas) -> None:  # type: ignore[no-untyped-def]
    rows = pd.DataFrame([{"vintage": 2025, "unit_code": c, "set_id": QD51.set_id, "criterion": n, "year": 2026,
                          "assessor": "district", "status": "dat", "assessed_on": "", "measured": "", "evidence": "",
                          "source": TEST_SOURCE, "note": ""} for c in atlas.units[2025] for n in range(1, 11)])
    text, mismatch = average_check(tracker(atlas, rows, QD51, 2026), "vi")
    assert not mismatch and text == "Bình quân từ bảng: **10,00** tiêu chí/xã (8/8 xã được đánh giá đủ)."
