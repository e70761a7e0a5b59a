"""The app as an ASGI application: Streamlit (app.py) plus the sign-in cookie routes.

``python -m mutte_geo.ui.serve`` runs it with ``streamlit run`` (Streamlit finds ``app`` here).
"""

import streamlit as st

from mutte_geo.core.paths import PROJECT_ROOT
from mutte_geo.ui.sessionroutes import session_routes

app = st.App(str(PROJECT_ROOT / "app.py"), routes=session_routes())
