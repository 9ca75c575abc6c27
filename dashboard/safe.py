"""Text from the data made safe where it crosses a boundary: a screen or a terminal. Pure.

(Spreadsheets have their own boundary in dashboard/export.py.)"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069. They reorder
# the text after them (an RTL override mirrors the rest of a line), so text is never shown with
# them.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls but tab and newline, DEL and the C1 controls (ESC starts terminal sequences).
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
CONTROL = re.compile(f"[{_C0_C1}{BIDI_CONTROLS}]")
CONTROL_OR_TAB = re.compile(f"[\t\n{_C0_C1}{BIDI_CONTROLS}]")
# What Markdown renderers turn into a link by themselves (GFM autolink literals): a scheme and
# ":", "www.", and an e-mail's "@". A word joiner (invisible) breaks each pattern.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp|file)(?=\s*:)|www(?=\.)|(?=@)")
WORD_JOINER = "\u2060"
ELLIPSIS = "…"


def unlinked(text: str) -> str:
    """Text that no Markdown renderer turns into a link, looking the same: controls and bidi
    overrides dropped, URL schemes, www. and e-mail addresses broken by an invisible joiner."""
    text = CONTROL.sub("", text)
    return _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)


def short(text: str, max_chars: int | None) -> str:
    """text cut to max_chars with an ellipsis, for places a long name would break the layout."""
    if max_chars is None or len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rstrip() + ELLIPSIS


def for_terminal(value: object) -> str:
    """Text printed to a terminal with every control character, escape sequence and bidi
    override shown as its escape (\\x1b, \\u202e), so data cannot move the cursor, clear the
    screen or reorder the report; tabs and newlines too, so one value stays on one line."""
    text = str(value)

    def escaped(match: re.Match) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return CONTROL_OR_TAB.sub(escaped, text)
