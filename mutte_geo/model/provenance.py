"""Read the boundary folder's PROVENANCE.md: file checksums and attribution lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_TABLE_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*\|\s*([0-9a-f]{64})\s*\|\s*$")
_QUOTED = re.compile(r'"([^"]+)"')


@dataclass(frozen=True)
class Provenance:
    """Checksums per file name and the attribution lines per boundary vintage."""

    sha256: dict[str, str]
    attribution_current: str
    attribution_pre2025: str
    attribution_always: str

    def attribution(self, vintage: int) -> list[str]:
        """Attribution lines to show with a layer of ``vintage`` (2024 or 2025)."""
        lines = [self.attribution_current]
        if vintage < 2025:
            lines.append(self.attribution_pre2025)
        lines.append(self.attribution_always)
        return lines


def parse_provenance(text: str) -> Provenance:
    """Parse PROVENANCE.md: the checksum table and the attribution bullets."""
    sums = parse_checksums(text)
    section = text.split("## Attribution", 1)[-1].split("\n## ", 1)[0]
    bullets = [" ".join(b.split()) for b in re.split(r"\n- ", "\n" + section)[1:]]
    found: dict[str, str] = {}
    for bullet in bullets:
        quoted = " ".join(_QUOTED.findall(bullet))
        lead = bullet.split(":", 1)[0].lower()
        if lead.startswith("always"):
            found["always"] = quoted
        elif "2025 layer" in lead:
            found["current"] = quoted
        elif "2024 layer" in lead:
            found["pre2025"] = quoted
    missing = {"current", "pre2025", "always"} - found.keys()
    if not sums or missing:
        raise ValueError(f"PROVENANCE.md lacks checksums or attribution lines: {sorted(missing)}")
    return Provenance(sums, found["current"], found["pre2025"], found["always"])


def read_provenance(path: Path) -> Provenance:
    return parse_provenance(path.read_text(encoding="utf-8"))


def parse_checksums(text: str) -> dict[str, str]:
    """The SHA-256 per file name of a PROVENANCE.md table (any folder's: boundaries, a region pack)."""
    return {m.group(1): m.group(2) for m in map(_TABLE_ROW.match, text.splitlines()) if m}
