"""What a user sees when data is missing or broken: a clear message, never a traceback."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mutte_geo.core.errors import BoundaryError
from mutte_geo.core.formatting import format_plain
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.model.boundaries import DISTRICT_LAEA, boundary_path
from mutte_geo.storage.importer import MAX_BYTES
from mutte_geo.ui.appstate import _load_atlas
from mutte_geo.ui.markdown import md_escape


@pytest.fixture
def fresh_cache():  # type: ignore[no-untyped-def]
    _load_atlas.clear()
    yield
    _load_atlas.clear()


def test_a_user_boundary_file_that_does_not_exist_is_named(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "ranh_gioi.gpkg"
    monkeypatch.setenv("MUTTE_BOUNDARIES_2024", str(missing))
    with pytest.raises(BoundaryError, match=f"{missing}.*does not exist"):
        boundary_path(2024)


def test_the_app_shows_the_problem_instead_of_a_traceback(monkeypatch, tmp_path: Path, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "xa.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}')
    monkeypatch.setenv("MUTTE_BOUNDARIES_2024", str(bad))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages/map.py"), default_timeout=60)
    at.query_params["lang"] = "vi"
    at.run()
    assert not at.exception
    [error] = at.error
    assert "Không tải được dữ liệu ranh giới" in error.value
    assert md_escape(str(bad)) in error.value  # shown as written, never as Markdown


def test_a_user_geopackage_replaces_the_default_layer(monkeypatch, tmp_path: Path, atlas, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    # TEST DATA: the installed 2024 layer with every unit shrunk 100 m inwards (still inside its 2025 commune),
    # so each unit has less area than the installed one and the profile page shows which layer the app read.
    layer = atlas.boundaries(2024)[["code", "geometry"]].rename(columns={"code": "gso_code"}).to_crs(DISTRICT_LAEA)
    layer["geometry"] = layer.geometry.buffer(-100)
    user_area = float(layer.set_index("gso_code").loc["03448"].geometry.area / 1e6)
    path = tmp_path / "xa_thu_nghiem.gpkg"
    layer.to_file(path)
    monkeypatch.setenv("MUTTE_BOUNDARIES_2024", str(path))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages/profile.py"), default_timeout=60)
    at.query_params["lang"] = "vi"
    at.query_params["unit"] = "2024:03448"
    at.run()
    assert not at.exception and [e.value for e in at.error] == []
    real = float(atlas.boundaries(2024).set_index("code").loc["03448", "area_km2"])
    text = "\n".join(m.value for m in at.markdown)
    assert format_plain(user_area, "vi", 2) != format_plain(real, "vi", 2)
    assert f"{format_plain(user_area, 'vi', 2)} km²" in text
    assert f"{format_plain(real, 'vi', 2)} km²" not in text


def test_usage_statistics_are_off_and_static_serving_on() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit/config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["enableStaticServing"] is True
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES  # the upload box states the import limit


def test_no_full_garbage_collection_after_every_script_run() -> None:
    # About 45 ms of server CPU per indicator change for no memory gain (bench/run.py --ws-load).
    config = tomllib.loads((PROJECT_ROOT / ".streamlit/config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
