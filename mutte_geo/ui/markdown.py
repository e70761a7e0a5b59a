"""User-controlled text inside Streamlit's Markdown (st.error, st.markdown, ...): shown, never interpreted."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones Markdown,
# Streamlit's directives (:red[...], :material/...:), emoji shortcodes and LaTeX ($) give a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


# GFM also turns bare URLs and e-mail addresses in the *parsed* text into links (escapes are gone by then):
# an invisible word joiner breaks the patterns it looks for, the text reads the same.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """``text`` with every Markdown character escaped, autolinks broken, line breaks kept as spaces.

    >>> md_escape("[x](http://evil.example)").replace(WORD_JOINER, "^")
    '\\\\[x\\\\]\\\\(http\\\\:^//evil\\\\.example\\\\)'
    """
    plain = _AUTOLINK.sub(WORD_JOINER, re.sub(r"[\r\n]+", " ", str(text)))
    return _SPECIAL.sub(r"\\\1", plain)
