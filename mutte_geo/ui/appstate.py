"""Streamlit glue shared by the pages: cached data, language, and clear error screens."""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import replace

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from mutte_geo.analysis.consistency import atlas_inconsistencies
from mutte_geo.core.errors import AtlasError, ValidationError
from mutte_geo.core.i18n import gettext
from mutte_geo.maps.viewstate import decode_lang, decode_region, decode_vintage
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.regions import DEFAULT_REGION, load_pack
from mutte_geo.storage.approval import Approvals
from mutte_geo.storage.auth import User, visible_catalogue, visible_values
from mutte_geo.storage.ntmstore import NtmStore
from mutte_geo.storage.stewardship import atlas_from_store, atlas_with_submitted, open_store
from mutte_geo.storage.store import Store, StoreUnavailable
from mutte_geo.ui.authpage import current_user, include_submitted
from mutte_geo.ui.markdown import md_escape

logger = logging.getLogger(__name__)
REGION_PAGES = ("map", "filter", "import", "edit", "review", "history", "users")  # pages that show any region;
# the others show Mường Tè and say so


@st.cache_resource(show_spinner=False)
def _load_atlas() -> Atlas:
    atlas = Atlas.load()
    for vintage in atlas.units:
        atlas.web_layer(vintage)
    _keep_long_lived()
    return atlas


def _keep_long_lived() -> None:
    """What is alive now (atlases, modules) lives as long as the server: keep it out of Python's full
    garbage collections, which otherwise walk this whole heap. Streamlit's own full collection after
    every script run is off (runner.postScriptGC in .streamlit/config.toml; bench/run.py --ws-load
    measures both). Called when an atlas is built."""
    gc.collect()
    gc.freeze()


def warm_up() -> None:
    """Build what the first visitor needs before they ask (see mutte_geo.ui.serve): the atlas, the
    store's atlas and the one anonymous visitors see, with their inconsistencies.

    A failure is left to the first page, which shows it to the user with what to do.
    """
    try:
        for atlas in {_atlas_from_store(), _visible_atlas(_atlas_from_store(), None)}:
            atlas_inconsistencies(atlas)
    except (AtlasError, SQLAlchemyError) as exc:
        logger.warning("warm-up stopped, the first page will report it: %s", exc)
        return
    _keep_long_lived()


@st.cache_resource(show_spinner=False)
def value_store() -> Store:
    """The indicator value store (SQLite, or PostgreSQL with MUTTE_DATABASE_URL), seeded on first use."""
    base = _load_atlas()
    return open_store(base.catalogue, base.units)


@st.cache_resource(show_spinner=False)
def ntm_store() -> NtmStore:
    """The NTM assessments, in the value store's database."""
    return NtmStore(value_store())


# version -> (base atlas, atlas with the store's values); checked against store.version() on every rerun,
# so a change made by any process (or a cleared _load_atlas) is picked up.
_by_version: dict[int, tuple[Atlas, Atlas]] = {}


_building = threading.Lock()  # the warm-up and the first visitor build it once, not side by side


def _atlas_from_store() -> Atlas:
    base, store = _load_atlas(), value_store()
    version = store.version()
    hit = _by_version.get(version)
    if hit is None or hit[0] is not base:
        with _building:
            hit = _by_version.get(version)
            if hit is None or hit[0] is not base:
                hit = (base, atlas_from_store(base, store))
                _by_version.clear()
                _by_version[version] = hit
                _keep_long_lived()
    return hit[1]


# The store's atlas and the same atlas limited to the non-sensitive indicators, kept so that work
# cached on an atlas (e.g. its inconsistencies) is not redone on every rerun.
_limited: list[tuple[Atlas, Atlas]] = []


def _visible_atlas(atlas: Atlas, user: User | None) -> Atlas:
    catalogue = visible_catalogue(atlas.catalogue, user)
    if len(catalogue) == len(atlas.catalogue):
        return atlas
    if not _limited or _limited[0][0] is not atlas:
        limited = replace(atlas, catalogue=catalogue, values=visible_values(atlas.values, catalogue))
        _limited[:] = [(atlas, limited)]
        _keep_long_lived()
    return _limited[0][1]


_held_approvals: list[Approvals] = []


def approvals() -> Approvals:
    """Submissions, locks and approval steps of the value store."""
    store = value_store()
    if not _held_approvals or _held_approvals[0].store is not store:
        _held_approvals[:] = [Approvals(store)]
    return _held_approvals[0]


# (store version, pending submissions, language) -> atlas including them; one entry
_with_submitted: dict[tuple, Atlas] = {}


def _atlas_with_submitted(user: User, lang: str) -> Atlas:
    pending = approvals().submissions(user, ("submitted",))
    if pending.empty:
        return _atlas_from_store()
    st.warning(gettext(lang, "Showing {n_pending} value(s) waiting for approval too, marked “NOT APPROVED” "
                             "(uncertain).").format(n_pending=len(pending)))
    key = (value_store().version(), tuple(zip(pending["id"], pending["version"])), lang, user.units)
    if key not in _with_submitted:
        _with_submitted.clear()
        _with_submitted[key] = atlas_with_submitted(_load_atlas(), value_store(), pending, lang)
    return _with_submitted[key]


def atlas_or_stop(lang: str) -> Atlas:
    """The atlas with the store's current (approved) values — plus the marked submitted ones when the
    user switched them on — and only the indicators the user may see; or a clear message and a stopped page."""
    try:
        user = current_user()
        if user is not None and include_submitted():
            return _visible_atlas(_atlas_with_submitted(user, lang), user)
        return _visible_atlas(_atlas_from_store(), user)
    except SQLAlchemyError as exc:
        st.error(gettext(lang, "Cannot reach the value database: ")
                 + type(exc).__name__)
    except StoreUnavailable as exc:
        st.error(gettext(lang, "The value database cannot be used: ")
                 + md_escape(exc.describe(lang)))
    except ValidationError as exc:
        st.error(gettext(lang, "The indicator data has problems; the app cannot show it yet:"))
        st.markdown("\n".join(f"- {md_escape(p.describe(lang))}" for p in exc.problems[:50])
                    + (f"\n- … (+{len(exc.problems) - 50})" if len(exc.problems) > 50 else ""))
    except AtlasError as exc:
        st.error(gettext(lang, "Cannot load the boundary data: ") + md_escape(exc))
    st.stop()
    raise AssertionError("unreachable")


def current_lang() -> str:
    """The language of the view in the URL (mutte_geo.ui.viewstate)."""
    return decode_lang(st.query_params.to_dict())


def current_vintage() -> int:
    """Boundary vintage of the view in the URL (2024: 14 units; 2025: the new communes), one the region has."""
    return decode_vintage(st.query_params.to_dict())


def current_region() -> str:
    """Region pack of the view in the URL: a stable id, ``mutte`` (the default) or ``laichau``."""
    return decode_region(st.query_params.to_dict())


def region_atlas_or_stop(lang: str, atlas: Atlas | None = None) -> Atlas:
    """``atlas`` (default :func:`atlas_or_stop`) shown over the chosen region's units (the same store's
    values); or a clear message naming the region's file and a stopped page."""
    atlas = atlas if atlas is not None else atlas_or_stop(lang)
    try:
        return atlas.in_region(current_region())
    except ValidationError as exc:
        st.error(gettext(lang, "The region's data has problems: ")
                 + md_escape("; ".join(p.describe(lang) for p in exc.problems[:20])))
    except AtlasError as exc:
        st.error(gettext(lang, "Cannot load the region's data: ") + md_escape(exc))
    st.stop()
    raise AssertionError("unreachable")


def region_notice(page_path: str, lang: str) -> None:
    """On a page that shows Mường Tè only, say so when another region is chosen."""
    region = current_region()
    if region != DEFAULT_REGION and page_path not in REGION_PAGES:
        home, chosen = load_pack(DEFAULT_REGION), load_pack(region)
        home_name, chosen_name = home.name(lang), chosen.name(lang)
        st.info(gettext(lang, "This page shows {home_name} only; {chosen_name} is on the Indicator map and "
                              "Filter communes pages.").format(home_name=home_name, chosen_name=chosen_name))
