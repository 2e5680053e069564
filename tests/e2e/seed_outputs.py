"""What a seed program printed, with what differs between any two wikis taken out.

Tokens, MediaWiki's and our wording of messages, and the page around a jsonfm
answer differ between wikis and say nothing about whether a client sees the
same answer; the rest (the answer's structure, codes and values) must match.
Used by tools/record_seed_outputs.py, which records MediaWiki 1.39's outputs
into seed_programs/recorded.json, and by test_seed_programs.py, which compares.
"""

from __future__ import annotations

import ast
import html
import json
import re
from typing import Any

TOKEN = re.compile(r"^[0-9a-f]{32,40}\+\\$")
JSONFM = re.compile(r'<pre class="api-pretty-content">(.*?)</pre>', re.S)
# Texts written in each wiki's own words: compared for presence, not wording.
TEXTS = ("info", "*", "docref", "text", "reason")


def normalised(output: str) -> Any:
    text = output.strip()
    if not text:
        return {"printed": "nothing"}
    if TOKEN.match(text):
        return {"printed": "a token"}
    shown = JSONFM.search(text)
    if shown is not None:
        return {"printed": "an HTML page of JSON", "json": _tidy(json.loads(html.unescape(shown.group(1))))}
    for parse in (json.loads, ast.literal_eval):  # the Python programs print dicts as Python writes them
        try:
            return {"printed": "data", "json": _tidy(parse(text))}
        except (ValueError, SyntaxError):
            continue
    return {"printed": "text", "text": text}


def _tidy(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _tidy(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, str):
        if key in TEXTS:
            return "<text>"
        if TOKEN.match(value):
            return "<token>"
    return value
