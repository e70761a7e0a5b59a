"""Streamlit glue: the only layer (with app.py and pages/) that imports streamlit."""
