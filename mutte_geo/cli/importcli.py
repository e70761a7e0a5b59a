"""``python -m mutte_geo import FILE`` and ``ntm-import FILE`` (``--dry-run``, ``--user``): the import pages'
checks and reports on the command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mutte_geo.model.indicators import UnitsByVintage
    from mutte_geo.storage.auth import User
    from mutte_geo.storage.store import Store


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("import", help="check a CSV/XLSX file of indicator values and write it to the store, "
                                 "or check a boundary file (GeoJSON, GeoPackage, zipped Shapefile)")
    _file_arguments(parser, user_help="the account submitting the values (default: the login name); its units "
                    "limit what the file may hold")
    parser.add_argument("--vintage", default="",
                        help="boundary vintage of a wide sheet or a boundary file (default 2024)")
    parser.add_argument("--period", default="", help="period of a wide sheet, e.g. 2024 or 2024-H1")
    parser.add_argument("--kind", default="", help="actual, estimate or target (wide sheet)")
    parser.add_argument("--source", default="", help="source of a wide sheet's values")
    parser.add_argument("--sheet", default="", help="the worksheet to read when a workbook has several")
    parser.add_argument("--accept-unusual", action="store_true",
                        help="write values flagged as unusual (far beyond every stored value of the indicator)")


def _file_arguments(parser: argparse.ArgumentParser, *, user_help: str) -> None:
    """What every import takes: the file, --dry-run, --user, --lang and --database."""
    parser.add_argument("file", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    parser.add_argument("--user", default="", help=user_help)
    parser.add_argument("--lang", choices=("vi", "en"), default="en")
    parser.add_argument("--database", default=None, help="store URL (default MUTTE_DATABASE_URL or the SQLite file)")


def _read(args: argparse.Namespace) -> bytes | None:
    """The file's bytes; None after an error line."""
    try:
        return bytes(args.file.read_bytes())
    except OSError as exc:
        print(f"ERROR {args.file}: {exc.strerror}", file=sys.stderr)
        return None


def _reported(lines: list[str], args: argparse.Namespace, *, ok: bool, changes: bool) -> int | None:
    """Print the report; the exit code when the run ends here (problems, dry run, nothing to change)."""
    from mutte_geo.core.i18n import gettext

    for line in lines:
        print(line, file=sys.stderr if line.startswith(("ERROR", "UNUSUAL")) else sys.stdout)
    if not ok:
        return 1
    if args.dry_run or not changes:
        print(gettext(args.lang, "Dry run: nothing written.") if args.dry_run else
              gettext(args.lang, "Nothing to change."))
        return 0
    return None


def _import_boundaries(data: bytes, args: argparse.Namespace, units: UnitsByVintage) -> int:
    """A boundary file: the check report; unless --dry-run, the clean layer under data/store/."""
    from mutte_geo.core.i18n import gettext
    from mutte_geo.core.paths import DATA_DIR
    from mutte_geo.storage.boundaryimport import accept, check_boundaries

    vintage = int(args.vintage or 2024)
    report = check_boundaries(data, args.file.name, vintage=vintage, units=units[vintage])
    for line in report.lines(args.lang):
        print(line, file=sys.stderr if line.startswith("ERROR") else sys.stdout)
    if not report.ok:
        return 1
    if args.dry_run:
        print(gettext(args.lang, "Dry run: nothing written."))
        return 0
    path = accept(report, DATA_DIR / "store")
    print(gettext(args.lang, "Written {path}; to use these boundaries in the app set "
                             "MUTTE_BOUNDARIES_{vintage}={path}").format(path=path, vintage=vintage))
    return 0


def _account(store: Store, args: argparse.Namespace) -> tuple[bool, User | None]:
    """(False, None) after an error line when ``--user`` (default: the login name) is not an active account of
    the store; a dry run without ``--user`` needs no account (None)."""
    from mutte_geo.core.i18n import gettext
    from mutte_geo.storage.accounts import AccountStore
    from mutte_geo.storage.auth import load_accounts

    accounts = AccountStore(store.engine)
    accounts.bootstrap(load_accounts())
    login = args.user or getpass.getuser()
    account = accounts.get(login)
    if account is not None and not account.disabled:
        return True, account.user
    if args.dry_run and not args.user:
        return True, None
    print(f"ERROR {login}: " + gettext(args.lang, "not an active account of this store; values are "
                                                  "submitted by an account (--user LOGIN)"), file=sys.stderr)
    return False, None


def run_import(args: argparse.Namespace) -> int:
    """Print the report; 0 when the file is clean (and written unless --dry-run), 1 on any problem."""
    from mutte_geo.core.errors import ValidationError
    from mutte_geo.core.i18n import gettext
    from mutte_geo.model.catalogue import load_catalogue
    from mutte_geo.model.regions import store_units
    from mutte_geo.model.units import VINTAGES, load_units
    from mutte_geo.storage.importer import Options
    from mutte_geo.storage.stewardship import check_file, open_store, report_lines, submit
    from mutte_geo.storage.store import StoreUnavailable

    data = _read(args)
    if data is None:
        return 1
    from mutte_geo.storage.boundaryimport import is_boundary_file

    units = {v: load_units(v) for v in VINTAGES}
    if is_boundary_file(args.file.name):
        return _import_boundaries(data, args, units)
    catalogue = load_catalogue()
    store = open_store(catalogue, units, args.database)
    known, user = _account(store, args)
    if not known:
        return 1
    units = store_units(units)  # a file may hold values of every unit the store keeps (the province's too)
    options = Options(vintage=args.vintage, period=args.period, kind=args.kind, source=args.source, sheet=args.sheet)
    report = check_file(store, data, args.file.name, catalogue=catalogue, units=units, options=options, user=user)
    ended = _reported(report_lines(report, args.lang), args, ok=report.ok, changes=bool(report.changes))
    if ended is not None:
        return ended
    if report.unusual and not args.accept_unusual:
        print(gettext(args.lang, "{n_unusual} unusual value(s): check them, then run again with "
                                 "--accept-unusual; nothing was written.").format(
                  n_unusual=len(report.unusual)), file=sys.stderr)
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
    print(gettext(args.lang, "Submitted {n_sent} value(s); waiting for approval.").format(n_sent=len(sent)))
    return 0


def add_ntm_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("ntm-import", help="check a filled NTM assessment workbook (the tracker's template) "
                                 "and write it to the store as the account's revision")
    _file_arguments(parser, user_help="the account writing the results (default: the login name); its units limit "
                    "what the file may hold")
    parser.add_argument("--year", default="", help="assessment year, when the file does not say")
    parser.add_argument("--set", default="", help="criteria set (e.g. 318/QĐ-TTg), when the file does not say")
    parser.add_argument("--vintage", default="", help="boundary vintage of the communes (2024 or 2025)")
    parser.add_argument("--assessor", default="", help="self, district or province, when the file does not say")
    parser.add_argument("--assessed-on", default="", help="assessment date, when the file does not say")
    parser.add_argument("--source", default="", help="source (minutes, report), when the file does not say")


def run_ntm_import(args: argparse.Namespace) -> int:
    """Print the report; 0 when the file is clean (and written unless --dry-run), 1 on any problem."""
    from mutte_geo.core.i18n import gettext
    from mutte_geo.model.catalogue import load_catalogue
    from mutte_geo.model.ntm import load_criteria_sets
    from mutte_geo.model.units import VINTAGES, load_units
    from mutte_geo.storage.accounts import ScopeError
    from mutte_geo.storage.ntm_import import NtmOptions, parse_ntm_file
    from mutte_geo.storage.ntmstore import NtmStore, report_lines
    from mutte_geo.storage.stewardship import open_store
    from mutte_geo.storage.store import ConflictError

    data = _read(args)
    if data is None:
        return 1
    units = {v: load_units(v) for v in VINTAGES}
    store = open_store(load_catalogue(), units, args.database)
    known, user = _account(store, args)
    if not known:
        return 1
    options = NtmOptions(year=args.year, set_id=args.set, assessor=args.assessor, assessed_on=args.assessed_on,
                         source=args.source, vintage=args.vintage)
    ntm = NtmStore(store)
    report = ntm.check(parse_ntm_file(data, args.file.name, sets=load_criteria_sets(), units=units, options=options),
                       user=user)
    ended = _reported(report_lines(report, args.lang), args, ok=report.ok, changes=bool(report.changes))
    if ended is not None:
        return ended
    try:
        revision = ntm.apply(report, user=user)
    except (PermissionError, ConflictError) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    except ScopeError as exc:
        print(f"ERROR {exc.text(args.lang)}", file=sys.stderr)
        return 1
    print(gettext(args.lang, "Saved as revision {revision}.").format(revision=revision))
    return 0
