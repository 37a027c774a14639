"""Venue tags: where a paper says it was accepted or published, as the list writes it.

The table maps what authors write in arXiv comments and journal references to the short
tag the list uses (``[MICCAI]``, ``[NeurIPS]``, ``[Nature Medicine]``). A comment names a
venue only when it says the paper was accepted there (or gives the year, the proceedings,
the camera-ready), so "we compare with MICCAI 2023 challenge winners" gives no tag.
"""

from __future__ import annotations

import re

# (tag, pattern) in priority order: longer journal names before the shorter ones they contain.
# A conference's name may run into its year (``AAAI2026``, ``CVPR25``), so only a letter ends it.
VENUE_ALIASES: tuple[tuple[str, str], ...] = (
    ("Nature Medicine", r"nature\s+medicine|nat\.?\s*med\b"),
    ("Nature Methods", r"nature\s+methods"),
    ("Nature Biotechnology", r"nature\s+biotechnology"),
    ("Nature Biomedical Engineering", r"nature\s+biomedical\s+engineering"),
    ("Nature Machine Intelligence", r"nature\s+machine\s+intelligence"),
    ("Nature Communications", r"nature\s+communications|nat\.?\s*commun"),
    ("NPJ Digit. Med.", r"npj\s+digital\s+medicine|npj\s+digit"),
    # One-word journals only where they stand as the journal ("published in Nature"), not
    # as a word ("Computer Science", "nature of", "cell segmentation").
    ("Nature", r"(?:^|\b(?:in|by|at|to)\s+)nature\b(?![\s-]+[a-z])"),
    ("Science", r"(?:^|\b(?:in|by|at|to)\s+)science\b(?![\s-]+[a-z])"),
    ("Cell", r"(?:^|\b(?:in|by|at|to)\s+)cell\b(?![\s-]+[a-z])"),
    (
        "Medical Image Analysis",
        r"medical\s+image\s+analysis|\bmedia\b(?=\s*(?:journal|20\d\d|\)|,|$))",
    ),
    ("IEEE TMI", r"transactions\s+on\s+medical\s+imaging|\bi?tmi\b"),
    ("IEEE JBHI", r"journal\s+of\s+biomedical\s+and\s+health\s+informatics|\bj-?bhi\b"),
    ("IEEE TPAMI", r"transactions\s+on\s+pattern\s+analysis|\btpami\b|\bpami\b"),
    ("Radiology", r"\bradiology\b(?!\s*:?\s*artificial)"),
    ("Radiology: AI", r"radiology\s*:?\s*artificial\s+intelligence"),
    ("Lancet Digital Health", r"lancet\s+digital\s+health"),
    ("JAMIA", r"\bjamia\b|journal\s+of\s+the\s+american\s+medical\s+informatics"),
    ("Bioinformatics", r"\bbioinformatics\b(?!\s+and)"),
    ("Briefings in Bioinformatics", r"briefings\s+in\s+bioinformatics"),
    ("Nucleic Acids Research", r"nucleic\s+acids\s+research"),
    ("Scientific Reports", r"scientific\s+reports"),
    ("MICCAI", r"\bmiccai(?![a-z])"),
    ("NeurIPS", r"\bneurips(?![a-z])|\bnips(?![a-z])|neural\s+information\s+processing\s+systems"),
    ("ICML", r"\bicml(?![a-z])"),
    ("ICLR", r"\biclr(?![a-z])"),
    ("CVPR", r"\bcvpr(?![a-z])"),
    ("ICCV", r"\biccv(?![a-z])"),
    ("ECCV", r"\beccv(?![a-z])"),
    ("WACV", r"\bwacv(?![a-z])"),
    ("BMVC", r"\bbmvc(?![a-z])"),
    ("AAAI", r"\baaai(?![a-z])"),
    ("IJCAI", r"\bijcai(?![a-z])"),
    ("ACL", r"\bacl(?![a-z])(?!\s*rolling)"),
    ("EMNLP", r"\bemnlp(?![a-z])"),
    ("NAACL", r"\bnaacl(?![a-z])"),
    ("COLING", r"\bcoling(?![a-z])"),
    ("KDD", r"\bkdd(?![a-z])"),
    ("ACM MM", r"\bacm\s+mm\b|acm\s+multimedia"),
    ("ISBI", r"\bisbi(?![a-z])"),
    ("MIDL", r"\bmidl(?![a-z])"),
    ("IPMI", r"\bipmi(?![a-z])"),
    ("ML4H", r"\bml4h(?![a-z])"),
    ("CHIL", r"\bchil(?![a-z])"),
    ("AMIA", r"\bamia(?![a-z])"),
    ("BIBM", r"\bbibm(?![a-z])"),
    ("ICASSP", r"\bicassp(?![a-z])"),
    ("Interspeech", r"\binterspeech(?![a-z])"),
    ("BioNLP", r"\bbionlp(?![a-z])"),
    ("ClinicalNLP", r"\bclinicalnlp(?![a-z])"),
)
_COMPILED = tuple((tag, re.compile(pattern, re.I)) for tag, pattern in VENUE_ALIASES)
_ACCEPTED_RE = re.compile(
    r"accepted|to\s+appear|appear(?:s|ing)?\s+in|published|camera[- ]ready|proceedings|"
    r"\bin\s+press\b|oral|spotlight|poster|\b20\d\d\b",
    re.I,
)
_NEGATED_RE = re.compile(r"submitted\s+to|under\s+review|in\s+submission", re.I)
_WORKSHOP_RE = re.compile(r"workshop", re.I)


def _match(text: str) -> str | None:
    for tag, pattern in _COMPILED:
        if pattern.search(text):
            return tag
    return None


def _venue_clause(comment: str | None, journal_ref: str | None) -> tuple[str, str, bool] | None:
    """(tag, the text that names it, whether that is the comment's): the journal reference,
    or the comment's clause that says the paper was accepted there."""
    if journal_ref:
        tag = _match(journal_ref)
        if tag:
            return tag, journal_ref, False
    if comment and _ACCEPTED_RE.search(comment) and not _NEGATED_RE.search(comment):
        for clause in re.split(r"[;\n]|\.\s", comment):
            if not _ACCEPTED_RE.search(clause) or _NEGATED_RE.search(clause):
                continue
            tag = _match(clause)
            if tag:
                return tag, clause, True
    return None


def venue_from(comment: str | None, journal_ref: str | None, source: str = "arxiv") -> str:
    """The list's venue tag for a paper, or its server (``arXiv``, ``bioRxiv``, ``medRxiv``)."""
    found = _venue_clause(comment, journal_ref)
    if found is not None:
        tag, clause, commented = found
        workshop = _WORKSHOP_RE.search(clause) and tag not in ("Nature", "Science", "Cell")
        return f"{tag} Workshop" if workshop and commented else tag
    return {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}.get(source, "arXiv")


_YEAR_AFTER_RE = re.compile(r"(?:[\s'’‘-]{0,2}(20\d\d)|['’‘-]?(\d\d))(?!\d)")
"""A year right after a venue's name: ``AAAI 2026``, ``AAAI-26``, ``CVPR'25``, ``CVPR25``;
two digits after a space are a volume (``Nature Medicine 31``), not a year."""
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def venue_year(comment: str | None, journal_ref: str | None) -> int | None:
    """The year of the venue the paper was accepted at, as its comment or reference writes
    it (``AAAI 2026``, ``AAAI-26``, ``CVPR'25``, or the clause's one year): a paper posted in
    November 2025 for AAAI 2026 is ``AAAI2026`` in a list that writes years, not the year it
    was posted. None when the text gives none (or several, none by the name)."""
    found = _venue_clause(comment, journal_ref)
    if found is None:
        return None
    tag, clause, _ = found
    pattern = dict(_COMPILED)[tag]
    for m in pattern.finditer(clause):
        after = _YEAR_AFTER_RE.match(clause, m.end())
        if after:
            return int(after.group(1)) if after.group(1) else 2000 + int(after.group(2))
    years = set(_YEAR_RE.findall(clause))
    return int(years.pop()) if len(years) == 1 else None
