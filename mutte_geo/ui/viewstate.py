"""The view state in Streamlit: read from ``st.query_params``, written back, and bound to widgets.

The URL is the only source of truth. Widgets are controlled: before a widget is drawn its session
value is set from the view, and its ``on_change`` writes the new choice into the URL. So a language
switch (new labels), a new boundary vintage, browser back/forward or a reload can never leave a
widget empty or showing a value the map does not use.

Why this matters in Streamlit 1.67: a radio or selectbox sends its value as the *formatted* label
(``format_func(option)``) and reads it back through the current labels. After a language switch,
or a back/forward step across one, the browser still holds the other language's label, which
matches no option: an uncontrolled widget then shows nothing (radio) or its old label (selectbox),
and its session value (and ``on_change``) gets the label itself — which is how labels such as
``2025 (xã mới từ 01/07/2025)`` ended up in links. So widgets are seeded from the view on every run
and a callback value outside the widget's options is ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from mutte_geo.core.errors import AtlasError
from mutte_geo.core.i18n import gettext
from mutte_geo.maps.view import default_indicator as trusted_indicator
from mutte_geo.maps.viewstate import VIEW_KEYS, Problem, ViewState, decode_region, decode_view, encode_view
from mutte_geo.model.atlas import Atlas
from mutte_geo.model.names import search_units
from mutte_geo.model.units import Unit
from mutte_geo.ui.markdown import md_escape

_VIEW = "_view_state"  # (query parameters, visible indicators) -> the view decoded from them
_NOTES = "_view_notes"  # what the last switch could not keep, shown once on the next run
_LAST_CLICK = "_map_last_click"  # (unit last clicked on the map, times written; 0 = in the view): the map repeats it
_MATCHES = "_unit_search_matches"


def _params() -> dict[str, str]:
    return st.query_params.to_dict()


def read_view(atlas: Atlas, *, show: bool = False, default_indicator: str | None = None) -> ViewState:
    """The view the URL names; what in the link could not be used is shown above the page (by
    app.py, with ``show``). The URL itself is only written when the user changes something.

    A link that names no indicator shows ``default_indicator`` (a page's own), else the trusted default map.
    """
    params = _params()
    stamp = (tuple(sorted(params.items())), tuple(atlas.catalogue), default_indicator)
    cached = st.session_state.get(_VIEW)
    if cached is None or cached[0] != stamp:
        shown = shown_atlas(atlas, decode_region(params))

        def fallback(vintage: int) -> str:
            return default_indicator or trusted_indicator(shown, vintage)

        cached = (stamp, *decode_view(params, atlas.catalogue, shown.units, default_indicator=fallback))
        st.session_state[_VIEW] = cached
    _, view, problems = cached
    if problems and show:
        show_problems(problems, view.lang)
    return view


def shown_atlas(atlas: Atlas, region: str) -> Atlas:
    """``atlas`` over ``region``'s units; the atlas itself when the region's files cannot be read (the
    pages showing the region say why, see :func:`mutte_geo.ui.appstate.region_atlas_or_stop`)."""
    try:
        return atlas.in_region(region)
    except AtlasError:
        return atlas


def show_problems(problems: list[Problem], lang: str) -> None:
    st.warning(gettext(lang, "Part of the link could not be used:")
               + "\n" + "\n".join(f"- {md_escape(p[0] if lang == 'vi' else p[1])}" for p in problems))


def write_view(view: ViewState) -> None:
    """Put ``view`` in the URL (one browser history entry per change; other keys left alone)."""
    current = _params()
    wanted = {k: v for k, v in current.items() if k not in VIEW_KEYS} | encode_view(view)
    if wanted != current:
        st.query_params.from_dict(wanted)


def change_view(change: Callable[[ViewState], ViewState | tuple[ViewState, list[Problem]]]) -> None:
    """Apply ``change`` to the current view and write it (for widget callbacks).

    Not on a browser back/forward step: the widget values that come with it are the ones the page
    showed before the step, while the URL being restored is the view asked for.
    """
    cached = st.session_state.get(_VIEW)
    ctx = get_script_run_ctx()
    if cached is None or (ctx is not None and ctx.is_history_navigation):
        return
    result = change(cached[1])
    view, notes = result if isinstance(result, tuple) else (result, [])
    if notes:
        st.session_state[_NOTES] = notes
    write_view(view)


def show_switch_notes(lang: str) -> None:
    """What the last language or vintage switch could not keep (shown once)."""
    for note in st.session_state.pop(_NOTES, []):
        st.info(note[0] if lang == "vi" else note[1])


def bound(name: str, value: Any, field: str | None = None, *, options: Collection[Any] | None = None,
          convert: Callable[[Any], Any] = lambda v: v) -> dict[str, Any]:
    """Keyword arguments that make a widget show ``value`` and write its changes to view field ``field``.

    ``name`` is the widget key; ``field`` defaults to it. Use as ``st.radio(..., **bound("kind", view.kind,
    options=...))``. A value outside ``options`` is ignored: it is a label the browser still held from
    before a language switch or a back/forward step (Streamlit hands such a label back as the value).
    """
    st.session_state[name] = value
    target = field or name

    def on_change() -> None:
        chosen = st.session_state[name]
        if options is not None and chosen not in options:
            return
        new = convert(chosen)
        change_view(lambda view: replace(view, **{target: new}))

    return {"key": name, "on_change": on_change}


def choose(value: Any, options: Collection[Any], default: Any, lang: str, what: tuple[str, str]) -> Any:
    """The link's ``value`` when it is one of the page's ``options``; else ``default``, saying so when the
    link named something else (empty or None: the link names nothing, the page's default is silent)."""
    if value in options:
        return value
    if value not in ("", None):
        named = what[0] if lang == "vi" else what[1]
        st.warning(gettext(lang, "The link's {named} “{value}” is not available here; using “{default}”.").format(
                       named=named, value=value, default=default))
    return default


def view_link(view: ViewState) -> str:
    """The absolute link to the current page showing ``view`` (other query keys kept)."""
    base = urlsplit(st.context.url or "")
    params = {k: v for k, v in _params().items() if k not in VIEW_KEYS} | encode_view(view)
    return urlunsplit((base.scheme, base.netloc, base.path, urlencode(params), ""))


def select_clicked(code: str | None) -> bool:
    """Make a unit just clicked on the map the view's unit; True if the view changed.

    The map keeps returning its last click on every rerun, so only a new click counts. A click counts
    as used once the view holds it: a run that wrote it to the URL can be overtaken by a rerun the
    browser asked for with the old URL, which must write it again (once more at most).
    """
    last, tries = st.session_state.get(_LAST_CLICK, (None, 0))
    if code is None or (code == last and tries == 0):
        return False
    cached = st.session_state.get(_VIEW)
    ctx = get_script_run_ctx()
    if (cached is None or cached[1].unit == code or (ctx is not None and ctx.is_history_navigation)
            or (code == last and tries >= 2)):
        st.session_state[_LAST_CLICK] = (code, 0)  # used
        return False
    st.session_state[_LAST_CLICK] = (code, tries + 1 if code == last else 1)
    change_view(lambda view: replace(view, unit=code))
    return True


def unit_search(units: dict[str, Unit], lang: str) -> None:
    """A box that finds a unit by name, with or without diacritics, and selects it (one match) or
    lists the matches to pick from."""
    def on_search() -> None:
        matches = search_units(st.session_state.get("unit_search", ""), units)
        st.session_state[_MATCHES] = matches
        if len(matches) == 1:
            change_view(lambda view: replace(view, unit=matches[0]))

    st.text_input(gettext(lang, "Find a unit by name"), key="unit_search", on_change=on_search,
                  placeholder=gettext(lang, "e.g. Pa Vệ Sủ or pa ve su"),
                  icon=":material/search:")
    matches = [c for c in st.session_state.get(_MATCHES) or [] if c in units]
    if st.session_state.get("unit_search") and not matches:
        st.caption(gettext(lang, "No unit has this name."))
    if len(matches) > 1:
        with st.container(horizontal=True, wrap=True):
            for code in matches:
                st.button(units[code].label(lang), key=f"pick_{code}", on_click=change_view,
                          args=(lambda view, c=code: replace(view, unit=c),))
