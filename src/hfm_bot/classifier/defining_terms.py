"""The words that define a narrow list, learnt from its entries, and the gate they make.

A narrow list's subject is a conjunction ("mixture of experts *in LLMs*"), and its entries
almost all carry one of a few words that are rare on a night ("mixture", "expert", "moe").
A cold start learns the broad side of the conjunction well and overshoots: on the
mixture-of-experts list it proposed 3 to 15 times too many papers (LoRA, pruning, KV cache:
LLM-efficiency papers that share the list's vocabulary without experts). The defining words
are the other side: a paper whose title and abstract hold none of them is not the list's
topic, whatever its score.

So the words are learnt at training time by greedy set cover: the term that covers the most
not-yet-covered entries per share of the background it adds is taken, until the terms
together cover ``coverage`` of the entries. A term is a lower-cased word, plural folded to
singular, or a two-word phrase: the two words adjacent once stop words are dropped
("mixture of experts" and "Mixture-of-Experts" are both "mixture expert"). A phrase is what
a word alone cannot be on a list whose words are common apart: "mixture" is also a data
mixture and "expert" an expert annotator, "mixture expert" is neither. A term must be held
by ``min_support`` of the entries, so a word two titles happen to share ("technical" of
two technical reports) is not a candidate; and with ``min_lift`` the cover stops at the
first term that adds less of the entries than it adds of the background (times the
lift), instead of taking weak words to reach the coverage: the gate is then the strong
terms if they cover ``least_coverage`` of the entries.

The set is a gate only when it is small (``max_terms``) and the background papers holding one
of its terms are few (``max_background``): a broad list (foundation models in healthcare,
reasoning with LLMs) has no such set, and then there is no gate and the cold start behaves
as before. Both sides are read the way the gate reads a night's paper: the entry's title and
the abstract where the labelled data holds one; the background's title and abstract.

The terms are stored beside the model as JSON (``defining_terms.json``) whose sha256 the
list's scope records, so an edited or swapped file is refused as a model's are.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hfm_bot.files import PinnedFileError, atomic_write_text, read_pinned

TERMS_FILE = "defining_terms.json"
FORMAT = "hfm-bot defining terms"
FORMAT_VERSION = 2
"""2: a term may be a two-word phrase ("mixture expert"); a version 1 file (single words
only) still loads and gates as it did."""

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_NOT_PLURAL = ("ss", "us", "is", "ous")
_SAME_PLURAL = {"series": "series", "species": "species", "sery": "series", "specy": "species"}
"""Words whose singular is their plural: "time series" is no "time sery". (A terms file of
an earlier version may hold "sery" or "specy", which no text does: read as meant.)"""
_BREAK_RE = re.compile(r"[.,;:!?()\[\]{}\"]")
"""Marks a phrase does not span: "MoE: Scaling ..." holds no phrase "moe scaling"."""
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is",
        "it", "its", "of", "on", "or", "our", "the", "their", "this", "to", "towards",
        "using", "via", "vs", "we", "with", "without",
    }
)  # fmt: skip
"""Words a phrase skips ("mixture of experts" is the phrase "mixture expert", as is
"mixture-of-experts") and that are never a term alone (they are in every paper)."""


class TermsError(ValueError):
    """Defining terms that cannot be used (damaged, edited, or not a word or a two-word
    phrase each)."""


def fold(token: str) -> str:
    """A token's singular, by the plain English rules that cover a list's nouns ("experts",
    "mixtures", "modalities"), so a list's plural titles and a paper's singular abstract
    meet; words that only look plural ("class", "corpus", "analysis", "various") are kept."""
    if token in _SAME_PLURAL:
        return _SAME_PLURAL[token]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(_NOT_PLURAL):
        return token[:-1]
    return token


def tokens(text: str) -> frozenset[str]:
    """The folded word tokens of a text (lower-cased letters and digits; hyphens and other
    marks split words, so "MoE-LLaVA" holds "moe" and "llava")."""
    return frozenset(fold(t) for t in _TOKEN_RE.findall(text.lower()))


def _content(text: str) -> list[str]:
    """The folded tokens of a stretch of text without its stop words, in order."""
    return [f for f in (fold(t) for t in _TOKEN_RE.findall(text)) if f not in STOP_WORDS]


def grams(text: str, *, phrases: bool = True) -> frozenset[str]:
    """The terms a text holds: its folded words (:func:`tokens`), and (``phrases``) each two
    adjacent ones once the stop words between them are dropped, joined by a space ("Sparse
    Mixture-of-Experts Models" holds "mixture expert" and "expert model"). A phrase counts
    only where its words are adjacent, within a clause: two words anywhere in an abstract
    say far less than the two side by side."""
    out = set(tokens(text))
    if phrases:
        for part in _BREAK_RE.split(text.lower()):
            words = _content(part)
            out.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return frozenset(out)


def term_of(word: str) -> str:
    """A maintainer's word or two-word phrase as the gate stores it (lower-cased, folded,
    stop words dropped: "Mixture of Experts" is "mixture expert"); a :class:`TermsError`
    when it is not one or two words of letters and digits besides stop words."""
    text = word.lower().strip()
    words = _content(text)
    if _BREAK_RE.search(text) or not 1 <= len(words) <= 2:
        raise TermsError(
            f"{word!r} is not a word or a two-word phrase (letters and digits; stop words "
            'such as "of" and "the" aside)'
        )
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class DefiningTerms:
    """The list's defining words: a paper holding none of them is not proposed on a cold
    start's night, nor counted by its night share."""

    terms: tuple[str, ...]
    coverage: float
    """The share of the list's entries that hold one of the terms (when learnt)."""
    background: float
    """The share of the background papers that hold one (when learnt)."""
    configured: bool = False
    """The maintainer's words (``[training.cold] defining_terms``), not learnt."""

    def admits(self, text: str) -> bool:
        """Whether a paper's text (title and abstract) holds one of the terms."""
        return not grams(text).isdisjoint(self.terms)

    def describe(self) -> str:
        """The words and what they cover, for the model card and ``init``'s output."""
        words = ", ".join(f'"{t}"' for t in self.terms)
        if any(" " in t for t in self.terms):
            words += " (a phrase where its two words stand side by side, stop words aside)"
        if self.configured:
            return f"{words} (set in [training.cold] defining_terms)"
        return (
            f"{words} (in {self.coverage:.0%} of the list's entries and "
            f"{self.background:.0%} of the background)"
        )

    def save(self, directory: Path) -> str:
        """Write ``defining_terms.json`` atomically; returns its sha256, which the scope that
        uses it records."""
        record = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "terms": list(self.terms),
            "coverage": self.coverage,
            "background": self.background,
            "configured": self.configured,
        }
        text = json.dumps(record, indent=1) + "\n"
        atomic_write_text(directory / TERMS_FILE, text)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def load(cls, directory: Path, sha256: str) -> DefiningTerms:
        """The terms saved beside a scope that records ``sha256``."""
        path = directory / TERMS_FILE
        retrain = "retrain with `hfm-bot train`"
        try:
            data = read_pinned(path, sha256)
        except PinnedFileError as err:
            raise TermsError(f"{err}; {retrain}") from err
        try:
            raw = json.loads(data.decode("utf-8"))
            version = raw.get("format_version")
            if raw.get("format") != FORMAT or version not in (1, FORMAT_VERSION):
                raise ValueError(
                    f"not hfm-bot defining terms of version 1 or {FORMAT_VERSION} (version "
                    f"{version!r})"
                )
            words = raw["terms"]
            if not isinstance(words, list) or not words:
                raise ValueError("terms must be a non-empty list")
            terms = tuple(_stored(w, version) for w in words)
            if terms != tuple(_as_folded_now(w) for w in words):
                raise ValueError(
                    "terms must be folded single words"
                    if version == 1
                    else "terms must be folded words or two-word phrases"
                )
            out = cls(
                terms, float(raw["coverage"]), float(raw["background"]), bool(raw["configured"])
            )
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError) as err:
            raise TermsError(f"{path}: damaged ({err}); {retrain}") from err
        except (TermsError, ValueError, TypeError) as err:
            raise TermsError(f"{path}: damaged ({err}); {retrain}") from err
        return out


def _as_folded_now(word: object) -> object:
    """A stored term with the words an earlier fold wrote otherwise ("sery") as today's."""
    if not isinstance(word, str):
        return word
    return " ".join(_SAME_PLURAL.get(t, t) for t in word.split(" "))


def _stored(word: object, version: int) -> str:
    """A stored term as the gate reads it ("" when it is not one): version 1 held single
    folded tokens only (read as then, stop words included); version 2 words and phrases as
    :func:`term_of` makes them."""
    if not isinstance(word, str):
        return ""
    if version == 1:
        found = _TOKEN_RE.findall(word)
        return fold(found[0]) if len(found) == 1 and found[0] == word else ""
    return term_of(word)


def configured(words: Sequence[str]) -> DefiningTerms:
    """A maintainer's words as the gate (folded, in their order, once each)."""
    terms = tuple(dict.fromkeys(term_of(w) for w in words))
    if not terms:
        raise TermsError("an empty list of words is no gate")
    return DefiningTerms(terms, 0.0, 0.0, configured=True)


SMOOTHING = 0.01
"""Added to a term's new background share in the greedy ratio, so a word that covers two
entries and no background paper does not outrank one that covers half the list and 2% of
the background."""


@dataclass(frozen=True, slots=True)
class Cover:
    """The greedy cover as far as it went: its terms in the order taken, and after each
    term the share of entries and of background papers covered."""

    terms: tuple[str, ...]
    entries: tuple[float, ...]
    background: tuple[float, ...]


def greedy_cover(
    entries: Sequence[str],
    background: Sequence[str],
    *,
    coverage: float,
    max_terms: int,
    min_support: float,
    phrases: bool = True,
    min_lift: float = 0.0,
) -> Cover:
    """Greedy set cover of the ``entries`` by terms (:func:`grams`: words other than stop
    words, and two-word phrases with ``phrases``), each step the term with the most newly
    covered entries per newly covered background paper (both as shares, plus
    :data:`SMOOTHING`: the term's lift), among the terms held by at least ``min_support`` of
    the entries (and two entries); it stops at ``coverage``, at ``max_terms`` terms, or
    before the first best term whose lift is under ``min_lift`` (a weak term: the words left
    would each let in more of a night than of the list)."""
    entry_sets = [grams(t, phrases=phrases) for t in entries]
    counts = Counter(t for s in entry_sets for t in s)
    least = max(2.0, min_support * len(entry_sets))
    candidates = {t for t, c in counts.items() if c >= least and t not in STOP_WORDS}
    where_entries: dict[str, set[int]] = {t: set() for t in candidates}
    for i, s in enumerate(entry_sets):
        for t in s & candidates:
            where_entries[t].add(i)
    where_background: dict[str, set[int]] = {t: set() for t in candidates}
    for j, text in enumerate(background):
        for t in grams(text, phrases=phrases) & candidates:
            where_background[t].add(j)
    n, m = max(1, len(entry_sets)), max(1, len(background))
    covered: set[int] = set()
    hit: set[int] = set()
    chosen: list[str] = []
    shares: list[float] = []
    bg_shares: list[float] = []

    def lift(term: str) -> float:
        return (
            len(where_entries[term] - covered)
            / n
            / (len(where_background[term] - hit) / m + SMOOTHING)
        )

    while candidates and len(chosen) < max_terms and len(covered) / n < coverage:
        best = max(sorted(candidates), key=lift)
        if not where_entries[best] - covered or lift(best) < min_lift:
            break
        candidates.discard(best)
        covered |= where_entries[best]
        hit |= where_background[best]
        chosen.append(best)
        shares.append(len(covered) / n)
        bg_shares.append(len(hit) / m)
    return Cover(tuple(chosen), tuple(shares), tuple(bg_shares))


def learn(
    entries: Sequence[str],
    background: Sequence[str],
    *,
    coverage: float,
    max_background: float,
    max_terms: int,
    min_support: float = 0.01,
    phrases: bool = True,
    min_lift: float = 0.0,
    least_coverage: float | None = None,
) -> DefiningTerms | None:
    """The list's defining terms: the greedy cover (:func:`greedy_cover`) of the ``entries``
    (title and abstract texts) towards ``coverage`` in at most ``max_terms`` terms, when the
    terms taken cover at least ``least_coverage`` (``coverage`` if None) and are held by at
    most ``max_background`` of the ``background`` papers; None when there is no such set (a
    broad list, a list whose entries share no strong term, or no background to tell a rare
    word)."""
    if not entries or not background:
        return None
    cover = greedy_cover(
        entries,
        background,
        coverage=coverage,
        max_terms=max_terms,
        min_support=min_support,
        phrases=phrases,
        min_lift=min_lift,
    )
    least = coverage if least_coverage is None else least_coverage
    if not cover.terms or cover.entries[-1] < least or cover.background[-1] > max_background:
        return None
    return DefiningTerms(cover.terms, cover.entries[-1], cover.background[-1])


def admitted(terms: DefiningTerms | None, texts: Iterable[str]) -> list[bool]:
    """Which texts the gate lets through (all of them without a gate)."""
    if terms is None:
        return [True for _ in texts]
    return [terms.admits(t) for t in texts]
