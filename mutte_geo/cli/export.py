"""``python -m mutte_geo export``: a map (png/pdf/svg/html), its data, a report pack, a Word report (docx), the
commune atlas or the leaders' brief, from the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from mutte_geo.core.errors import ExportError
from mutte_geo.exports.formats import FORMATS, PACK_FORMATS, check_request, export_bytes
from mutte_geo.exports.pack import report_pack_pdf, report_pack_zip
from mutte_geo.maps.printoptions import DPIS, ORIENTATIONS, PAPERS_MM, PrintOptions
from mutte_geo.maps.view import MapRequest, map_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.indicators import KIND_CHOICES, LATEST, kinds_of
from mutte_geo.model.units import VINTAGES, normalise_code


def add_export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``export`` subcommand's arguments (format and values checked by ``run_export``)."""
    export = commands.add_parser("export", help="export a map (png/pdf/svg/html), its data, a report pack, "
                                 "a Word report (docx), the commune atlas or the leaders' brief")
    export.add_argument("--indicator", action="append", default=[],
                        help="indicator id; repeat it for a report pack (pack-pdf, pack-zip) or a Word report (docx)")
    export.add_argument("--period", default=LATEST, help="period, e.g. 2024 or 2024-H1 (default: latest)")
    export.add_argument("--format", dest="fmt", default=None, help=f"one of {', '.join(FORMATS)}, docx, atlas, "
                                                                    "brief (default: from the --out suffix)")
    export.add_argument("--out", type=Path, required=True, help="output file")
    export.add_argument("--vintage", default="2024", help="boundary vintage: 2024 or 2025")
    export.add_argument("--kind", default="actual", help="actual (actual/estimate) or target")
    export.add_argument("--paper", default="a4", help="a4 or a3")
    export.add_argument("--orientation", default="portrait", help="portrait or landscape")
    export.add_argument("--dpi", default="150", help="150 or 300 (PNG)")
    export.add_argument("--lang", default="vi", help="vi or en")
    export.add_argument("--title", default=None)
    export.add_argument("--subtitle", default=None)
    export.add_argument("--highlight", default=None, help="unit codes to outline, comma-separated")
    export.add_argument("--unit", action="append", default=None, help="atlas: only this unit's page (repeatable)")
    export.add_argument("--user", default=None, help="docx/atlas/brief: the account whose view the report shows "
                                                     "(sensitive layers only if it may see them; default: a visitor)")


def run_export(args: argparse.Namespace, atlas: Atlas, ntm_assessments: pd.DataFrame | None = None) -> int:
    """Carry out ``export``; a bad request prints one ``error:`` line and returns 2. ``ntm_assessments``:
    the stored NTM assessments, for the Word report's grid."""
    from mutte_geo.exports.reports import REPORT_FORMATS, cli_user, report_bytes

    try:
        fmt, requests, options = _parse_export(args)
        if fmt in REPORT_FORMATS:
            units = [normalise_code(c) for c in args.unit] if args.unit else None
            data = report_bytes(fmt, atlas, user=cli_user(args.user), indicators=tuple(args.indicator),
                                vintage=int(args.vintage), period=args.period, lang=args.lang, units=units,
                                title=args.title, export_date=options.export_date, ntm_assessments=ntm_assessments)
            return _write(args.out, data, fmt)
        if not requests:
            raise ExportError("choose an indicator with --indicator")
        for request in requests:
            check_request(atlas, request)
        unknown = sorted((options.highlight or frozenset()) - set(atlas.units[requests[0].vintage]))
        if unknown:
            raise ExportError(f"unknown unit codes to highlight in vintage {requests[0].vintage}: {', '.join(unknown)}")
        if fmt in PACK_FORMATS:
            data = (report_pack_pdf if fmt == "pack-pdf" else report_pack_zip)(atlas, requests, options)
        else:
            if len(requests) > 1:
                raise ExportError(f"format '{fmt}' takes one --indicator; use pack-pdf or pack-zip for several")
            data = export_bytes(fmt, atlas, map_view(atlas, requests[0]), request=requests[0], options=options)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _write(args.out, data, fmt)


def _write(out: Path, data: bytes, fmt: str) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out} ({fmt}, {len(data):,} bytes)")
    return 0


def _parse_export(args: argparse.Namespace) -> tuple[str, list[MapRequest], PrintOptions]:
    from mutte_geo.exports.reports import REPORT_FORMATS

    fmt = (args.fmt or args.out.suffix.lstrip(".")).lower()
    if fmt not in (*FORMATS, *REPORT_FORMATS):
        raise ExportError(f"unknown format '{fmt}': choose one of {', '.join((*FORMATS, *REPORT_FORMATS))}")

    def choose(name: str, value: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise ExportError(f"unknown {name} '{value}': choose one of {', '.join(allowed)}")
        return value

    vintage = int(choose("vintage", str(args.vintage), tuple(map(str, VINTAGES))))
    kind = choose("kind", args.kind, tuple(KIND_CHOICES))
    lang = choose("language", args.lang, ("vi", "en"))
    paper = choose("paper", args.paper.lower(), tuple(PAPERS_MM))
    orientation = choose("orientation", args.orientation, ORIENTATIONS)
    dpi = int(choose("dpi", str(args.dpi), tuple(map(str, DPIS))))
    highlight = frozenset(normalise_code(c) for c in args.highlight.split(",") if c.strip()) \
        if args.highlight else None
    options = PrintOptions(paper, orientation, dpi, args.title, args.subtitle, highlight, dt.date.today())
    requests = [MapRequest(i, vintage, args.period, kinds_of(kind), lang) for i in args.indicator]
    return fmt, requests, options
