"""A message that outlives a rerun: an action saves, the page runs again with fresh data and says so."""

from __future__ import annotations

import streamlit as st

_FLASH = "_flash"


def rerun_with(message: str) -> None:
    """Show ``message`` once after the page has run again (so lists and previews show the new state)."""
    st.session_state[_FLASH] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)
