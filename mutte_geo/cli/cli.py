"""Command line: ``python -m mutte_geo install-data | check | export | import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from mutte_geo.core.errors import AtlasError, ValidationError
from mutte_geo.core.paths import DEFAULT_SHARED_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutte_geo", description="Mường Tè commune atlas")
    commands = parser.add_subparsers(dest="command", required=True)
    install = commands.add_parser("install-data", help="install boundaries and reference tables from shared/")
    install.add_argument("--source", type=Path, default=DEFAULT_SHARED_DIR,
                         help="folder holding data/boundaries and data/reference (default ../shared)")
    commands.add_parser("check", help="validate the installed data and print a short report")
    from mutte_geo.cli.export import add_export_parser

    add_export_parser(commands)
    from mutte_geo.cli.importcli import add_import_parser

    add_import_parser(commands)
    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            from mutte_geo.cli.importcli import run_import

            return run_import(args)
        if args.command == "export":
            from mutte_geo.cli.export import run_export
            from mutte_geo.model.atlas import Atlas
            from mutte_geo.storage.stewardship import atlas_from_store, open_store

            base = Atlas.load()  # the values come from the store, as on every page
            return run_export(args, atlas_from_store(base, open_store(base.catalogue, base.units)))
        if args.command == "install-data":
            from mutte_geo.model.datasetup import install_data

            for line in install_data(args.source):
                print(line)
            return 0
        return _check()
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"ERROR {problem.describe('en')}", file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:  # a read outside the store's own handling: a message, not SQL
        from mutte_geo.storage.store import plain_store_error

        print(f"ERROR {plain_store_error(exc)}", file=sys.stderr)
        return 1


def _check() -> int:
    from mutte_geo.analysis.consistency import atlas_inconsistencies
    from mutte_geo.model.atlas import Atlas
    from mutte_geo.model.boundaries import coverage_gaps_and_overlaps

    atlas = Atlas.load()
    print("boundaries: SHA-256 match PROVENANCE.md")
    problems = 0
    for vintage in sorted(atlas.units):
        layer = atlas.boundaries(vintage)
        overlap, gaps = coverage_gaps_and_overlaps(layer)
        invalid = int((~layer.is_valid).sum())
        print(f"boundaries {vintage}: {len(layer)} units, codes match reference, "
              f"{invalid} invalid, overlaps {overlap:.3f} km², gaps {gaps:.3f} km², "
              f"total {layer['area_km2'].sum():,.1f} km²")
        problems += invalid
    values = atlas.values
    print(f"indicators: {len(atlas.catalogue)} in catalogue, {len(values)} values "
          f"({(values['status'] == 'UNCERTAIN').sum()} uncertain) in {values['file'].nunique()} files")
    for issue in atlas_inconsistencies(atlas):
        print(f"inconsistency (kept as published): {issue.indicator} {issue.period}: {issue.describe('en')}")
    print("OK" if problems == 0 else f"{problems} problem(s)")
    return 0 if problems == 0 else 1
