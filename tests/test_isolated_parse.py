"""The import page's parser child: same result as in-process, stopped with a message when it needs too
much memory or time (the limits are lowered here to make that happen with a small TEST DATA file)."""

from __future__ import annotations

from mutte_geo.storage import isolated
from mutte_geo.storage.importer import Options, parse_file

TEXT = "# period: 2024\n# kind: actual\n# source: TEST DATA\nunit_code;households\n03442;812\n03445;1.034\n"


def test_the_child_returns_what_parse_file_returns(catalogue, units) -> None:  # type: ignore[no-untyped-def]
    here = parse_file(TEXT.encode(), "a.csv", catalogue=catalogue, units=units, options=Options())
    there = isolated.parse_isolated(TEXT.encode(), "a.csv", catalogue=catalogue, units=units)
    assert there.problems == here.problems == []
    assert there.rows.equals(here.rows) and there.layout == "wide"


def test_a_child_out_of_memory_is_a_refusal(catalogue, units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(isolated, "MEMORY_BYTES", 64 * 1024 * 1024)  # too little even to import pandas
    parsed = isolated.parse_isolated(TEXT.encode(), "a.csv", catalogue=catalogue, units=units)
    assert [p.reason_en for p in parsed.problems] == [
        "the file needs too much memory or time to read and was stopped: split the file"]


def test_a_slow_child_is_stopped(catalogue, units, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(isolated, "WALL_SECONDS", 0.05)
    parsed = isolated.parse_isolated(TEXT.encode(), "a.csv", catalogue=catalogue, units=units)
    assert [p.reason_en for p in parsed.problems] == [
        "reading the file took more than 0.05 s and was stopped: split the file"]
