"""Streamlit glue shared by the pages: cached data, language, and clear error screens."""

from __future__ import annotations

import streamlit as st

from .atlas import Atlas
from .errors import AtlasError, ValidationError
from .i18n import tr

LANG_KEY = "lang"
VINTAGE_KEY = "vintage"


@st.cache_resource(show_spinner=False)
def _load_atlas() -> Atlas:
    return Atlas.load()


def atlas_or_stop(lang: str) -> Atlas:
    """The cached atlas, or a clear message (file, row, reason) and a stopped page."""
    try:
        return _load_atlas()
    except ValidationError as exc:
        st.error(tr(lang, "Dữ liệu chỉ tiêu có lỗi, ứng dụng chưa thể hiển thị:",
                    "The indicator data has problems; the app cannot show it yet:"))
        st.markdown("\n".join(f"- {p.describe(lang)}" for p in exc.problems))
    except AtlasError as exc:
        st.error(tr(lang, "Không tải được dữ liệu ranh giới: ", "Cannot load the boundary data: ") + str(exc))
    st.stop()
    raise AssertionError("unreachable")


def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY) or st.query_params.get(LANG_KEY, "vi")
    return lang if lang in ("vi", "en") else "vi"


def current_vintage() -> int:
    """Boundary vintage chosen in the sidebar (2024: 14 units; 2025: the new communes)."""
    value = st.session_state.get(VINTAGE_KEY) or st.query_params.get(VINTAGE_KEY, "2024")
    return int(value) if str(value) in ("2024", "2025") else 2024
