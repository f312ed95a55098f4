"""Chinese text made searchable: normalised, then segmented with jieba, the same way when a
page is indexed and when a query is read, whatever the backend.

- **Normalisation**: full-width letters, digits and punctuation become half-width (NFKC), Latin
  letters lower case, traditional characters simplified (character by character, from OpenCC's
  table), so ＷＩＦＩ, WiFi and wifi, 議事廳 and 议事厅 are one word each.
- **Segmentation**: jieba's dictionary plus ours (``search/dictionary.txt``, community-governance
  terms) plus the terms editors add in the admin (``search.SearchTerm``). HMM guessing of
  unknown words is off: it guesses differently in different contexts, and a word must be cut
  the same way in a page and in a query to be found.
- **Indexing** keeps every word and, for a long word, the dictionary words inside it (jieba's
  search mode), so 老旧小区 is indexed as 老旧小区, 老旧 and 小区.
- **Queries** split the same way; a long query word that its inner words cover (老旧小区 → 老旧
  小区) asks for those words, so it is found whichever way the page's sentence cut it.

jieba builds a prefix dictionary on first use and caches it on disk; the cache goes to
``settings.JIEBA_CACHE_DIR`` (under var/), never the system temp folder, and the dictionary is
loaded once per process.
"""

import threading
import time
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

PROJECT_DICTIONARY = Path(__file__).with_name("dictionary.txt")
# A word the editors add counts as a dictionary word of this frequency (jieba's scale: common
# words are in the thousands), high enough to win against splitting it.
EDITOR_TERM_FREQUENCY = 2000

_lock = threading.Lock()
_ready = False
_editor_terms: set[str] = set()
_terms_checked_at = 0.0
# How often a process looks for terms editors added in another process.
TERMS_RECHECK_SECONDS = 60


def ensure_jieba() -> None:
    """Initialise jieba's default tokenizer with the project's cache directory and dictionary,
    once per process."""
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        import jieba

        cache_dir = Path(settings.JIEBA_CACHE_DIR)
        cache_dir.mkdir(parents=True, exist_ok=True)
        jieba.setLogLevel(40)  # its progress lines are noise in logs
        jieba.dt.tmp_dir = str(cache_dir)
        jieba.dt.cache_file = "jieba.cache"
        jieba.initialize()
        jieba.load_userdict(str(PROJECT_DICTIONARY))
        _ready = True
    load_editor_terms()


def load_editor_terms() -> None:
    """Teach jieba the terms editors added (new ones only; safe to call often)."""
    from django.db import DatabaseError

    from search.models import SearchTerm

    global _terms_checked_at
    _terms_checked_at = time.monotonic()
    try:
        words = set(SearchTerm.objects.values_list("word", flat=True))
    except DatabaseError:  # before the first migration
        return
    add_terms(words - _editor_terms)


def add_terms(words) -> None:
    import jieba

    for word in words:
        word = normalise(word).strip()
        if word:
            jieba.add_word(word, freq=EDITOR_TERM_FREQUENCY)
            _editor_terms.add(word)


@cache
def _traditional_to_simplified() -> dict[int, str]:
    import opencc

    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    mapping = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        if len(traditional) == 1 and simplified:
            mapping[ord(traditional)] = simplified.split()[0]
    return mapping


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_traditional_to_simplified())


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _cut(text: str, *, for_search: bool) -> list[str]:
    import jieba

    ensure_jieba()
    if time.monotonic() - _terms_checked_at > TERMS_RECHECK_SECONDS:
        load_editor_terms()
    text = normalise(text)
    pieces = jieba.cut_for_search(text, HMM=False) if for_search else jieba.cut(text, HMM=False)
    return [piece.strip() for piece in pieces if _is_word(piece)]


def index_text(text: str) -> str:
    """``text`` as the index stores it: its words separated by spaces."""
    return " ".join(_cut(text, for_search=True))


def query_terms(query: str) -> list[str]:
    """The words a query asks for (every one of them must be in a result)."""
    import jieba

    terms: list[str] = []
    for word in _cut(query, for_search=False):
        inner = [w for w in jieba.cut_for_search(word, HMM=False) if w != word]
        covered = "".join(w for w in inner if len(w) >= 2) == word
        for term in inner if covered else [word]:
            if term not in terms:
                terms.append(term)
    return terms


def highlight_terms(query: str) -> list[str]:
    """What to mark in a snippet: the query's words as typed (normalised), longest first."""
    words = set(_cut(query, for_search=False)) | set(query_terms(query))
    return sorted(words, key=len, reverse=True)
