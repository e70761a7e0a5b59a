"""The 2024 → 2025 crosswalk, validated against both real boundary layers."""

from __future__ import annotations

import pytest

from mutte_geo.core.errors import ValidationError
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.crosswalk import Crosswalk, load_crosswalk, validate_crosswalk
from mutte_geo.model.units import parse_qualified_code, qualified_code


@pytest.fixture(scope="module")
def real(atlas: Atlas) -> Crosswalk:
    return load_crosswalk(atlas.units[2024], atlas.units[2025], atlas.boundaries(2024), atlas.boundaries(2025))


def _validate(atlas: Atlas, links: dict[str, str]) -> Crosswalk:
    return validate_crosswalk(links, units_2024=atlas.units[2024], units_2025=atlas.units[2025],
                              layer_2024=atlas.boundaries(2024), layer_2025=atlas.boundaries(2025))


def test_real_crosswalk_links_every_unit_to_the_commune_its_shape_nests_in(atlas: Atlas, real: Crosswalk) -> None:
    assert sorted(real.links) == sorted(atlas.units[2024])
    assert set(real.links.values()) == set(atlas.units[2025])
    assert real.predecessors("03433") == ["03433", "03454", "03469"]  # town + Bum Tở + Can Hồ
    assert real.predecessors("03439") == ["03436", "03439"]
    assert real.predecessors("03460") == ["03467"]
    # independent geometric check: each 2024 unit's representative point lies in its 2025 commune
    new = atlas.boundaries(2025)
    for code, shape in atlas.boundaries(2024).geometry.items():
        point = shape.representative_point()
        assert new.geometry[real.successor(str(code))].contains(point), code


def test_hua_bum_reaches_outside_the_old_district_and_nothing_else_does(real: Crosswalk) -> None:
    assert real.reaches_outside("03460")
    assert 0.2 < real.coverage["03460"] < 0.35  # Vàng San is about a quarter of the new Hua Bum
    assert [c for c in real.coverage if real.reaches_outside(c)] == ["03460"]


def test_crosswalk_pointing_to_the_wrong_commune_is_refused(atlas: Atlas, real: Crosswalk) -> None:
    links = {**real.links, "03454": "03445"}  # Bum Tở linked to the new Mường Tè instead of Bum Tở
    with pytest.raises(ValidationError) as info:
        _validate(atlas, links)
    message = str(info.value)
    assert "2024:03454" in message and "0% of Bum Tở lies inside Mường Tè" in message
    assert "most of it lies in 2025:03433" in message


def test_unknown_code_missing_unit_and_orphan_commune_are_refused(atlas: Atlas, real: Crosswalk) -> None:
    links = dict(real.links)
    del links["03467"]  # Vàng San left out: Hua Bum has no predecessor any more
    links["03440"] = "09999"
    links["03999"] = "03433"
    with pytest.raises(ValidationError) as info:
        _validate(atlas, links)
    reasons = [p.reason_en for p in info.value.problems]
    assert any("2024:03467" in r and "missing from the crosswalk" in r for r in reasons)
    assert any("2024:03440" in r and "'09999' does not exist" in r for r in reasons)
    assert any("2024:03999" in r and "is not a 2024 unit" in r for r in reasons)
    assert any("2025:03460 Hua Bum" in r and "no 2024 unit links to it" in r for r in reasons)


def test_crosswalk_table_qualifies_codes_by_vintage(atlas: Atlas, real: Crosswalk) -> None:
    table = real.table(atlas.units[2024], atlas.units[2025], "en")
    town = table[table["Code 2024"] == "2024:03433"].iloc[0]
    assert town["Unit 2024"] == "Mường Tè town" and town["Code 2025"] == "2025:03433"
    assert town["Commune 2025"] == "Bum Tở commune"
    assert parse_qualified_code(town["Code 2025"]) == (2025, "03433")
    assert qualified_code(2024, "03433") != qualified_code(2025, "03433")
    with pytest.raises(ValueError):
        parse_qualified_code("03433")


def test_crosswalk_file_problems_name_file_row_and_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mutte_geo.model.crosswalk import read_links

    path = tmp_path / "units_2024.csv"
    path.write_text("gso_code,unit_2025_code\n03433,03433\n3433,03439\n03436,\n", encoding="utf-8")
    links, problems = read_links(path)
    assert links == {"03433": "03433"}
    assert [(p.row, p.column) for p in problems] == [(3, "gso_code"), (4, "unit_2025_code")]
    assert "appears twice" in problems[0].reason_en and "has no 2025 commune" in problems[1].reason_en
    path.write_text("gso_code,name\n03433,x\n", encoding="utf-8")
    assert read_links(path)[1][0].column == "unit_2025_code"
