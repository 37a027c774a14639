"""Venue tags: where a paper says it was accepted or published, as the list writes it.

The table maps what authors write in arXiv comments and journal references to the short
tag the list uses (``[MICCAI]``, ``[NeurIPS]``, ``[Nature Medicine]``). A comment names a
venue only when it says the paper was accepted there (or gives the year, the proceedings,
the camera-ready), so "we compare with MICCAI 2023 challenge winners" gives no tag.
"""

from __future__ import annotations

import re

# (tag, pattern) in priority order: longer journal names before the shorter ones they contain.
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
    ("MICCAI", r"\bmiccai\b"),
    ("NeurIPS", r"\bneurips\b|\bnips\b|neural\s+information\s+processing\s+systems"),
    ("ICML", r"\bicml\b"),
    ("ICLR", r"\biclr\b"),
    ("CVPR", r"\bcvpr\b"),
    ("ICCV", r"\biccv\b"),
    ("ECCV", r"\beccv\b"),
    ("WACV", r"\bwacv\b"),
    ("BMVC", r"\bbmvc\b"),
    ("AAAI", r"\baaai\b"),
    ("IJCAI", r"\bijcai\b"),
    ("ACL", r"\bacl\b(?!\s*rolling)"),
    ("EMNLP", r"\bemnlp\b"),
    ("NAACL", r"\bnaacl\b"),
    ("COLING", r"\bcoling\b"),
    ("KDD", r"\bkdd\b"),
    ("ACM MM", r"\bacm\s+mm\b|acm\s+multimedia"),
    ("ISBI", r"\bisbi\b"),
    ("MIDL", r"\bmidl\b"),
    ("IPMI", r"\bipmi\b"),
    ("ML4H", r"\bml4h\b"),
    ("CHIL", r"\bchil\b"),
    ("AMIA", r"\bamia\b"),
    ("BIBM", r"\bbibm\b"),
    ("ICASSP", r"\bicassp\b"),
    ("Interspeech", r"\binterspeech\b"),
    ("BioNLP", r"\bbionlp\b"),
    ("ClinicalNLP", r"\bclinicalnlp\b"),
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


def venue_from(comment: str | None, journal_ref: str | None, source: str = "arxiv") -> str:
    """The list's venue tag for a paper, or its server (``arXiv``, ``bioRxiv``, ``medRxiv``)."""
    if journal_ref:
        tag = _match(journal_ref)
        if tag:
            return tag
    if comment and _ACCEPTED_RE.search(comment) and not _NEGATED_RE.search(comment):
        for clause in re.split(r"[;\n]|\.\s", comment):
            if not _ACCEPTED_RE.search(clause) or _NEGATED_RE.search(clause):
                continue
            tag = _match(clause)
            if tag:
                workshop = _WORKSHOP_RE.search(clause) and tag not in ("Nature", "Science", "Cell")
                return f"{tag} Workshop" if workshop else tag
    return {"biorxiv": "bioRxiv", "medrxiv": "medRxiv"}.get(source, "arXiv")
