"""Streamlit glue shared by the pages: cached data, language, and clear error screens."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from mutte_geo.core.errors import AtlasError, ValidationError
from mutte_geo.core.i18n import tr
from mutte_geo.maps.viewstate import decode_lang, decode_vintage
from mutte_geo.model.atlas import Atlas
from mutte_geo.storage.auth import User, visible_catalogue, visible_values
from mutte_geo.storage.stewardship import atlas_from_store, open_store
from mutte_geo.storage.store import Store
from mutte_geo.ui.authpage import current_user


@st.cache_resource(show_spinner=False)
def _load_atlas() -> Atlas:
    return Atlas.load()


@st.cache_resource(show_spinner=False)
def value_store() -> Store:
    """The indicator value store (SQLite, or PostgreSQL with MUTTE_DATABASE_URL), seeded on first use."""
    base = _load_atlas()
    return open_store(base.catalogue, base.units)


# version -> (base atlas, atlas with the store's values); checked against store.version() on every rerun,
# so a change made by any process (or a cleared _load_atlas) is picked up.
_by_version: dict[int, tuple[Atlas, Atlas]] = {}


def _atlas_from_store() -> Atlas:
    base, store = _load_atlas(), value_store()
    version = store.version()
    hit = _by_version.get(version)
    if hit is None or hit[0] is not base:
        hit = (base, atlas_from_store(base, store))
        _by_version.clear()
        _by_version[version] = hit
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
    return _limited[0][1]


def atlas_or_stop(lang: str) -> Atlas:
    """The atlas with the store's current values and only the indicators the user may see,
    or a clear message (file, row, reason) and a stopped page."""
    try:
        return _visible_atlas(_atlas_from_store(), current_user())
    except SQLAlchemyError as exc:
        st.error(tr(lang, "Không kết nối được cơ sở dữ liệu số liệu: ", "Cannot reach the value database: ")
                 + type(exc).__name__)
    except ValidationError as exc:
        st.error(tr(lang, "Dữ liệu chỉ tiêu có lỗi, ứng dụng chưa thể hiển thị:",
                    "The indicator data has problems; the app cannot show it yet:"))
        st.markdown("\n".join(f"- {p.describe(lang)}" for p in exc.problems))
    except AtlasError as exc:
        st.error(tr(lang, "Không tải được dữ liệu ranh giới: ", "Cannot load the boundary data: ") + str(exc))
    st.stop()
    raise AssertionError("unreachable")


def current_lang() -> str:
    """The language of the view in the URL (mutte_geo.ui.viewstate)."""
    return decode_lang(st.query_params.to_dict())


def current_vintage() -> int:
    """Boundary vintage of the view in the URL (2024: 14 units; 2025: the new communes)."""
    return decode_vintage(st.query_params.to_dict())
