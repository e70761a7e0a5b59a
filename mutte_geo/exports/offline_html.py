"""The interactive map as one HTML file that opens offline: Leaflet, its images and the heading inlined."""

from __future__ import annotations

import base64
import html
import re

from mutte_geo.core.errors import ExportError
from mutte_geo.core.i18n import format_date, gettext
from mutte_geo.core.paths import STATIC_DIR
from mutte_geo.maps.legend import direction_text, legend_title
from mutte_geo.maps.printoptions import PrintOptions, default_subtitle, default_title, nfc, sources_line
from mutte_geo.maps.view import MapRequest, MapView, legend_note
from mutte_geo.maps.webmap import LEAFLET_CSS, LEAFLET_JS, choropleth_map, legend_html
from mutte_geo.model.atlas import Atlas

LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"


def standalone_html(atlas: Atlas, view: MapView, *, request: MapRequest, options: PrintOptions) -> str:
    """The interactive map as one HTML file that opens offline: Leaflet and its images inlined."""
    lang = request.lang
    indicator = atlas.catalogue[request.indicator_id]
    fmap = choropleth_map(
        view.joined, view.classification,
        legend=legend_html(legend_title(indicator, lang), view.legend, legend_note(view, lang),
                           direction_text(indicator, lang)),
        attribution=atlas.attribution(request.vintage), lang=lang,
        highlight=set(options.highlight) if options.highlight is not None else None,
    )
    page = fmap.get_root().render()
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = _css_with_inline_images((LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8"))
    script_tag = f'<script src="{LEAFLET_JS}"></script>'
    css_tag = f'<link rel="stylesheet" href="{LEAFLET_CSS}"/>'
    if script_tag not in page or css_tag not in page:
        raise ExportError("the map page no longer loads Leaflet from the app's static folder; cannot inline it")
    title = nfc(options.title or default_title(atlas, request.indicator_id, lang))
    subtitle = nfc(options.subtitle or default_subtitle(request.period, request.kinds, request.vintage, lang,
                                                        atlas.region))
    heading = (
        '<div style="position:fixed;z-index:1000;left:50px;top:10px;max-width:55%;background:rgba(255,255,255,.93);'
        'padding:6px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 sans-serif">'
        f"<b>{html.escape(title)}</b><br>{html.escape(subtitle)}<br><small>{html.escape(sources_line(view, lang))} · "
        f"{gettext(lang, 'Exported on')}: {format_date(options.export_date, lang)}</small></div>"
    )
    page = page.replace(script_tag, f"<script>{js}</script>", 1)
    page = page.replace(css_tag, f"<style>{css}</style>", 1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    page = page.replace('<html>', f'<html lang="{lang}">', 1)
    return page.replace("<body>", "<body>\n" + heading, 1)


def _css_with_inline_images(css: str) -> str:
    def inline(match: re.Match[str]) -> str:
        path = LEAFLET_DIR / match.group(1)
        if not path.is_file():
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()})"

    return re.sub(r"url\((images/[^)]+\.png)\)", inline, css)
