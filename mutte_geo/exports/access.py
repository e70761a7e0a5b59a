"""Reports show only what their reader may see: the atlas limited to the user's catalogue."""

from __future__ import annotations

from dataclasses import replace

from mutte_geo.model.atlas import Atlas
from mutte_geo.storage.auth import User, visible_catalogue, visible_values


def atlas_for(atlas: Atlas, user: User | None) -> Atlas:
    """``atlas`` without the indicators (and values) ``user`` may not see, e.g. security hotspots for a visitor.

    Every report builder calls this itself, so no caller can hand a sensitive layer to the wrong reader.
    """
    catalogue = visible_catalogue(atlas.catalogue, user)
    if len(catalogue) == len(atlas.catalogue):
        return atlas
    return replace(atlas, catalogue=catalogue, values=visible_values(atlas.values, catalogue))
