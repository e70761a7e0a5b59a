"""``python -m mutte_geo import FILE [--dry-run]``: the import page's checks and report on the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mutte_geo.model.indicators import UnitsByVintage


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("import", help="check a CSV/XLSX file of indicator values and write it to the store, "
                                 "or check a boundary file (GeoJSON, GeoPackage, zipped Shapefile)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    parser.add_argument("--vintage", default="",
                        help="boundary vintage of a wide sheet or a boundary file (default 2024)")
    parser.add_argument("--period", default="", help="period of a wide sheet, e.g. 2024 or 2024-H1")
    parser.add_argument("--kind", default="", help="actual, estimate or target (wide sheet)")
    parser.add_argument("--source", default="", help="source of a wide sheet's values")
    parser.add_argument("--sheet", default="", help="the worksheet to read when a workbook has several")
    parser.add_argument("--accept-unusual", action="store_true",
                        help="write values flagged as unusual (far beyond every stored value of the indicator)")
    parser.add_argument("--user", default="", help="the account submitting the values (default: the login name); "
                        "its units limit what the file may hold")
    parser.add_argument("--lang", choices=("vi", "en"), default="en")
    parser.add_argument("--database", default=None, help="store URL (default MUTTE_DATABASE_URL or the SQLite file)")


def _import_boundaries(data: bytes, args: argparse.Namespace, units: UnitsByVintage) -> int:
    """A boundary file: the check report; unless --dry-run, the clean layer under data/store/."""
    from mutte_geo.core.i18n import tr
    from mutte_geo.core.paths import DATA_DIR
    from mutte_geo.storage.boundaryimport import accept, check_boundaries

    vintage = int(args.vintage or 2024)
    report = check_boundaries(data, args.file.name, vintage=vintage, units=units[vintage])
    for line in report.lines(args.lang):
        print(line, file=sys.stderr if line.startswith("ERROR") else sys.stdout)
    if not report.ok:
        return 1
    if args.dry_run:
        print(tr(args.lang, "Chạy thử: không ghi gì.", "Dry run: nothing written."))
        return 0
    path = accept(report, DATA_DIR / "store")
    print(tr(args.lang, f"Đã ghi {path}; để ứng dụng dùng ranh giới này, đặt MUTTE_BOUNDARIES_{vintage}={path}",
             f"Written {path}; to use these boundaries in the app set MUTTE_BOUNDARIES_{vintage}={path}"))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Print the report; 0 when the file is clean (and written unless --dry-run), 1 on any problem."""
    from mutte_geo.core.errors import ValidationError
    from mutte_geo.core.i18n import tr
    from mutte_geo.model.catalogue import load_catalogue
    from mutte_geo.model.units import VINTAGES, load_units
    from mutte_geo.storage.accounts import AccountStore
    from mutte_geo.storage.auth import load_accounts
    from mutte_geo.storage.importer import Options
    from mutte_geo.storage.stewardship import check_file, open_store, report_lines, submit
    from mutte_geo.storage.store import StoreUnavailable

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"ERROR {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    from mutte_geo.storage.boundaryimport import is_boundary_file

    units = {v: load_units(v) for v in VINTAGES}
    if is_boundary_file(args.file.name):
        return _import_boundaries(data, args, units)
    catalogue = load_catalogue()
    store = open_store(catalogue, units, args.database)
    accounts = AccountStore(store.engine)
    accounts.bootstrap(load_accounts())
    login = args.user or getpass.getuser()
    account = accounts.get(login)
    if (account is None or account.disabled) and not (args.dry_run and not args.user):
        print(f"ERROR {login}: " + tr(args.lang, "không phải tài khoản đang hoạt động của kho số liệu này; số liệu "
                                      "được gửi bởi một tài khoản (--user TÊN)", "not an active account of this store; "
                                      "values are submitted by an account (--user LOGIN)"), file=sys.stderr)
        return 1
    user = None if account is None or account.disabled else account.user
    options = Options(vintage=args.vintage, period=args.period, kind=args.kind, source=args.source, sheet=args.sheet)
    report = check_file(store, data, args.file.name, catalogue=catalogue, units=units, options=options, user=user)
    for line in report_lines(report, args.lang):
        print(line, file=sys.stderr if line.startswith(("ERROR", "UNUSUAL")) else sys.stdout)
    if not report.ok:
        return 1
    if args.dry_run or not report.changes:
        print(tr(args.lang, "Chạy thử: không ghi gì.", "Dry run: nothing written.") if args.dry_run else
              tr(args.lang, "Không có gì thay đổi.", "Nothing to change."))
        return 0
    if report.unusual and not args.accept_unusual:
        print(tr(args.lang, f"{len(report.unusual)} giá trị bất thường: kiểm tra rồi chạy lại với --accept-unusual; "
                            "không có gì được ghi.",
                 f"{len(report.unusual)} unusual value(s): check them, then run again with --accept-unusual; "
                 "nothing was written."), file=sys.stderr)
        return 1
    assert user is not None
    try:
        sent = submit(store, report, user=user, units=units)
    except ValidationError as exc:
        for problem in exc.problems:
            print(f"ERROR {problem.describe(args.lang)}", file=sys.stderr)
        return 1
    except StoreUnavailable as exc:
        print(f"ERROR {exc.describe(args.lang)}", file=sys.stderr)
        return 1
    print(tr(args.lang, f"Đã gửi {len(sent)} giá trị, đang chờ duyệt.",
             f"Submitted {len(sent)} value(s); waiting for approval."))
    return 0
