"""Babel extractor for the catalogue: Python's own parser, so calls inside f-strings are found too."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def extract(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
            options: Mapping[str, Any]) -> Iterator[tuple[int, str, tuple[str | None, ...], list[str]]]:
    """Every call of a keyword function: (line, function, its positional arguments as strings or None, [])."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords:
            arguments = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                              for a in node.args)
            yield node.lineno, node.func.id, arguments, []
