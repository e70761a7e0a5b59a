"""End to end: the comparison page draws both vintages and the merge map, offline."""

from __future__ import annotations

import pytest

from .conftest import map_frame

pytestmark = pytest.mark.e2e


def test_compare_page_draws_the_merge_of_both_layers_offline(page, app_url):  # type: ignore[no-untyped-def]
    page.goto(app_url)
    page.get_by_role("link", name="So sánh 2024 – 2025").click()
    merge = map_frame(page, legend_contains="Sắp xếp đơn vị hành chính 2025")
    assert merge.locator("path.leaflet-interactive").count() == 8 + 14
    assert merge.locator("path[stroke-dasharray]").count() == 14  # the 2024 units, dashed
    legend = merge.locator(".merge-legend").inner_text()
    assert "Hua Bum" in legend and "27%" in legend
    assert "HUA BUM ↗" in merge.locator(".new-commune-label").all_inner_texts()
    assert "TT. Mường Tè" in merge.locator(".old-unit-label").all_inner_texts()
    assert "Ranh giới mang tính tham khảo" in merge.locator(".leaflet-control-attribution").text_content()
    assert page.external_requests == []
