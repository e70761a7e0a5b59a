"""Attention map, locator map, profile and completeness logic on the real data (no Streamlit)."""

from __future__ import annotations

import json
import re

from mutte_geo.analysis.completeness import completeness, unit_counts
from mutte_geo.analysis.overview import status_legend_html, targets_frame, targets_html
from mutte_geo.analysis.profile import area_text, indicator_table, missing_indicators, unit_summary
from mutte_geo.analysis.targets import district_targets, group_by_heading
from mutte_geo.maps.attentionmap import ATTENTION_LAYERS, attention_layer_ids, attention_map, flagged_units, locator_map
from mutte_geo.maps.webmap import js_string
from mutte_geo.model.atlas import Atlas


def _js(text: str) -> str:
    """``text`` as folium writes it inside the page's JavaScript (layer names: escaped JSON)."""
    return json.dumps(text)[1:-1]


def test_communes_named_in_the_report(atlas: Atlas) -> None:
    # report I.3: Pa Ủ, Pa Vệ Sủ, Mường Tè town; II.4.1.a: Can Hồ, Ka Lăng; II.4.2.a: six communes
    assert flagged_units(atlas, "security_hotspot") == ["03433", "03442", "03448"]
    assert flagged_units(atlas, "ntm_candidate_2025") == ["03439", "03469"]
    assert flagged_units(atlas, "attendance_priority") == ["03440", "03442", "03448", "03454", "03457", "03463"]
    assert len(flagged_units(atlas, "borders_china")) == 6


def test_caller_chooses_the_layers_and_sensitive_ones_can_be_left_out(atlas: Atlas) -> None:
    assert attention_layer_ids(atlas.catalogue, include_sensitive=True) == list(ATTENTION_LAYERS)
    public = attention_layer_ids(atlas.catalogue, include_sensitive=False)
    assert "security_hotspot" not in public and len(public) == 3
    page = attention_map(atlas, "vi", public).get_root().render()
    assert _js("An ninh trật tự phức tạp") not in page and _js("Trọng tâm chuyên cần (kế hoạch 2025) (6)") in page
    assert page.count(_js('class="attention-symbol"')) == 6 + 2 + 6
    full = attention_map(atlas, "en", list(ATTENTION_LAYERS)).get_root().render()
    assert _js("Security hotspot (example) (3)") in full
    assert full.count(_js('class="attention-symbol"')) == 3 + 6 + 2 + 6


def test_maps_use_the_local_leaflet_and_show_the_attribution(atlas: Atlas) -> None:
    for fmap in (attention_map(atlas, "vi", list(ATTENTION_LAYERS)), locator_map(atlas, 2024, "03448", "vi")):
        page = fmap.get_root().render()
        assets = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert assets == ["/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"]
        assert js_string("Ranh giới mang tính tham khảo")[1:-1] in page  # as the attribution is written
    assert "L.control.layers" in attention_map(atlas, "vi", ["borders_china"]).get_root().render()


def test_unit_summary_reads_codes_with_their_vintage(atlas: Atlas) -> None:
    old = unit_summary(atlas, 2024, "03433", "vi")
    new = unit_summary(atlas, 2025, "03433", "vi")
    assert old.label == "Thị trấn Mường Tè" and old.successor == "Xã Bum Tở (03433, ranh giới 2025)"
    assert new.label == "Xã Bum Tở" and new.successor is None
    assert new.predecessors == "Thị trấn Mường Tè, Xã Can Hồ, Xã Bum Tở"
    assert 11 < old.area_km2 < 13.5 and 380 < new.area_km2 < 390  # from the boundaries, not the tables
    assert area_text(old.area_km2, "vi").endswith(" km²") and "," in area_text(old.area_km2, "vi")


def test_profile_lists_every_indicator_once_or_per_value(atlas: Atlas) -> None:
    table = indicator_table(atlas, 2024, "03466", "en")
    assert set(table["Indicator"]) == {i.name_en for i in atlas.catalogue.values()}
    missing = missing_indicators(atlas, 2024, "03466", "en")
    assert sum(len(v) for v in missing.values()) == (table["Value"] == "No data").sum()
    assert "Population" not in missing.get("Population", [])
    public = indicator_table(atlas, 2024, "03466", "en", include_sensitive=False)
    assert atlas.catalogue["security_hotspot"].name_en not in set(public["Indicator"])


def test_completeness_grid(atlas: Atlas) -> None:
    result = completeness(atlas, 2024)
    assert result.grid.shape == (len(atlas.catalogue), 14)
    commune_rows = atlas.values[(atlas.values["vintage"] == 2024) & (atlas.values["unit_code"] != "107")
                                & (atlas.values["kind"] != "target")]  # plan designations are targets
    assert result.filled == commune_rows.groupby(["indicator", "unit_code"]).ngroups
    assert result.grid.loc["population", "03448"] == "uncertain"
    assert result.grid.loc["area", "03451"] == "verified"  # one verified value is enough
    assert result.grid.loc["poverty_rate", "03448"] == ""
    counts = unit_counts(atlas, result, 2024, "vi").set_index("Mã")
    assert counts.loc["03439", "Chỉ tiêu có số liệu"] == 9  # the plan's 2025 lists are targets, not data
    public = completeness(atlas, 2024, include_sensitive=False)
    assert public.cells == result.cells - 14 and public.filled == result.filled - 3  # 3 hotspots named


def test_target_tables_in_both_languages(atlas: Atlas) -> None:
    rows = district_targets(atlas.values, atlas.catalogue)
    frame = targets_frame(rows, "en")
    assert list(frame["Heading"].unique()) == ["Economy", "Infrastructure", "Education", "Health",
                                                "Labour and poverty", "Culture", "Environment"]
    grain = frame[frame["Indicator"] == "Cereal output"].iloc[0]
    assert grain["Latest result"] == "5,375 tonnes" and grain["Flags"] == "estimate"
    assert grain["Status"] == "Periods differ: not judged" and grain["2025 target"] == "17,860 tonnes"
    health = dict(group_by_heading(rows))["health"]
    html = targets_html(health, "vi")
    assert html.count("<tr data-indicator=") == 6
    assert "0,62 điểm ‰" in html and "−0,08 điểm ‰" in html and "+2,38 điểm %" in html


def test_status_legend_explains_no_direction_only_when_used() -> None:
    assert "status-no_direction" not in status_legend_html("vi", {"behind"})
    legend = status_legend_html("en", {"no_direction"})
    assert "status-no_direction" in legend and "only the gap is shown" in legend
    assert legend.count('class="badge') == 5
