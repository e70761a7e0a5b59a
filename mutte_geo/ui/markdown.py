"""User-controlled text inside Streamlit's Markdown (st.error, st.markdown, ...): shown, never interpreted."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones Markdown,
# Streamlit's directives (:red[...], :material/...:), emoji shortcodes and LaTeX ($) give a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=\"'])")


def md_escape(text: object) -> str:
    """``text`` with every Markdown character escaped and line breaks kept as spaces.

    >>> md_escape("[x](http://evil.example)")
    '\\\\[x\\\\]\\\\(http\\\\://evil\\\\.example\\\\)'
    """
    return _SPECIAL.sub(r"\\\1", re.sub(r"[\r\n]+", " ", str(text)))
