"""The keyword screen that chose the candidates judged in benchmarks/lists/<slug>/judged/.

    python benchmarks/lists/screen.py SLUG DATE [--shared ../shared] [--show] [--check]

A judged day is only as good as its screen: a relevant paper the screen misses is never judged,
so recall measured against the judged file would be too kind. The screens are therefore generous
(about one paper in ten passes for the broad topics) and written down here, where anyone can rerun
them on the stream and get the same candidates. ``--show`` prints each candidate's id, title and
abstract for the person judging (the text stays in ../shared and is never written to the
repository); ``--check`` verifies that the judged file has exactly one well-formed line per
candidate, so a candidate cannot be skipped silently.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_LM = (
    r"\b(LLMs?|MLLMs?|LVLMs?|VLMs?|LMMs?|LRMs?|MLMs?|language models?|reasoning models?"
    r"|large (multimodal |vision |vision-language )?models?|multimodal models?|foundation models?"
    r"|chain[- ]of[- ]thought|GPT-?\d|Gemini|Qwen|LLaMA|Llama|DeepSeek|Claude|o1|o3|R1)\b"
)
_MLLM = (
    r"multi-?modal (large )?language models?|\bMLLMs?\b|\bLVLMs?\b|\bVLMs?\b|\bLMMs?\b"
    r"|vision[- ]language models?|large multimodal models?|multimodal LLMs?|video[- ]?LLMs?"
    r"|video large language|omni-?modal|visual instruction|audio-visual (LLM|language)"
    r"|multi-?modal large models?|\bMLMs?\b|unified multi-?modal models?|multi-?modal foundation"
)
_VISION = r"\b(image|images|visual|vision|video|videos|multimodal|multi-modal|audio-visual)\b"
_REASON = (
    r"reason|chain[- ]of[- ]thought|\bCoT\b|\bthinking\b|test-time scaling|\bGRPO\b|\bRLVR\b"
    r"|verifiable reward|process reward|\bPRMs?\b|math(ematical)? problem|\bo1\b|\bR1\b"
)
_MOE = (
    r"mixture[- ]of[- ](experts?|lora|adapters?)|\bMoEs?\b|\bMoE-|sparse(ly)?[- ]activated"
    r"|expert (routing|parallel|pruning|offload|specializ|activation|selection|load)"
    r"|\brout(er|ers|ing)\b.{0,40}\bexperts?\b|\bexperts?\b.{0,40}\brout(er|ers|ing)\b"
    r"|top-k experts?|gating network"
)


@dataclass(frozen=True)
class Screen:
    """One list's screen: a paper is a candidate when ``passes`` says so."""

    description: str
    all_of: tuple[str, ...]
    any_of: tuple[str, ...] = ()

    def passes(self, text: str) -> bool:
        if not all(re.search(p, text, re.IGNORECASE) for p in self.all_of):
            return False
        return not self.any_of or any(re.search(p, text, re.IGNORECASE) for p in self.any_of)


SCREENS = {
    "mllm-tables": Screen(
        "an MLLM term (MLLM, LVLM, VLM, LMM, MLM, vision-language model, multimodal LLM, "
        "multimodal large model, unified multimodal model, video LLM, omni-modal, visual "
        "instruction), or a model term (as for llm-reasoning) together with a vision term "
        "(image, visual, vision, video, multimodal)",
        all_of=(),
        any_of=(_MLLM, f"(?=.*{_LM})(?=.*{_VISION})"),
    ),
    "llm-reasoning": Screen(
        "a reasoning term (reason*, chain-of-thought, CoT, thinking, test-time scaling, GRPO, "
        "RLVR, verifiable reward, process reward, PRM, math problem, o1, R1) together with a "
        "model term (LLM, MLLM, VLM, LRM, MLM, language/reasoning/multimodal/foundation model, "
        "large (multimodal) model, chain-of-thought, GPT-n, Gemini, Qwen, LLaMA, DeepSeek, "
        "Claude, o1, o3, R1)",
        all_of=(_REASON, _LM),
    ),
    "efficient-reasoning": Screen(
        "as llm-reasoning's: a reasoning term together with a model term (efficient reasoning "
        "is a part of reasoning; the judge decides whether efficiency is the point)",
        all_of=(_REASON, _LM),
    ),
    "moe-llm": Screen(
        "a mixture-of-experts term (mixture of experts / LoRA / adapters, MoE, sparsely "
        "activated, expert routing/parallel/pruning/offload/specialization/activation/selection/"
        "load, router or routing near 'expert', top-k experts, gating network)",
        all_of=(_MOE,),
    ),
}


@dataclass(frozen=True)
class Candidate:
    """A screened paper: what the judge reads (never written to the repository)."""

    id: str
    title: str
    abstract: str


def candidates(shared: Path, slug: str, date: str) -> Iterator[Candidate]:
    """The day's papers that pass the list's screen, in stream order."""
    screen = SCREENS[slug]
    path = shared / "benchmark" / "stream" / f"arxiv-{date[:7]}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["date"] != date:
                continue
            title, abstract = str(row["title"]), str(row["abstract"])
            if screen.passes(f"{title} {abstract}".replace("\n", " ")):
                yield Candidate(str(row["id"]), title, abstract)


def check(judged: Path, expected: list[str], date: str, sections: set[str]) -> list[str]:
    """Problems with a judged file: missing, extra or duplicate ids, or malformed lines."""
    problems: list[str] = []
    seen: list[str] = []
    for no, line in enumerate(judged.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        where = f"{judged}:{no}"
        if set(row) != {"id", "date", "relevant", "section", "reason"}:
            problems.append(f"{where}: fields {sorted(row)}")
        if row.get("date") != date:
            problems.append(f"{where}: date {row.get('date')!r} is not {date}")
        if row.get("relevant") is True and row.get("section") not in sections:
            problems.append(f"{where}: relevant with section {row.get('section')!r}")
        if row.get("relevant") is False and row.get("section") is not None:
            problems.append(f"{where}: not relevant but has a section")
        if not str(row.get("reason", "")).strip():
            problems.append(f"{where}: no reason")
        seen.append(str(row.get("id")))
    if sorted(seen) != sorted(set(seen)):
        problems.append(f"{judged}: duplicate ids")
    problems += [f"{judged}: candidate {i} not judged" for i in sorted(set(expected) - set(seen))]
    problems += [f"{judged}: {i} is not a candidate" for i in sorted(set(seen) - set(expected))]
    return problems


def _sections(slug: str) -> set[str]:
    import tomllib

    config = Path(__file__).parent / slug / "hfm-bot.toml"
    return set(tomllib.loads(config.read_text(encoding="utf-8"))["sections"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("slug", choices=sorted(SCREENS))
    parser.add_argument("date")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    found = list(candidates(args.shared, args.slug, args.date))
    print(f"{args.slug} {args.date}: {len(found)} candidates ({SCREENS[args.slug].description})")
    if args.show:
        for c in found:
            print(f"\n[{c.id}] {c.title}")
            print(textwrap.fill(c.abstract, 160))
    if args.check:
        judged = Path(__file__).parent / args.slug / "judged" / f"{args.date}.jsonl"
        problems = check(judged, [c.id for c in found], args.date, _sections(args.slug))
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            return 1
        print(f"{judged}: one line per candidate, all well formed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
