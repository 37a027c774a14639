"""The words that define a narrow list, learnt from its entries, and the gate they make.

A narrow list's subject is a conjunction ("mixture of experts *in LLMs*"), and its entries
almost all carry one of a few words that are rare on a night ("mixture", "expert", "moe").
A cold start learns the broad side of the conjunction well and overshoots: on the
mixture-of-experts list it proposed 3 to 15 times too many papers (LoRA, pruning, KV cache:
LLM-efficiency papers that share the list's vocabulary without experts). The defining words
are the other side: a paper whose title and abstract hold none of them is not the list's
topic, whatever its score.

So the words are learnt at training time by greedy set cover: the term (a lower-cased token,
plural folded to singular) that covers the most not-yet-covered entries per share of the
background it adds is taken, until the terms together cover ``coverage`` of the entries.
The set is a gate only when it is small (``max_terms``) and the background papers holding one
of its words are few (``max_background``): a broad list (foundation models in healthcare,
reasoning with LLMs) has no such set, and then there is no gate and the cold start behaves
as before. Both sides are read the way the gate reads a night's paper: the entry's title and
the abstract where the labelled data holds one; the background's title and abstract.

The terms are stored beside the model as JSON (``defining_terms.json``) whose sha256 the
list's scope records, so an edited or swapped file is refused as a model's are.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hfm_bot.files import PinnedFileError, atomic_write_text, read_pinned

TERMS_FILE = "defining_terms.json"
FORMAT = "hfm-bot defining terms"
FORMAT_VERSION = 1

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_NOT_PLURAL = ("ss", "us", "is", "ous")


class TermsError(ValueError):
    """Defining terms that cannot be used (damaged, edited, or not a single word each)."""


def fold(token: str) -> str:
    """A token's singular, by the plain English rules that cover a list's nouns ("experts",
    "mixtures", "modalities"), so a list's plural titles and a paper's singular abstract
    meet; words that only look plural ("class", "corpus", "analysis", "various") are kept."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(_NOT_PLURAL):
        return token[:-1]
    return token


def tokens(text: str) -> frozenset[str]:
    """The folded word tokens of a text (lower-cased letters and digits; hyphens and other
    marks split words, so "MoE-LLaVA" holds "moe" and "llava")."""
    return frozenset(fold(t) for t in _TOKEN_RE.findall(text.lower()))


def term_of(word: str) -> str:
    """A maintainer's word as the gate stores it (lower-cased, folded); a :class:`TermsError`
    when it is not one word of letters and digits."""
    found = _TOKEN_RE.findall(word.lower())
    if len(found) != 1 or found[0] != word.lower().strip():
        raise TermsError(f"{word!r} is not a single word of letters and digits")
    return fold(found[0])


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
        return not tokens(text).isdisjoint(self.terms)

    def describe(self) -> str:
        """The words and what they cover, for the model card and ``init``'s output."""
        words = ", ".join(f'"{t}"' for t in self.terms)
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
            if raw.get("format") != FORMAT or raw.get("format_version") != FORMAT_VERSION:
                raise ValueError("not hfm-bot defining terms of this version")
            words = raw["terms"]
            if not isinstance(words, list) or not words:
                raise ValueError("terms must be a non-empty list")
            terms = tuple(term_of(w) if isinstance(w, str) else "" for w in words)
            if terms != tuple(words):
                raise ValueError("terms must be folded single words")
            out = cls(
                terms, float(raw["coverage"]), float(raw["background"]), bool(raw["configured"])
            )
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError) as err:
            raise TermsError(f"{path}: damaged ({err}); {retrain}") from err
        except (TermsError, ValueError, TypeError) as err:
            raise TermsError(f"{path}: damaged ({err}); {retrain}") from err
        return out


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
) -> Cover:
    """Greedy set cover of the ``entries`` by terms, each step the term with the most newly
    covered entries per newly covered background paper (both as shares, plus
    :data:`SMOOTHING`), among the terms held by at least ``min_support`` of the entries (and
    two entries); it stops at ``coverage`` or ``max_terms`` terms."""
    entry_sets = [tokens(t) for t in entries]
    counts = Counter(t for s in entry_sets for t in s)
    least = max(2.0, min_support * len(entry_sets))
    candidates = {t for t, c in counts.items() if c >= least}
    where_entries: dict[str, set[int]] = {t: set() for t in candidates}
    for i, s in enumerate(entry_sets):
        for t in s & candidates:
            where_entries[t].add(i)
    where_background: dict[str, set[int]] = {t: set() for t in candidates}
    for j, text in enumerate(background):
        for t in tokens(text) & candidates:
            where_background[t].add(j)
    n, m = max(1, len(entry_sets)), max(1, len(background))
    covered: set[int] = set()
    hit: set[int] = set()
    chosen: list[str] = []
    shares: list[float] = []
    bg_shares: list[float] = []
    while candidates and len(chosen) < max_terms and len(covered) / n < coverage:
        best = max(
            sorted(candidates),
            key=lambda t: (
                len(where_entries[t] - covered)
                / n
                / (len(where_background[t] - hit) / m + SMOOTHING)
            ),
        )
        if not where_entries[best] - covered:
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
) -> DefiningTerms | None:
    """The list's defining words: the greedy cover (:func:`greedy_cover`) of ``coverage`` of
    the ``entries`` (title and abstract texts) in at most ``max_terms`` words held by at most
    ``max_background`` of the ``background`` papers; None when there is no such set (a broad
    list, a list whose entries share no word, or no background to tell a rare word)."""
    if not entries or not background:
        return None
    cover = greedy_cover(
        entries, background, coverage=coverage, max_terms=max_terms, min_support=min_support
    )
    if not cover.terms or cover.entries[-1] < coverage or cover.background[-1] > max_background:
        return None
    return DefiningTerms(cover.terms, cover.entries[-1], cover.background[-1])


def admitted(terms: DefiningTerms | None, texts: Iterable[str]) -> list[bool]:
    """Which texts the gate lets through (all of them without a gate)."""
    if terms is None:
        return [True for _ in texts]
    return [terms.admits(t) for t in texts]
