"""Mường Tè commune atlas: boundaries, indicators and choropleth maps."""

__version__ = "0.1.0"
