"""The layers of ``mutte_geo`` (pyproject.toml, [tool.importlinter]) hold, and the check can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from mutte_geo.core.paths import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "mutte_geo", tmp_path / "mutte_geo",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_its_layers() -> None:
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_lower_layer_importing_a_higher_one_is_reported(tmp_path: Path) -> None:
    root = _copy_package(tmp_path)
    units = root / "mutte_geo" / "model" / "units.py"
    units.write_text(units.read_text() + "\nfrom mutte_geo.maps import webmap  # deliberate violation\n")
    result = _lint(root)
    assert result.returncode == 1
    assert "mutte_geo.model.units -> mutte_geo.maps.webmap" in result.stdout


def test_streamlit_outside_the_ui_layer_is_reported(tmp_path: Path) -> None:
    root = _copy_package(tmp_path)
    view = root / "mutte_geo" / "maps" / "view.py"
    view.write_text(view.read_text() + "\nimport streamlit  # deliberate violation\n")
    result = _lint(root)
    assert result.returncode == 1
    assert "mutte_geo.maps.view -> streamlit" in result.stdout


def test_architecture_md_names_only_real_modules_and_functions() -> None:
    import importlib
    import re

    text = (PROJECT_ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layers = "core|model|storage|analysis|maps|exports|ui|cli"
    names = set(re.findall(rf"`((?:{layers})\.[a-z_]+(?:\.[A-Za-z_]+)?)", text))
    assert len(names) > 40
    missing = []
    for name in sorted(names):
        parts = name.split(".")
        module = importlib.import_module("mutte_geo." + ".".join(parts[:2]))
        if len(parts) == 3 and not hasattr(module, parts[2]):
            missing.append(name)
    assert missing == []
