"""Literal text made inert inside wikitext, as MediaWiki's wfEscapeWikiText leaves it.

MediaWiki passes user-supplied text (a bad URL, say) through this before it
becomes a message parameter, so raw errors and the wikitext and HTML
errorformats show it with numeric character references; plain text shows it
as given. The rules were read off MediaWiki 1.39's answers:

- anywhere: `"&'<=>[]{|};` become references, as do the second `_` of `__`
  and the `:` of `://`;
- at the start of the text or of a line (after `\\n` or `\\r`): `#`, `*`, `:`,
  a space, a tab, the first `-` of `----`, and a second line break in a row
  (`\\r\\n` escapes its `\\r` instead).

Like a single left-to-right pass that always takes the longest rule that
matches, a rule's text is never looked at again by another rule.
"""

from __future__ import annotations


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def _rules() -> dict[str, str]:
    rules = {char: _ref(char) for char in "\"&'<=>[]{|};"}
    rules.update({"__": "_" + _ref("_"), "://": _ref(":") + "//"})
    for before in "\n\r":
        for char in "#*: \t":
            rules[before + char] = before + _ref(char)
        rules[before + "----"] = before + _ref("-") + "---"
    rules.update({"\n\n": "\n" + _ref("\n"), "\n\r": "\n" + _ref("\r"), "\r\r": "\r" + _ref("\r"),
                  "\r\n": _ref("\r") + "\n"})
    return rules


_RULES = _rules()
_LONGEST_FIRST = sorted({len(key) for key in _RULES}, reverse=True)


def escape_wikitext(text: str) -> str:
    # A line break in front makes the text's first character a line start, as the rules need.
    source = "\n" + text
    out: list[str] = []
    index = 0
    while index < len(source):
        for size in _LONGEST_FIRST:
            replacement = _RULES.get(source[index:index + size])
            if replacement is not None:
                out.append(replacement)
                index += size
                break
        else:
            out.append(source[index])
            index += 1
    return "".join(out)[1:]
