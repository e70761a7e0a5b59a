"""The commune atlas and the leaders' brief (PDF): pages, text against the stored values, sensitive
layers, the command line; pages rendered to PNG (PyMuPDF) into test-artifacts/ for a look."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pymupdf
import pytest

from mutte_geo.analysis.targets import atlas_targets, status_label
from mutte_geo.cli.cli import main
from mutte_geo.core.errors import ExportError
from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.exports.brief import brief_pdf, largest_gaps
from mutte_geo.exports.commune_atlas import commune_atlas_pdf
from mutte_geo.maps.attentionmap import flagged_units
from mutte_geo.model.join import value_text
from mutte_geo.storage.auth import User

from .conftest import ARTIFACTS

DAY = dt.date(2025, 7, 1)
EDITOR = User("lan", "editor")


def pages_text(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [" ".join(unicodedata.normalize("NFC", page.get_text()).split()) for page in doc]


def render(data: bytes, name: str, dpi: int = 60) -> list[np.ndarray]:
    """Every page as an RGB array, also saved as test-artifacts/<name>_<n>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    images = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            pixmap = page.get_pixmap(dpi=dpi)
            pixmap.save(str(ARTIFACTS / f"{name}_{number:02d}.png"))
            images.append(np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(pixmap.height, pixmap.width, -1))
    return images


@pytest.fixture(scope="module")
def atlas_2024(atlas) -> bytes:  # type: ignore[no-untyped-def]
    return commune_atlas_pdf(atlas, 2024, "vi", user=None, export_date=DAY)


def test_atlas_has_cover_contents_and_a_page_per_unit(atlas, atlas_2024) -> None:  # type: ignore[no-untyped-def]
    texts = pages_text(atlas_2024)
    units = atlas.units[2024]
    assert len(texts) == 2 + len(units)  # every unit's values fit one page
    assert "ATLAS XÃ MƯỜNG TÈ" in texts[0] and "ranh giới năm 2024 (14 xã, thị trấn)" in texts[0]
    assert texts[1].startswith("MỤC LỤC")
    for number, code in enumerate(sorted(units), start=1):
        label = units[code].label("vi")
        assert f"{number}. {label} ({code}) {number + 2}" in texts[1]  # contents give the right page
        page = texts[number + 1]
        assert f"{label} Mã {code} · ranh giới năm 2024" in page, page[:200]
        assert page.rstrip().endswith(str(number + 2))  # page number in the footer
        assert "Ranh giới mang tính tham khảo" in page


def test_atlas_pages_list_each_stored_value_with_period_and_source(atlas, atlas_2024) -> None:  # type: ignore[no-untyped-def]
    texts = pages_text(atlas_2024)
    values = atlas.values
    code = "03439"  # Ka Lăng: many values
    page = texts[2 + sorted(atlas.units[2024]).index(code)]
    rows = values[(values["vintage"] == 2024) & (values["unit_code"] == code)
                  & (values["indicator"] != "security_hotspot")]
    assert len(rows) >= 5
    squeezed = page.replace(" ", "")
    for _, row in rows.iterrows():
        indicator = atlas.catalogue[row["indicator"]]
        assert value_text(indicator, row, "vi").replace(" ", "") in squeezed, row["indicator"]
    assert "Báo cáo định hướng xây dựng kế hoạch" in page
    assert "https://muongte.laichau.gov.vn/about/Gioi-thieu-chung.html".replace(" ", "") in squeezed


def test_atlas_pages_render_and_show_the_unit_highlighted(atlas_2024) -> None:  # type: ignore[no-untyped-def]
    images = render(atlas_2024, "atlas_v2024")
    assert len(images) == 16
    for image in images:
        assert image.shape[:2] == (702, 497)  # A4 at 60 dpi
        assert (image < 200).mean() > 0.01  # not blank
    orange = np.array([0xE6, 0x9F, 0x00])
    highlighted = [(np.abs(img[..., :3].astype(int) - orange).sum(axis=-1) < 40).sum() for img in images]
    assert highlighted[0] == highlighted[1] == 0  # cover and contents: no unit singled out
    assert all(h > 0 for h in highlighted[2:])


def test_atlas_of_one_unit_and_of_the_2025_communes(atlas) -> None:  # type: ignore[no-untyped-def]
    one = pages_text(commune_atlas_pdf(atlas, 2025, "en", user=None, codes=["03433"], export_date=DAY))
    # one unit's page, continued on titled pages when its values do not fit
    assert "Bum Tở commune Code 03433 · 2025 boundaries" in one[0] and all("Bum Tở" in page for page in one)
    whole = pages_text(commune_atlas_pdf(atlas, 2025, "en", user=None, export_date=DAY))
    assert len(whole) >= 2 + 8 and "(8 communes)" in " ".join(whole[0].split())  # cover, contents, 8 units
    with pytest.raises(ExportError, match="unknown unit codes in vintage 2024: 12345"):
        commune_atlas_pdf(atlas, 2024, "vi", user=None, codes=["12345"])


def test_the_sensitive_layer_is_not_in_a_visitors_atlas_or_brief(atlas) -> None:  # type: ignore[no-untyped-def]
    name = atlas.catalogue["security_hotspot"].name_vi
    visitor_atlas = " ".join(pages_text(commune_atlas_pdf(atlas, 2024, "vi", user=None, codes=["03442"])))
    editor_atlas = " ".join(pages_text(commune_atlas_pdf(atlas, 2024, "vi", user=EDITOR, codes=["03442"])))
    assert name in editor_atlas  # the check can fail: Pa Ủ is named a hotspot
    assert name not in visitor_atlas
    visitor_brief = " ".join(pages_text(brief_pdf(atlas, "vi", user=User("v", "viewer"))))
    editor_brief = " ".join(pages_text(brief_pdf(atlas, "vi", user=EDITOR)))
    assert "An ninh trật tự phức tạp" in editor_brief
    assert "An ninh" not in visitor_brief and "▲" not in visitor_brief


def test_brief_is_one_page_with_counters_attention_and_largest_gaps(atlas) -> None:  # type: ignore[no-untyped-def]
    data = brief_pdf(atlas, "vi", user=EDITOR, export_date=DAY)
    texts = pages_text(data)
    assert len(texts) == 1
    text = texts[0]
    rows = atlas_targets(atlas)
    on_track = sum(r.status == "on_track" for r in rows)
    behind = sum(r.status == "behind" for r in rows)
    assert f"{status_label('on_track', 'vi')} {on_track}/{len(rows)}" in text
    assert f"{status_label('behind', 'vi')} {behind}/{len(rows)}" in text
    for code in flagged_units(atlas, "attendance_priority"):
        assert atlas.units[2024][code].name_vi in text
    gaps = largest_gaps(rows)
    assert gaps and len(gaps) <= 8
    relative = [abs(r.gap or 0) / r.target for r in gaps]
    assert relative == sorted(relative, reverse=True)
    # vocational training (190 trainees against 1,100 workers) is defined differently: never a gap
    assert "vocational_training" not in {r.indicator.id for r in gaps}
    assert all(r.indicator.name("vi") in " ".join(text.split()) for r in gaps[:3])
    image = render(data, "brief_vi", dpi=60)[0]
    assert (image < 200).mean() > 0.02


def test_cli_makes_docx_atlas_and_brief(tmp_path: Path) -> None:
    out = tmp_path / "report.docx"  # one real `python -m mutte_geo` run; the others in-process (faster)
    result = subprocess.run([sys.executable, "-m", "mutte_geo", "export", "--format", "docx", "--indicator",
                             "population", "--out", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"PK\x03\x04"
    for fmt, extra in (("atlas", ["--unit", "3433", "--lang", "en"]), ("brief", [])):
        path = tmp_path / f"report_{fmt}.pdf"
        assert main(["export", "--format", fmt, "--out", str(path), *extra]) == 0
        assert path.read_bytes()[:4] == b"%PDF"
    assert "Mường Tè town Code 03433 · 2024 boundaries" in pages_text((tmp_path / "report_atlas.pdf").read_bytes())[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "docx"], "error: choose at least one indicator for the report"),
    (["--format", "docx", "--indicator", "security_hotspot"], "error: unknown indicator 'security_hotspot'"),
    (["--format", "docx", "--indicator", "income_per_capita", "--vintage", "2025"],
     "has no values in the 2025 boundaries"),
    (["--format", "atlas", "--unit", "99999"], "error: unknown unit codes in vintage 2024: 99999"),
    (["--format", "brief", "--user", "nobody"], "error: unknown user 'nobody'"),
    (["--format", "png"], "error: choose an indicator with --indicator"),
])
def test_cli_refuses_a_bad_choice_and_writes_nothing(tmp_path, capsys, args, message) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bad.out"
    assert main(["export", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_cli_user_decides_whether_the_sensitive_layer_is_shown(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from mutte_geo.storage.auth import hash_password

    users = tmp_path / "users.json"  # TEST DATA: two accounts for this test only
    users.write_text(json.dumps({"users": {
        "lan": {"role": "editor", "password": hash_password("x" * 12)},
        "khach": {"role": "viewer", "password": hash_password("y" * 12)},
    }}), encoding="utf-8")
    monkeypatch.setenv("MUTTE_USERS_FILE", str(users))
    texts = {}
    for login in ("lan", "khach"):
        out = tmp_path / f"{login}.pdf"
        assert main(["export", "--format", "brief", "--user", login, "--out", str(out)]) == 0
        texts[login] = " ".join(pages_text(out.read_bytes()))
    assert "An ninh trật tự phức tạp" in texts["lan"] and "An ninh" not in texts["khach"]
