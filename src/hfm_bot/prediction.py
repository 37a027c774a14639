"""What a classifier says about a paper: a plain value, so the modules that only read it
(rendering, proposing, the pipeline) need no model, numpy or scikit-learn to import."""

from __future__ import annotations

from dataclasses import dataclass

from hfm_bot.jsontypes import JSONObject


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model says about one paper."""

    paper_id: str
    score: float
    """Probability that the paper belongs in the list."""
    propose: bool
    """``score`` is at or above the model's threshold."""
    section: str
    section_scores: tuple[tuple[str, float], ...]
    """Every section label with its probability, best first."""
    why: tuple[str, ...]
    """The terms that pushed the TF-IDF relevance score up the most."""
    stage: str = "tfidf"
    """Which stage decided: the TF-IDF model alone, or its blend with the encoder."""
    tfidf_score: float | None = None
    """The TF-IDF model's own probability (equal to ``score`` when it decided alone)."""
    encoder_score: float | None = None
    """The encoder head's probability, for a shortlisted paper."""

    def to_record(self) -> JSONObject:
        return {
            "id": self.paper_id,
            "score": round(self.score, 6),
            "propose": self.propose,
            "section": self.section,
            "section_scores": {label: round(p, 6) for label, p in self.section_scores},
            "why": list(self.why),
            "stage": self.stage,
            "tfidf_score": round(self.score if self.tfidf_score is None else self.tfidf_score, 6),
            "encoder_score": None if self.encoder_score is None else round(self.encoder_score, 6),
        }
