"""What kind of device the page is drawn for, from the request Streamlit received."""

from __future__ import annotations

import streamlit as st


def on_phone() -> bool:
    """A phone or another touch device with a small screen: its browser says "Mobi" in its user agent
    (the marker MDN recommends; tablets leave it out and get the desktop layout)."""
    agent = st.context.headers.get("User-Agent") or ""
    return "Mobi" in agent
