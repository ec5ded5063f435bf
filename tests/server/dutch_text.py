"""What a Dutch page must not say: the catalogue's English msgids (a message the page shows
untranslated) and the English that never passes through the catalogue (pydantic's and DRF's
validation messages, the service layer's English rule texts, the rules' uncertain notes).
Shared by the crawler test (``test_dutch_pages``) and anyone adding pages to it."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

PO = Path(__file__).parents[2] / "keten/server/locale/nl/LC_MESSAGES/django.po"

# English that reaches a page without a msgid: the validation libraries' own messages and the
# service layer's English ``rule`` texts, the ones seen before issue 16 ("Field required").
KNOWN_ENGLISH = (
    "Field required",
    "This field is required",
    "Input should be",
    "value is not a valid",
    "Ensure this field",
    "A valid integer is required",
    "Enter a valid",
    "Not a valid",
    "JSON parse error",
    "not from a seed",
    "[uncertain",
    "Uncertain:",
    "synthetic",
    "sample data",
    "must be between",
    "must be one of",
    "must not be",
    "must be a",
    "must be 1 or more",
    "is not a valid",
    "is required",
    "not recorded",
    "unknown procedure type",
    "You do not have permission",
    "Authentication credentials",
    "role may not",
    "Page not found",
    "Server Error",
)

# English msgids that are also Dutch words or names on a Dutch page (a msgid equal to its
# msgstr is skipped anyway).
ALSO_DUTCH = frozenset({"Dublin", "Status", "Start", "Export", "Dashboard"})

# Names that are English in Dutch too: a programme's own name.
PROPER_NAMES = ("Return and Emigration Assistance from the Netherlands",)

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def _po_entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, plural forms by their singular."""
    entries: list[tuple[str, str]] = []
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None

    def flush() -> None:
        if msgid:
            entries.append(("".join(msgid), "".join(msgstr)))

    for line in text.splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [], []
            target = msgid
            line = line[len("msgid ") :]
        elif line.startswith("msgid_plural"):
            target = None
            continue
        elif line.startswith("msgstr"):
            target = msgstr if not msgstr else None
            line = line.split(" ", 1)[1]
        elif line.startswith(("msgctxt", "#")) or not line:
            if line.startswith("msgctxt"):
                flush()
                msgid, msgstr, target = [], [], None
            continue
        if target is not None and line.startswith('"'):
            target.append(line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode())
    flush()
    return [(i, s) for i, s in entries if i]


@cache
def english_fragments() -> tuple[str, ...]:
    """The catalogue's English texts as they could appear on a page: each msgid whose Dutch
    differs, cut at its placeholders, keeping the pieces long enough to tell English from
    Dutch (two words or more)."""
    fragments: set[str] = set()
    for msgid, msgstr in _po_entries(PO.read_text(encoding="utf-8")):
        if msgid == msgstr:
            continue
        for piece in _PLACEHOLDER.split(msgid):
            piece = piece.strip(" .,:;()—–-")
            if len(piece.split()) >= 2 and piece not in ALSO_DUTCH and piece not in msgstr:
                fragments.add(piece)
    return tuple(sorted(fragments, key=len, reverse=True))


class _Visible(HTMLParser):
    """The text a person sees or hears: text nodes and the announced attributes, outside
    scripts, styles and any element marked ``lang="en"`` (the language switch's "English")."""

    SKIP = frozenset({"script", "style", "template", "noscript"})
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    )
    SAID = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        hidden = tag in self.SKIP or (named.get("lang") or "").startswith("en")
        if not hidden and not self._hidden():
            self.parts.extend(str(named[a]) for a in self.SAID if named.get(a))
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.parts.append(data)


# Words English sentences are made of that Dutch never uses: a text with two of them is an
# English sentence (a rule text from the service layer that no msgid covers, "'12' is not a
# V-number: expected ten digits"), whatever its words in between.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "must",
        "should",
        "expected",
        "unknown",
        "not",
        "cannot",
        "which",
        "this",
        "that",
        "required",
        "invalid",
        "with",
        "without",
        "between",
        "before",
        "after",
        "only",
        "every",
        "where",
        "when",
        "been",
        "has",
        "have",
        "does",
        "there",
        "are",
        "was",
        "were",
        "would",
        "could",
        "from",
        "into",
        "than",
        "then",
        "these",
        "those",
        "their",
        "its",
        "may",
        "any",
        "such",
    ]
)
_WORD = re.compile(r"[A-Za-z]+")


def _parts(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.parts


def visible_text(html: str) -> str:
    return " ".join(" ".join(_parts(html)).split())


def english_sentences(html: str) -> list[str]:
    """The visible texts with two or more English-only words."""
    found = []
    for part in _parts(html):
        for name in PROPER_NAMES:
            part = part.replace(name, "")
        words = {w.lower() for w in _WORD.findall(part)}
        if len(words & ENGLISH_WORDS) >= 2:
            found.append(" ".join(part.split()))
    return found


def english_in(html: str) -> list[str]:
    """The English messages a Dutch page shows, each once."""
    text = visible_text(html)
    found = [phrase for phrase in KNOWN_ENGLISH if phrase in text]
    found += english_sentences(html)
    for fragment in english_fragments():
        if re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text):
            found.append(fragment)
    return found
