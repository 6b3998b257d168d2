#!/usr/bin/env python
"""Generate the embedded synthetic seed corpus ``sentence_emo/data/seed_corpus.jsonl``.

The seed corpus is the default training corpus of ``make demo`` and the fixture corpus of the
unit and integration tests. It is written by *this script*, not by an LLM, and it carries no
human benchmark labels: every text is composed from hand-written fragments (the tables at the
end of this file) and every descriptor comes from the fragments that built the text.

Method
------
* **Single-emotion texts.** A concept block (``concept(...)`` below) holds situations
  ("events") and reactions for one emotion concept. A text is one event plus one reaction,
  put into a register wrapper (social-media post, chat message, first-person narrative, work
  e-mail, product/restaurant review). Its descriptors are the concept name (or a reaction's
  more specific phrase such as "mild amusement"), the tags of the fragments and, sometimes, one
  descriptor the concept entails ("grief" -> "sadness").
* **Mixed texts** join the event and reaction of two concepts ("... But ...").
* **Sarcastic texts** put an irritating event into a surface-positive frame; descriptors are
  ``sarcasm`` plus the event's real emotion (annoyance, frustration, contempt, ...).
* **Neutral texts** fill factual templates; their only descriptor is ``neutral``.

Fragments are drawn with a preference for the least-used ones, and a candidate is rejected when
its text is shorter than 5 or longer than 40 words or when its first 8 words already begin
another text, so every text is unique and no two texts share an 8-word prefix. Everything is
driven by one ``random.Random(SEED)``: re-running the script gives byte-identical files.

The corpus card ``SEED_CORPUS.md`` is written by the same run; every number in it is computed
from the generated records.

Usage::

    python scripts/make_seed_corpus.py                      # rewrite the shipped files
    python scripts/make_seed_corpus.py --out /tmp/c.jsonl --card /tmp/CARD.md
    python scripts/make_seed_corpus.py --check              # exit 1 if the shipped files are stale

Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20250607
PROMPT_VERSION = "seed-v1"
SOURCE = "synthetic-seed"
TEACHER = "template-generator"

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "sentence_emo" / "data" / "seed_corpus.jsonl"
DEFAULT_CARD = REPO_ROOT / "sentence_emo" / "data" / "SEED_CORPUS.md"

#: how many records of each kind are generated
TARGETS = {"single": 1150, "mixed": 260, "sarcastic": 120, "neutral": 190}
MIN_WORDS, MAX_WORDS = 5, 40
PREFIX_WORDS = 8
MAX_DESCRIPTORS = 4
ALSO_PROBABILITY = 0.6  # chance that a single-emotion text also gets an entailed descriptor
EXPLICIT_PROBABILITY = 0.5  # chance that a reaction naming the emotion is preferred
MAX_ATTEMPTS = 400  # per record; exceeding it means the fragment tables are too small

REGISTER_WEIGHTS = {"social": 3.0, "chat": 2.5, "narrative": 2.5, "email": 2.0, "review": 2.5}

GOEMOTIONS_LABELS = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity",
    "desire", "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear",
    "gratitude", "grief", "joy", "love", "nervousness", "optimism", "pride", "realization", "relief",
    "remorse", "sadness", "surprise", "neutral",
)
ISEAR_LABELS = ("joy", "fear", "anger", "sadness", "disgust", "shame", "guilt")


class SeedCorpusError(ValueError):
    """The fragment tables cannot produce a corpus that meets the stated requirements."""


# --------------------------------------------------------------------------- fragments


@dataclass(frozen=True)
class Fragment:
    """One hand-written event or reaction with its placement flags and descriptor tags."""

    text: str
    domain: str = "l"  # l(ife) / w(ork) / p(roduct) / r(estaurant)
    explicit: bool = False  # names the emotion
    standalone: bool = False  # must be its own sentence
    informal: bool = False  # not in e-mails
    tags: tuple[str, ...] = ()  # descriptors added by this fragment
    replace: str | None = None  # replaces the concept's primary descriptor


@dataclass(frozen=True)
class Concept:
    name: str
    valence: str
    also: tuple[str, ...]
    events: tuple[Fragment, ...]
    reacts: tuple[Fragment, ...]


_PREFIX = re.compile(r"^([wprxis]+):\s*")


def parse_fragments(block: str) -> list[Fragment]:
    """Parse one fragment per non-empty line (see the table notes for the prefix/tag syntax)."""
    out: list[Fragment] = []
    for raw in block.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        flags = ""
        match = _PREFIX.match(line)
        if match:
            flags = match.group(1)
            line = line[match.end():]
        tags: list[str] = []
        replace = None
        if " | " in line:
            line, tag_text = (part.strip() for part in line.split(" | ", 1))
            for tag in tag_text.split(";"):
                tag = tag.strip()
                if tag.startswith("="):
                    replace = normalise(tag[1:])
                elif tag:
                    tags.append(normalise(tag))
        domain = next((f for f in flags if f in "wpr"), "l")
        out.append(Fragment(line, domain, "x" in flags, "s" in flags, "i" in flags, tuple(tags), replace))
    return out


def load_concepts() -> list[Concept]:
    concepts = []
    for block in CONCEPTS:
        also = tuple(normalise(a) for a in block["also"].split(";") if a.strip())
        concepts.append(Concept(block["name"], block["valence"], also,
                                tuple(parse_fragments(block["events"])), tuple(parse_fragments(block["reacts"]))))
    names = [c.name for c in concepts]
    if len(set(names)) != len(names):
        dupes = sorted(n for n, k in Counter(names).items() if k > 1)
        raise SeedCorpusError(f"concept names must be unique; duplicated: {dupes}. Merge or rename the blocks.")
    for c in concepts:
        if c.valence not in REVIEW_STARS:
            raise SeedCorpusError(f"concept {c.name!r} has valence {c.valence!r}; use one of '+', '-', '~'")
        if len(c.events) < 4 or len(c.reacts) < 4:
            raise SeedCorpusError(f"concept {c.name!r} needs at least 4 events and 4 reactions; add fragments")
    return concepts


# --------------------------------------------------------------------------- text helpers

_WS = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9']+")
_KEEP_CASE = {"I", "I'm", "I've", "I'd", "I'll"}
PROPER_NOUNS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def normalise(descriptor: str) -> str:
    """Same rule as ``sentence_emo.corpus.normalise_descriptor`` (kept stdlib-only here)."""
    return _WS.sub(" ", descriptor).strip().lower()


def normalise_list(descriptors: list[str]) -> list[str]:
    """Same rule as ``sentence_emo.corpus.normalise_descriptors``."""
    out: list[str] = []
    for d in descriptors:
        d = normalise(d)
        if d and d not in out:
            out.append(d)
    if len(out) > 1 and "neutral" in out:
        out.remove("neutral")
    return out


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def low(text: str) -> str:
    first = text.split(" ", 1)[0].strip(",.!?\"'")
    proper = first in _KEEP_CASE or first in PROPER_NOUNS or first.split("'")[0] in NAMES
    if proper or (len(first) > 1 and first.isupper()):
        return text
    return text[:1].lower() + text[1:]


def tidy(text: str) -> str:
    text = re.sub(r"([?!])[.,]", r"\1", text)
    text = re.sub(r'([?!])"[.,]', r'\1"', text)
    text = re.sub(r"\.{2,}", ".", text)
    return _WS.sub(" ", text).strip()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def prefix_key(text: str) -> str:
    return " ".join(words(text)[:PREFIX_WORDS])


def names_descriptor(text: str, descriptors: list[str]) -> bool:
    """Whether any word of any descriptor occurs verbatim (as a whole word) in the text."""
    text_words = set(words(text.replace("-", " ")))
    return any(w in text_words for d in descriptors for w in re.findall(r"[a-z0-9']+", d))


def joined_slots(template: str) -> set[str]:
    """Placeholders that continue a clause (after "and" or a dash): they need a joinable reaction."""
    return set(re.findall(r"(?:\band|—) \{(r|ra|rb)\}", template))


# --------------------------------------------------------------------------- composition


def _item_id(item) -> str:
    if isinstance(item, Fragment):
        return item.text
    return item.name if isinstance(item, Concept) else str(item)


@dataclass
class Draft:
    text: str
    descriptors: list[str]
    kind: str
    register: str
    concepts: tuple[str, ...]


@dataclass
class Composer:
    """Draws fragments (least-used first), composes texts and keeps them unique."""

    rng: random.Random
    usage: Counter = field(default_factory=Counter)
    prefixes: set = field(default_factory=set)
    drafts: list = field(default_factory=list)
    pending: list = field(default_factory=list)  # fragments drawn for the current candidate
    rejected: int = 0

    def pick(self, key: tuple[str, str], items):
        """Random choice weighted towards the items used least so far."""
        items = list(items)
        if not items:
            raise SeedCorpusError(f"no fragment available for {key!r}; add fragments to that table")
        weights = [1.0 / (1 + self.usage[(key, _item_id(x))]) ** 2 for x in items]
        choice = self.rng.choices(items, weights=weights, k=1)[0]
        self.pending.append((key, _item_id(choice)))
        return choice

    def accept(self, draft: Draft | None) -> bool:
        if draft is None:
            return False
        n_words = len(draft.text.split())
        key = prefix_key(draft.text)
        if not MIN_WORDS <= n_words <= MAX_WORDS or key in self.prefixes:
            self.rejected += 1
            return False
        self.prefixes.add(key)
        self.usage.update(self.pending)
        self.drafts.append(draft)
        return True

    def produce(self, kind: str, n: int, make) -> None:
        for i in range(n):
            for _ in range(MAX_ATTEMPTS):
                self.pending = []
                if self.accept(make()):
                    break
            else:
                raise SeedCorpusError(
                    f"could not compose {kind} text #{i + 1} of {n} in {MAX_ATTEMPTS} attempts (every candidate "
                    f"was too long/short or repeated an {PREFIX_WORDS}-word prefix); add fragments or lower "
                    f"TARGETS[{kind!r}]"
                )

    # ------------------------------------------------------------------ shared pieces

    def register_for(self, available: list[str]) -> str:
        return self.rng.choices(available, weights=[REGISTER_WEIGHTS[r] for r in available], k=1)[0]

    def event_for(self, concept: Concept, register: str) -> Fragment:
        if register == "email":
            pool = [e for e in concept.events if e.domain == "w"]
        elif register == "review":
            pool = [e for e in concept.events if e.domain in "pr"]
        else:
            pool = list(concept.events)
        return self.pick(("event", concept.name), pool)

    def react_for(self, concept: Concept, register: str, joined: bool) -> Fragment:
        pool = [r for r in concept.reacts if not (joined and r.standalone) and not (register == "email" and r.informal)]
        explicit = [r for r in pool if r.explicit]
        implicit = [r for r in pool if not r.explicit]
        if explicit and (not implicit or self.rng.random() < EXPLICIT_PROBABILITY):
            pool = explicit
        elif implicit:
            pool = implicit
        return self.pick(("react", concept.name), pool)

    def descriptors_for(self, concept: Concept, event: Fragment, react: Fragment, also: bool = True) -> list[str]:
        ds = [react.replace or concept.name, *event.tags, *react.tags]
        if also and concept.also and self.rng.random() < ALSO_PROBABILITY:
            ds.extend(self.rng.sample(concept.also, k=self.rng.choice([1, 1, len(concept.also)])))
        return normalise_list(ds)[:MAX_DESCRIPTORS]

    def fill(self, template: str, register: str, values: dict[str, str]) -> str:
        names = [n for n in NAMES if n not in " ".join(values.values())]
        recipient = self.rng.choice(names)
        sender = self.rng.choice([n for n in names if n != recipient])
        extra = {"N": recipient, "M": sender, "tag": self.rng.choice(SOCIAL_TAGS)}
        text = template.format(**extra, **values)
        if register == "chat":
            text = low(text)
        return tidy(text)

    # ------------------------------------------------------------------ the four kinds

    def single(self, concept: Concept) -> Draft:
        available = ["social", "chat", "narrative"]
        if any(e.domain == "w" for e in concept.events):
            available.append("email")
        if any(e.domain in "pr" for e in concept.events):
            available.append("review")
        register = self.register_for(available)
        event = self.event_for(concept, register)
        template = self.pick(("wrapper", register), WRAPPERS[register])
        react = self.react_for(concept, register, joined="r" in joined_slots(template))
        values = {"E": cap(event.text), "e": low(event.text), "R": cap(react.text), "r": low(react.text)}
        if register == "review":
            domain = event.domain if event.domain in "pr" else "p"
            values["open"] = self.rng.choice(REVIEW_OPENERS[domain])
            values["stars"] = self.rng.choice(REVIEW_STARS[concept.valence])
        text = self.fill(template, register, values)
        return Draft(text, self.descriptors_for(concept, event, react), "single", register, (concept.name,))

    def mixed(self, concepts: list[Concept]) -> Draft | None:
        positive = [c for c in concepts if c.valence == "+"]
        negative = [c for c in concepts if c.valence == "-"]
        if self.rng.random() < 0.65:
            pair = [self.pick(("mixed-concept", "+"), positive), self.pick(("mixed-concept", "-"), negative)]
            self.rng.shuffle(pair)
        else:
            pair = [self.pick(("mixed-concept", "any"), concepts) for _ in range(2)]
        a, b = pair
        if a.name == b.name or a.name in b.also or b.name in a.also:
            return None
        contrast = {a.valence, b.valence} == {"+", "-"}
        register = self.register_for(list(MIXED_WRAPPERS))
        template = self.pick(("mixed-wrapper", register), MIXED_WRAPPERS[register])
        joined = joined_slots(template)
        ea, eb = self.event_for(a, register), self.event_for(b, register)
        ra, rb = self.react_for(a, register, "ra" in joined), self.react_for(b, register, "rb" in joined)
        connective = self.rng.choice(MIXED_CONNECTIVES["contrast" if contrast else "addition"])
        values = {"EA": cap(ea.text), "ea": low(ea.text), "eb": low(eb.text), "RA": cap(ra.text), "ra": low(ra.text),
                  "RB": cap(rb.text), "rb": low(rb.text), "C": connective, "c": connective.lower()}
        text = self.fill(template, register, values)
        ds = self.descriptors_for(a, ea, ra, also=False)[:2] + self.descriptors_for(b, eb, rb, also=False)[:2]
        if contrast and ("how I feel" in template or self.rng.random() < 0.15):
            ds.append("mixed feelings")
        return Draft(text, normalise_list(ds)[:MAX_DESCRIPTORS], "mixed", register, (a.name, b.name))

    def sarcastic(self, events: list[Fragment]) -> Draft:
        event = self.pick(("sarcasm", "event"), events)
        available = ["social", "chat"]
        if event.domain == "w":
            available.append("email")
        if event.domain in "pr":
            available.append("review")
        register = self.rng.choices(available, weights=[5 if r == "social" else 2 for r in available], k=1)[0]
        frame = self.pick(("sarcasm", register), SARCASM_FRAMES[register])
        text = self.fill(frame, register, {"E": cap(event.text), "e": low(event.text)})
        return Draft(text, normalise_list(["sarcasm", *event.tags])[:MAX_DESCRIPTORS], "sarcastic", register,
                     ("sarcasm",))

    def neutral(self, templates: list[tuple[str, str]]) -> Draft:
        register, template = self.pick(("neutral", "template"), templates)
        slots = {name: self.rng.choice(options) for name, options in NEUTRAL_SLOTS.items()}
        slots["N"] = self.rng.choice(NAMES)
        text = tidy(cap(template.format(**slots)) if register != "chat" else template.format(**slots))
        return Draft(text, ["neutral"], "neutral", register, ("neutral",))


def generate(seed: int = SEED) -> tuple[list[dict], list[Draft], int]:
    """Compose all records. Returns ``(records, drafts, rejected_candidates)``, records in id order."""
    rng = random.Random(seed)
    concepts = load_concepts()
    composer = Composer(rng)

    per_concept, remainder = divmod(TARGETS["single"], len(concepts))
    for i, concept in enumerate(concepts):
        composer.produce(f"single/{concept.name}", per_concept + (1 if i < remainder else 0),
                         lambda c=concept: composer.single(c))
    composer.produce("mixed", TARGETS["mixed"], lambda: composer.mixed(concepts))
    sarcasm_events = parse_fragments(SARCASM_EVENTS)
    composer.produce("sarcastic", TARGETS["sarcastic"], lambda: composer.sarcastic(sarcasm_events))
    neutral_templates = []
    for line in NEUTRAL_TEMPLATES.strip().splitlines():
        register, template = line.strip().split(": ", 1)
        neutral_templates.append((register, template))
    composer.produce("neutral", TARGETS["neutral"], lambda: composer.neutral(neutral_templates))

    drafts = list(composer.drafts)
    rng.shuffle(drafts)
    records = [
        {"id": f"seed-{i:05d}", "text": d.text, "descriptors": d.descriptors, "source": SOURCE,
         "teacher": TEACHER, "prompt_version": PROMPT_VERSION}
        for i, d in enumerate(drafts, start=1)
    ]
    return records, drafts, composer.rejected


# --------------------------------------------------------------------------- statistics and card


def corpus_stats(records: list[dict], drafts: list[Draft], rejected: int) -> dict:
    """Every number the card reports, computed from the generated records."""
    n = len(records)
    kinds = Counter(d.kind for d in drafts)
    registers = Counter(d.register for d in drafts)
    vocab = Counter(desc for r in records for desc in r["descriptors"])
    per_text = Counter(len(r["descriptors"]) for r in records)
    lengths = [len(r["text"].split()) for r in records]
    explicit = sum(names_descriptor(r["text"], r["descriptors"]) for r in records)
    prefix_counts = Counter(prefix_key(r["text"]) for r in records)
    concept_counts = Counter(c for d in drafts for c in d.concepts)
    events = [e.text for c in CONCEPTS for e in parse_fragments(c["events"])]
    reacts = [r.text for c in CONCEPTS for r in parse_fragments(c["reacts"])]
    return {
        "records": n,
        "kinds": {k: kinds[k] for k in TARGETS},
        "registers": dict(sorted(registers.items(), key=lambda kv: (-kv[1], kv[0]))),
        "distinct_descriptors": len(vocab),
        "descriptor_vocabulary": dict(sorted(vocab.items(), key=lambda kv: (-kv[1], kv[0]))),
        "descriptors_per_text": dict(sorted(per_text.items())),
        "mean_descriptors_per_text": sum(len(r["descriptors"]) for r in records) / n,
        "words_min": min(lengths),
        "words_max": max(lengths),
        "words_mean": statistics.fmean(lengths),
        "words_median": statistics.median(lengths),
        "implicit_share": (n - explicit) / n,
        "near_duplicate_share": sum(c for c in prefix_counts.values() if c > 1) / n,
        "unique_texts": len({r["text"] for r in records}),
        "concepts": dict(sorted(concept_counts.items())),
        "n_events": len(events) + len(parse_fragments(SARCASM_EVENTS)),
        "n_reactions": len(reacts),
        "n_neutral_templates": len(NEUTRAL_TEMPLATES.strip().splitlines()),
        "n_wrappers": sum(map(len, WRAPPERS.values())) + sum(map(len, MIXED_WRAPPERS.values()))
        + sum(map(len, SARCASM_FRAMES.values())),
        "rejected_candidates": rejected,
        "goemotions": {label: vocab.get(label, 0) for label in GOEMOTIONS_LABELS},
        "isear": {label: vocab.get(label, 0) for label in ISEAR_LABELS},
    }


def check_requirements(stats: dict) -> None:
    """Refuse to write a corpus that misses the documented requirements."""
    problems = []
    if stats["records"] < 1600:
        problems.append(f"only {stats['records']} records (need >= 1600): raise TARGETS")
    if stats["unique_texts"] != stats["records"]:
        problems.append("duplicate texts")
    if len(stats["concepts"]) < 70:
        problems.append(f"only {len(stats['concepts'])} emotion concepts (need >= 70): add concept blocks")
    if not 0.10 <= stats["kinds"]["neutral"] / stats["records"] <= 0.13:
        problems.append(f"neutral share {stats['kinds']['neutral'] / stats['records']:.3f} outside 0.10-0.13")
    if stats["implicit_share"] < 0.5:
        problems.append(f"only {stats['implicit_share']:.1%} texts avoid their descriptor words (need >= 50%)")
    if stats["near_duplicate_share"] > 0.03:
        problems.append(f"{stats['near_duplicate_share']:.1%} texts share an 8-word prefix (max 3%)")
    if not (MIN_WORDS <= stats["words_min"] and stats["words_max"] <= MAX_WORDS):
        problems.append(f"text lengths {stats['words_min']}-{stats['words_max']} words outside {MIN_WORDS}-{MAX_WORDS}")
    missing = [k for k, v in {**stats["goemotions"], **stats["isear"]}.items() if not v]
    if missing:
        problems.append(f"benchmark label names never used as descriptors: {missing}")
    if problems:
        raise SeedCorpusError("the generated seed corpus fails its requirements: " + "; ".join(problems)
                              + ". Fix the fragment tables or TARGETS in scripts/make_seed_corpus.py.")


def _pct(part: int | float, whole: int) -> str:
    return f"{100 * part / whole:.1f}%"


def render_card(stats: dict, corpus_name: str, sha256: str) -> str:
    n = stats["records"]
    kinds = stats["kinds"]
    lines = [
        "---",
        "license: apache-2.0",
        "language:",
        "- en",
        "pretty_name: sentence_emo synthetic seed corpus",
        "size_categories:",
        "- 1K<n<10K",
        "task_categories:",
        "- text-classification",
        "tags:",
        "- emotion",
        "- synthetic",
        "- multi-label",
        "- sentence-emo",
        "---",
        "",
        f"# Synthetic seed corpus (`{corpus_name}`)",
        "",
        "<!-- Generated by scripts/make_seed_corpus.py together with the corpus. Do not edit by hand:",
        "     change the script and re-run it. Every number below is computed from the records. -->",
        "",
        f"{n:,} short English texts, each paired with 1-{MAX_DESCRIPTORS} free-form emotion descriptors in the",
        "record format of `sentence_emo.corpus` (`id`, `text`, `descriptors`, `source`, `teacher`,",
        "`prompt_version`) - the same shape an LLM teacher produces with `sentence-emo annotate`. It ships",
        "inside the package, so training, `make demo` and the tests run offline, without an LLM or a",
        "benchmark download:",
        "",
        "```python",
        "from sentence_emo.corpus import load_seed_corpus  # or load_corpus(\"seed\")",
        "",
        "records = load_seed_corpus()",
        "```",
        "",
        "## How it was made",
        "",
        f"* **Generator:** `scripts/make_seed_corpus.py` (standard library only), `random.Random({SEED})`.",
        f"  Records carry `source=\"{SOURCE}\"`, `teacher=\"{TEACHER}\"`, `prompt_version=\"{PROMPT_VERSION}\"`.",
        "* **Method: compositional templates written by the project.** The script holds hand-written",
        f"  fragment tables: {stats['n_events']} situations (\"events\"), {stats['n_reactions']} reactions, "
        f"{stats['n_neutral_templates']} factual",
        f"  templates and {stats['n_wrappers']} register wrappers (social-media post, chat message, first-person",
        "  narrative, work e-mail, product/restaurant review).",
        "  A single-emotion text is one event plus one reaction of the same emotion concept inside a wrapper;",
        "  a mixed text joins two concepts; a sarcastic text puts an irritating event into a",
        "  surface-positive frame; a neutral text fills a factual template.",
        "* **Descriptors come from the fragments,** not from a model: the concept name (or a reaction's more",
        "  specific phrase such as \"mild amusement\"), the tags a fragment carries, and sometimes",
        "  descriptors the concept entails (\"grief\" -> \"sadness\"). They are lower-case and already",
        "  normalised (`sentence_emo.corpus.normalise_descriptors`).",
        "* **Not an LLM, no benchmark data.** No text was produced by a language model and none was copied",
        "  from a dataset; no human benchmark labels were used.",
        "* **Diversity controls.** Fragments are drawn least-used first; a candidate is rejected when it is",
        f"  shorter than {MIN_WORDS} or longer than {MAX_WORDS} words or when its first {PREFIX_WORDS} words "
        "already begin",
        f"  another text ({stats['rejected_candidates']:,} candidates were rejected in this build).",
        "* **Reproducible.** Re-running the script gives byte-identical files; `--check` verifies the",
        "  shipped copy.",
        "",
        "```bash",
        "python scripts/make_seed_corpus.py           # rewrites seed_corpus.jsonl and this card",
        "python scripts/make_seed_corpus.py --check   # exit status 1 if they are stale",
        "```",
        "",
        f"SHA-256 of `{corpus_name}`: `{sha256}`",
        "",
        "## Statistics",
        "",
        "| | |",
        "|---|---|",
        f"| records | {n:,} |",
        f"| distinct descriptors | {stats['distinct_descriptors']} |",
        f"| emotion concepts (incl. sarcasm, neutral) | {len(stats['concepts'])} |",
        f"| descriptors per text (mean) | {stats['mean_descriptors_per_text']:.2f} |",
        f"| words per text (min / median / mean / max) | {stats['words_min']} / {stats['words_median']:g} / "
        f"{stats['words_mean']:.1f} / {stats['words_max']} |",
        f"| single-emotion texts | {kinds['single']:,} ({_pct(kinds['single'], n)}) |",
        f"| mixed texts (two emotion concepts) | {kinds['mixed']:,} ({_pct(kinds['mixed'], n)}) |",
        f"| sarcastic texts | {kinds['sarcastic']:,} ({_pct(kinds['sarcastic'], n)}) |",
        f"| neutral texts (`[\"neutral\"]` only) | {kinds['neutral']:,} ({_pct(kinds['neutral'], n)}) |",
        f"| texts containing none of their descriptor words | {_pct(stats['implicit_share'], 1)} |",
        f"| texts sharing their first {PREFIX_WORDS} words with another | {_pct(stats['near_duplicate_share'], 1)} |",
        "",
        "Descriptors per text:",
        "",
        "| descriptors | texts | share |",
        "|---|---|---|",
        *(f"| {k} | {v:,} | {_pct(v, n)} |" for k, v in stats["descriptors_per_text"].items()),
        "",
        "Registers:",
        "",
        "| register | texts | share |",
        "|---|---|---|",
        *(f"| {k} | {v:,} | {_pct(v, n)} |" for k, v in stats["registers"].items()),
        "",
        "## Emotion concepts",
        "",
        f"{len(stats['concepts'])} concepts; the number is how many texts were built from each (a mixed text",
        "counts for both of its concepts):",
        "",
        ", ".join(f"{name} ({count})" for name, count in stats["concepts"].items()) + ".",
        "",
        "Most frequent descriptors:",
        "",
        ", ".join(f"{d} ({c})" for d, c in list(stats["descriptor_vocabulary"].items())[:40]) + ".",
        "",
        "## Benchmark label names",
        "",
        "Every label name of GoEmotions (28) and ISEAR (7) occurs as a descriptor, so zero-shot label sets of",
        "those benchmarks are represented in the descriptor space. The texts themselves are not from those",
        "benchmarks and carry no benchmark annotations. Texts per label name:",
        "",
        "* GoEmotions: " + ", ".join(f"{k} ({v})" for k, v in stats["goemotions"].items()) + ".",
        "* ISEAR: " + ", ".join(f"{k} ({v})" for k, v in stats["isear"].items()) + ".",
        "",
        "## Intended use",
        "",
        "* The default training corpus of `make demo` and of training runs that name no corpus.",
        "* A fixture for unit and integration tests (loading, dataset building, a few real training steps).",
        "* **Not a benchmark.** Do not report accuracy on it: its descriptors are by construction what the",
        "  generator put there, and its texts share fragments. Evaluate on real benchmarks",
        "  (`sentence-emo eval`).",
        "",
        "## Limitations",
        "",
        "* **Synthetic.** Texts are short, tidy and mostly first-person; real posts are noisier, longer and more",
        "  ambiguous, and real descriptor sets (from an LLM teacher) are richer and less regular.",
        "* **Template artefacts.** Each event appears in several texts (on average "
        f"{(kinds['single'] + 2 * kinds['mixed']) / (stats['n_events'] - len(parse_fragments(SARCASM_EVENTS))):.1f}),",
        "  and wrappers such as \"Update:\" or \"Hi team, quick update:\" recur across emotions. A model",
        "  can partly memorise fragments; do not read training loss on this corpus as generalisation.",
        "* **Labels are only as good as the fragment tables.** Descriptors are assigned by construction;",
        "  an event and a reaction drawn independently sometimes fit each other only loosely.",
        "* **Balanced by design.** Concepts are roughly equally frequent, unlike natural text, where joy,",
        "  anger and neutral dominate. Sarcasm comes from a small set of frames.",
        "* **English only,** with mostly British/North-American settings and names.",
        "* **Descriptor vocabulary chosen by the project,** not elicited from a specific LLM; phrasings an",
        "  LLM teacher prefers may be missing.",
        "",
        "## Licence",
        "",
        "Apache-2.0, like the rest of `sentence_emo`. All texts and descriptors were written for this project.",
        "",
    ]
    return "\n".join(lines)


def render_jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def build(seed: int = SEED, corpus_name: str = DEFAULT_OUT.name) -> tuple[bytes, bytes, dict]:
    """Generate and check the corpus; return ``(jsonl_bytes, card_bytes, stats)``. Writes nothing."""
    records, drafts, rejected = generate(seed)
    stats = corpus_stats(records, drafts, rejected)
    check_requirements(stats)
    data = render_jsonl(records)
    card = render_card(stats, corpus_name, hashlib.sha256(data).hexdigest()).encode("utf-8")
    return data, card, stats


def _write_atomic(path: Path, data: bytes) -> None:
    from sentence_emo.atomic import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)


def main(out_path: str | Path | None = None, card_path: str | Path | None = None) -> dict:
    """Write the corpus and its card (defaults: the shipped package-data files); return the statistics."""
    out_path = Path(out_path) if out_path is not None else DEFAULT_OUT
    card_path = Path(card_path) if card_path is not None else DEFAULT_CARD
    data, card, stats = build(corpus_name=out_path.name)
    _write_atomic(out_path, data)
    _write_atomic(card_path, card)
    return stats


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"corpus JSONL path (default: {DEFAULT_OUT})")
    parser.add_argument("--card", type=Path, default=DEFAULT_CARD, help=f"corpus card path (default: {DEFAULT_CARD})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if --out/--card differ from what the script generates")
    args = parser.parse_args(argv)
    if args.check:
        data, card, _ = build(corpus_name=args.out.name)
        stale = [str(p) for p, want in ((args.out, data), (args.card, card))
                 if not p.exists() or p.read_bytes() != want]
        if stale:
            print(f"stale: {', '.join(stale)}; run python scripts/make_seed_corpus.py", file=sys.stderr)
            return 1
        print("seed corpus is up to date")
        return 0
    stats = main(args.out, args.card)
    print(f"wrote {stats['records']} records ({stats['distinct_descriptors']} distinct descriptors, "
          f"{len(stats['concepts'])} concepts) to {args.out} and the card to {args.card}")
    return 0


# ===========================================================================
# FRAGMENT TABLES
# ===========================================================================
# Every fragment below was written for this project; nothing is copied from any dataset.
#
# Concept blocks
# --------------
# ``concept(name, valence, also=..., events=..., reacts=...)``
#
# * ``name`` is the primary descriptor of every text built from the block.
# * ``valence`` is ``"+"``, ``"-"`` or ``"~"`` (ambiguous); it picks review stars and the
#   connective used when two concepts are mixed in one text.
# * ``also``: ``;``-separated descriptors the concept entails (``"grief"`` entails ``"sadness"``);
#   some single-emotion texts get one or all of them.
# * ``events``: one situation per line, a clause without final punctuation. Line prefixes say
#   where it fits: ``w:`` work (usable in e-mails), ``p:`` a product, ``r:`` a restaurant or café
#   (both usable in reviews); no prefix means everyday life.
# * ``reacts``: one reaction per line, a clause that follows the event. Prefixes: ``x:`` names the
#   emotion explicitly, ``s:`` must stand as its own sentence (cannot follow ", and"), ``i:``
#   informal (never used in an e-mail).
# * A fragment may end with ``| tags``: ``;``-separated descriptors the fragment adds. A tag that
#   starts with ``=`` replaces the primary descriptor (``| =mild amusement``).

CONCEPTS: list[dict] = []


def concept(name: str, valence: str, *, events: str, reacts: str, also: str = "") -> None:
    CONCEPTS.append({"name": name, "valence": valence, "also": also, "events": events, "reacts": reacts})


# --------------------------------------------------------------------------- positive

concept("joy", "+", also="happiness;delight", events="""
    my little sister got into the university she has dreamed about since she was nine
    we finally got the keys to our first apartment
    the whole family showed up at the airport with a giant handmade banner for me
    I heard my daughter laugh in her sleep
    w: we shipped the release and the first customer emails are glowing
    r: the tiramisu here tasted exactly like my nonna's
    p: the new bike arrived and the first ride along the river was perfect
    the first warm day of spring came with the windows open and music on
""", reacts="""
    I have been grinning like an idiot all afternoon
    I keep dancing around the kitchen
    my face actually hurts from smiling
    i: I literally screamed and hugged a stranger | excitement
    everything feels bright and light today
    xs: pure joy, honestly | =pure joy
    x: I am so happy I could cry | happiness
""")

concept("gratitude", "+", also="appreciation;warmth", events="""
    my neighbour shovelled our whole driveway before I even woke up
    a stranger paid for my groceries when my card got declined
    w: Priya stayed late to help me fix the deployment script
    w: facilities replaced my broken chair within an hour of the request
    my old teacher wrote me a reference letter on a Sunday night
    r: the waiter noticed it was my mum's birthday and brought out her dessert with a candle
    p: customer support replaced the cracked screen without asking a single question
    my friends quietly set up a meal rota for us after the surgery
""", reacts="""
    I don't know how I will ever repay that kindness
    people like that keep the world turning
    I owe them a very big dinner
    it made a real difference to the whole week
    I want to hug every single one of them | affection
    xs: so grateful for people like this
    xs: thank you does not feel like enough | thankfulness
""")

concept("admiration", "+", also="respect;appreciation", events="""
    my grandmother learned to swim at seventy-two
    w: Dana handled that hostile client call without raising her voice once
    I watched a nurse calm an entire waiting room with two sentences
    my brother trained for a year and ran his first marathon after the accident
    w: the new intern rewrote our slowest query and cut the runtime by ninety percent
    r: the chef came out and explained every course with such precision and care
    p: whoever designed the hinge on this laptop deserves an award
    the kid next door taught herself to code from library books
""", reacts="""
    I could never do that in a million years | awe
    honestly, I want to be like that when I grow up
    the skill and patience behind it blow my mind
    that kind of grace under pressure is rare
    someone should be writing articles about this
    xs: nothing but admiration for them
    x: I really admire how it was done
""")

concept("amusement", "+", also="humor;mirth", events="""
    my cat sat on the keyboard during the video call and muted the CEO
    my dad asked the voice assistant to please and thank you, twice
    w: someone replied-all to the entire company with a photo of their lunch
    autocorrect changed "meeting" to "meatloaf" in my message to the landlord
    my toddler introduced our dog to the pizza delivery guy as her husband
    r: the waiter brought us a stranger's birthday cake and the whole staff sang to my dad
    p: the assembly instructions for this shelf show a cartoon man crying in step nine
    a pigeon walked onto the train, rode one stop and got off like a commuter
""", reacts="""
    I wheezed for a full five minutes
    i: I'm crying, I can't breathe
    I snorted coffee all over my desk
    I am still giggling about it hours later
    I laughed until my stomach hurt
    xs: mildly amused, not gonna lie | =mild amusement
    x: this amused me far more than it should have
""")

concept("pride", "+", also="accomplishment;fulfillment", events="""
    my son read his first chapter book all by himself tonight
    w: the project I led for eight months launched without a single bug report
    I paid off the last of my student loans this morning
    I finished the quilt I started when my mother was still alive
    I held a plank for three minutes after months of not managing thirty seconds
    w: my team got named in the company newsletter for the migration work
    p: I assembled this flat-pack wardrobe alone in an hour and it doesn't wobble at all
    I passed my driving test on the fourth attempt
""", reacts="""
    I keep looking at it and smiling
    all those late nights were worth it | satisfaction
    I did that, me, on my own
    I'm saving this moment in my head forever
    xs: so proud I could burst
    xs: allowing myself a little pride about this one | =quiet pride
""")

concept("relief", "+", also="relaxation;ease", events="""
    the biopsy came back clean
    the plane finally landed after an hour of turbulence
    w: the server came back up ten minutes before the client demo
    my dog came home on his own after being missing all night
    w: the audit closed with no findings
    the landlord agreed to fix the heating before winter
    p: the replacement charger arrived and the laptop turned on straight away
    my brother called to say he made it through the storm safely
""", reacts="""
    I can finally breathe again
    my shoulders just dropped about two inches
    I am going to sleep for twelve hours
    the knot in my stomach is finally gone
    I didn't realise how tense I was until now
    xs: what a relief
    x: relief doesn't even cover it
""")

concept("love", "+", also="affection;warmth", events="""
    my husband still leaves a note in my lunchbox every morning after twenty years
    my daughter fell asleep on my chest halfway through the movie
    she remembered the exact song that played on our first date
    my grandpa held my grandma's hand for the entire drive home
    we have been together ten years today and he still makes me laugh every day
    my best friend flew across the country just to sit with me for a weekend
    r: this little café is where we had our first date, and we come back every anniversary
    my dog waits at the window every evening until I get home
""", reacts="""
    I don't know what I did to deserve these people
    my heart is so full right now | gratitude
    this is the person I want to grow old with
    there is nobody in the world I'd rather spend my life with
    x: I love them more than words can say
    xs: this is what love looks like
""")

concept("excitement", "+", also="anticipation;eagerness", events="""
    the concert tickets just went through and we are in the second row
    w: we got the green light to start the new project on Monday
    we leave for Japan in four days
    I just booked my first solo trip abroad
    my favourite band announced a show in my city
    p: the new console arrives tomorrow and I have already cleared my weekend
    w: the keynote speaker confirmed for our conference
    I start my dream job next week
""", reacts="""
    I can't sit still
    I'm bouncing off the walls
    I'm counting down the hours
    I have already packed, unpacked and repacked twice
    is: AAAAH I cannot believe this is happening | joy
    xs: so excited I can't sleep
    xs: beyond excited for this
""")

concept("optimism", "+", also="hope;encouragement", events="""
    w: the last two quarters were rough but the pipeline for next year looks solid
    my physio says the knee is healing faster than expected
    we lost the first three games of the season but the team is finally gelling
    I had three interviews this week, each one better than the last
    the garden looks dead but the bulbs are already pushing through
    w: the new manager actually listens to feedback
    p: the first week with this planner went better than I hoped
    the doctor says the new medication should kick in within a month
""", reacts="""
    I think things are finally turning around
    next year is going to be a good one
    I have a good feeling about where this is going
    slowly and steadily, it's getting better
    xs: feeling optimistic for the first time in a while
    xs: cautiously optimistic, touch wood | =cautious optimism
""")

concept("hope", "+", also="optimism;anticipation", events="""
    the fertility clinic called with one more option we haven't tried
    my sister is three months sober and answering my calls again
    w: the hiring manager said they'd love to see me for a second round
    the search team picked up a signal from the missing boat
    the new treatment trial is taking patients with her condition
    my dad agreed to see a therapist after years of refusing
    the flat might still be available if the other offer falls through
    w: the board hasn't said no to the proposal yet
""", reacts="""
    maybe, just maybe, this is the one
    I'm trying not to get my expectations up but it's hard | apprehension
    my fingers are crossed so tightly they hurt
    I'm letting myself imagine it working out
    xs: holding on to hope with both hands
    x: there's hope again and I'm clinging to it
""")

concept("contentment", "+", also="calm;peace", events="""
    Sunday morning, coffee in hand, the cat asleep on my feet
    the kids are in bed, the dishes are done and rain is tapping on the window
    I spent the whole afternoon reading in the garden
    r: a bowl of soup, a window seat and nowhere to be
    we walked home slowly after dinner with nothing to talk about and no need to
    p: this blanket is soft, warm and exactly the right weight
    w: my inbox is empty and the week is wrapped up
    my little vegetable patch finally gave us enough tomatoes for a salad
""", reacts="""
    I don't need anything else right now
    life is simple and good today
    this is enough, this is plenty
    I wouldn't change a single thing about this evening
    xs: quietly content | =quiet contentment
    xs: deeply content with how today went
""")

concept("serenity", "+", also="peace;tranquility", events="""
    I sat by the lake at dawn and watched the mist lift
    the snow fell all night and the whole street went silent
    I finished my yoga practice lying still on the warm floor
    we hiked to the top and sat above the clouds without saying a word
    the only sound in the cabin was the fire crackling
    r: a quiet corner table, a pot of tea and the garden outside the window
    the tide came in slowly while I watched from the dunes
""", reacts="""
    my mind went completely still
    nothing felt urgent for the first time in months
    everything felt soft and slow
    I could have stayed there forever
    x: such a deep sense of serenity
    xs: pure serenity, no other word for it
""")

concept("calm", "+", also="composure;peace", events="""
    the doctor walked me through each step of the procedure
    w: the deadline moved and the team has a sensible plan for the week
    I took ten slow breaths before opening the exam paper
    I turned off my phone for the whole weekend
    the baby finally settled and the house went quiet
    w: we talked through the outage step by step and everyone knew their part
    I went for a long walk without headphones
""", reacts="""
    my heartbeat has slowed right down
    I'm steady, clear-headed and ready
    there is no rush, no noise, just breathing
    whatever happens next, I can handle it
    xs: feeling calm and collected
    xs: a calm I haven't felt in weeks
""")

concept("awe", "+", also="wonder;amazement", events="""
    I saw the northern lights for the first time last night
    we stood at the edge of the canyon at sunset
    I held my newborn niece and she wrapped her whole hand around my finger
    the orchestra hit the final chord and the hall shook
    a humpback whale breached right next to our boat
    the telescope showed Saturn's rings with my own eyes
    a thunderstorm rolled over the mountains while we watched from the hut
""", reacts="""
    I actually forgot to breathe
    I felt so tiny and so lucky at the same time | gratitude
    no photo could ever capture it
    I stood there speechless
    x: I was completely in awe
    xs: awestruck, there's no other word | =awe
""")

concept("satisfaction", "+", also="contentment;pleasure", events="""
    I finally fixed the leaking tap myself without calling anyone
    w: all the tests passed on the first run after a week of refactoring
    I cleared out the garage and can see the floor again
    the last piece of the thousand-piece puzzle clicked into place
    w: the client signed off on the report with no changes
    p: this vacuum pulled up dog hair I didn't know was in the carpet
    r: the steak came exactly how I asked, with a proper crust and a pink middle
    I ticked every item off my list before lunch
""", reacts="""
    that's what a job done right feels like
    s: ten out of ten, no notes
    I leaned back and just looked at it for a while
    it was worth every minute
    xs: deeply satisfying | =deep satisfaction
    xs: so satisfied with how it turned out
""")

concept("triumph", "+", also="pride;elation", events="""
    we beat the team that knocked us out last year, in the final minute
    w: the board approved the budget I fought for all year
    I won the appeal against the parking fine
    after six rejections, the publisher said yes
    I finally beat my brother at chess after twenty years of losing
    w: I found the bug nobody could reproduce for months
    I crossed the finish line of the ultramarathon everyone said I couldn't finish
""", reacts="""
    I ran around with my fists in the air, screaming
    s: take THAT, every single doubter | vindication
    victory tastes incredible
    s: who's laughing now | vindication
    xs: what a triumph
    xs: pure triumph, and I earned this one
""")

concept("playfulness", "+", also="fun;mischief", events="""
    I challenged my kids to a water balloon fight and lost badly
    we built a blanket fort in the living room and refused to leave it
    my roommate and I have been leaving increasingly ridiculous sticky notes on the fridge
    w: we renamed all the meeting rooms after cheeses for April Fools'
    w: I hid twenty tiny rubber ducks around the office for people to find
    the dog and I raced each other around the garden in the rain
    p: I bought an inflatable dinosaur costume and wore it to the grocery store
""", reacts="""
    s: bring it on, round two tomorrow
    I have no regrets, absolutely none
    life is too short not to be silly
    we are officially five years old again
    is: catch me if you can
    xs: feeling very playful today
    x: I'm in a playful mood and nobody can stop me
""")

concept("tenderness", "+", also="affection;warmth", events="""
    I watched my father braid my daughter's hair for the first time, very slowly
    my partner fell asleep mid-sentence with his glasses still on
    I tucked the blanket around my grandmother while she napped
    the old dog rested her head on my lap and sighed
    my son gave his last biscuit to his baby brother without being asked
    I found my mother's handwriting on an old recipe card
""", reacts="""
    I just wanted to hold that moment very carefully
    my heart went soft all at once
    some moments you want to wrap in cotton wool
    I stayed very still so I wouldn't break the spell
    xs: such tenderness in a tiny moment
    x: I feel tender and protective of them | protectiveness
""")

concept("enthusiasm", "+", also="excitement;eagerness", events="""
    w: I volunteered to lead the new onboarding programme
    I signed up for pottery classes and already bought my own clay
    w: the workshop on Friday is finally happening
    I just discovered a whole genre of music I never knew existed
    I've started learning Portuguese for the trip
    p: this stand mixer is incredible and I have already planned five cakes
    r: the ramen here has a rich broth, springy noodles and chili oil they make in-house
""", reacts="""
    s: count me in for everything
    I've told literally everyone about it
    I've got a notebook full of ideas already
    is: let's go, let's go, let's go
    I would do it all again tomorrow
    x: I have so much enthusiasm I can't contain it
    xs: genuinely enthusiastic about this
""")

concept("inspiration", "+", also="motivation;admiration", events="""
    I listened to a ninety-year-old woman talk about starting her business at sixty
    w: the guest speaker explained how they rebuilt their company after a fire
    I read a memoir by a doctor who trained volunteers in a tent clinic
    the kids at the community garden grew enough food to supply the shelter
    I watched a documentary about the first women to climb the north face
    my friend rebuilt her life from scratch after the divorce and just opened her studio
""", reacts="""
    I want to go out and start something tonight
    I've already filled three pages with plans
    it lit a fire under me
    if they can do that, I can at least try
    xs: feeling so inspired right now
    xs: this is the inspiration I needed
""")

concept("trust", "+", also="reliance;security", events="""
    w: I handed the whole client account to Marco while I'm on leave
    my sister has had the spare key to my place for ten years
    I let my teenager drive the family car to the coast alone
    w: the team knows they can push back on my decisions, and they do
    the mechanic told me what NOT to fix so I could save money
    my family doctor has looked after all of us for fifteen years
    my surgeon explained every risk without sugar-coating anything
""", reacts="""
    I don't have to double-check anything they do
    I know they would tell me the truth even if it hurt
    that's someone I'd follow anywhere
    I sleep fine knowing it's in their hands
    x: I trust them completely
    x: they have earned my trust a hundred times over
""")

concept("approval", "+", also="agreement;appreciation", events="""
    w: the new leave policy gives parents six extra weeks
    the city finally put a crossing outside the primary school
    w: the proposal is clear, costed and realistic
    my son apologised to his friend without being told to
    r: they switched to compostable packaging and kept the prices the same
    p: the manual is short, clear and actually explains things
    the council is turning the empty lot into a playground
""", reacts="""
    this is exactly the right call
    s: good decision, well done to whoever pushed for it
    s: more of this, please
    s: thumbs up from me
    that's how it should be done
    xs: full approval from me
    x: I approve, for what it's worth
""")

concept("caring", "+", also="concern;kindness", events="""
    my roommate has had the flu for three days
    w: Sam has been working weekends since his dad got sick
    my neighbour is ninety and lives alone
    my friend just started chemo
    the new kid in class eats lunch by himself every day
    w: the new hire looked lost in this morning's stand-up
""", reacts="""
    I'm dropping off soup tonight and won't take no for an answer | kindness
    I've offered to do the grocery run every week
    I keep checking in just to make sure they're okay
    I've cleared my evening in case they want to talk
    x: I care about them a lot and I want to help
    x: I just want them to know someone cares
""")

concept("sympathy", "~", also="sadness;concern", events="""
    my coworker's father passed away over the weekend
    w: the team in Manila lost two days of work in the power cuts
    my friend's wedding got cancelled a week before the date
    the family across the street lost everything in the flood
    my student failed the exam she studied so hard for
    our barista told me her rent went up forty percent
""", reacts="""
    my heart goes out to them
    I wish there was more I could do
    nobody deserves that, least of all them
    I'm so sorry they're going through this
    xs: so much sympathy for them right now
    xs: deep sympathy for everyone involved | =deep sympathy
""")

concept("compassion", "+", also="caring;empathy", events="""
    I passed the same man sleeping outside the station every morning this week
    a kid at the bus stop was crying because he had lost his bus pass
    w: the customer who yelled at me had just been told his wife was in hospital
    the refugee family next door is learning English from scratch
    the old man at the pharmacy counted his coins twice and still came up short
    my ex is struggling badly with his mental health
""", reacts="""
    everyone is fighting a battle we can't see
    I just wanted to make it a tiny bit easier for them
    I couldn't walk past and do nothing
    I gave what I could and stayed a while
    x: I'm full of compassion for them
    xs: compassion first, judgement never
""")

concept("confidence", "+", also="self-assurance;readiness", events="""
    w: I walk into the pitch tomorrow knowing the numbers better than anyone
    I have practised the speech fifty times
    I have run this route in training a dozen times
    w: I have done this migration three times before
    my lawyer says our case is airtight
    the interview is tomorrow and I have prepared for every question
""", reacts="""
    I've got this, no doubt about it
    whatever they throw at me, I'm ready
    I'm walking in with my head high
    s: bring it on
    xs: feeling confident for once
    xs: quietly confident | =quiet confidence
""")

concept("determination", "+", also="resilience;resolve", events="""
    the first three publishers rejected the manuscript
    I failed the bar exam by four points
    w: the funding got cut in half
    the doctor said I might never walk without a cane again
    w: the client rejected our first two designs
    I've been turned down for every apartment I applied for this month
""", reacts="""
    I'm going again, and again, as many times as it takes
    I'm not giving up, not now, not ever | resolve
    s: watch me
    I'll find a way or make one
    I'll be back at my desk at six tomorrow
    xs: more determined than ever
    xs: stubborn determination is all I've got left | =stubborn determination
""")

concept("anticipation", "+", also="eagerness;excitement", events="""
    the results are out at nine tomorrow morning
    the season finale airs tonight
    w: the quarterly numbers get announced on Thursday
    my sister could go into labour any day now
    p: the package finally says out for delivery
    the first snow is forecast for tonight
""", reacts="""
    I keep refreshing the page
    I've been checking the clock every five minutes
    I'm counting down the minutes
    tomorrow can't come soon enough
    x: the anticipation is killing me
    x: I'm buzzing with anticipation
""")

concept("desire", "+", also="longing;wanting", events="""
    the camera lens I have been eyeing for a year is finally in the shop window
    the smell from the bakery across the street hits me every morning at six
    my friend's new electric bike is sitting in my hallway
    the cabin by the lake is up for sale
    a seat in the pottery master class just opened up
    that vintage leather jacket is still in the thrift store window
""", reacts="""
    I want it so badly it's ridiculous
    I keep staring at it
    I've checked the price about forty times today
    one day that will be mine
    xs: the desire is real
    xs: pure, unfiltered desire
""")

concept("schadenfreude", "+", also="amusement;satisfaction", events="""
    the guy who cut the queue at the coffee shop got the wrong order
    w: the manager who mocked my proposal just had his own rejected by the board
    my neighbour who always parks across my driveway got a ticket
    the driver who tailgated me for ten miles got pulled over a minute later
    my ex's new band got booed off stage
""", reacts="""
    I shouldn't laugh, but I did | guilt
    karma works fast sometimes
    s: couldn't have happened to a nicer person
    s: is it wrong that this made my day?
    xs: a little schadenfreude never hurt anyone
    x: pure schadenfreude and I'm not sorry
""")

# --------------------------------------------------------------------------- ambiguous

concept("curiosity", "~", also="intrigue;fascination", events="""
    there's a locked door in our new basement that isn't on the floor plan
    w: the logs show a user who signs in at exactly 3:17 every night
    my grandmother mentioned a brother nobody had ever heard of
    a box of letters in a language I can't read turned up at the flea market
    I found a tiny handwritten map tucked inside a second-hand book
    r: the menu has a dish called "the mystery" and the waiter won't say what it is
""", reacts="""
    I need to know how this works
    I've been down a research rabbit hole for three hours | fascination
    s: what's the story behind it?
    I can't stop wondering about it
    s: who, why, when? I have so many questions
    x: my curiosity is through the roof
    xs: deeply curious about this now
""")

concept("surprise", "~", also="astonishment;amazement", events="""
    my parents showed up at my door unannounced from three countries away
    w: the CEO joined our team lunch out of nowhere
    the quiet guy from accounting turned out to be a champion ballroom dancer
    I opened the envelope and there was a cheque for two hundred dollars inside
    my ex texted to say congratulations on the new job
    r: the hole-in-the-wall place has a better wine list than the fancy one next door
    p: the cheap headphones sound better than my expensive ones
""", reacts="""
    s: did NOT see that coming
    s: wait, what?
    I had to read it three times
    my jaw is still on the floor | shock
    that was not on my list of things to expect today
    xs: what a surprise
    xs: totally surprised, in a good way | =pleasant surprise
""")

concept("realization", "~", also="insight;clarity", events="""
    I reread the contract and the deadline is this Friday, not next
    it hit me halfway through the conversation that he'd been lying for months
    w: the numbers only add up if we have been double-counting returns
    I noticed the keys I had been searching for were in my other hand
    my daughter asked a question and I understood she's not a child anymore
    I looked at my calendar and saw I haven't had a day off since March
""", reacts="""
    it all clicked into place at once
    s: how did I not see this before?
    everything makes sense now
    I just sat there letting it sink in
    x: the realization hit hard
    xs: a sudden realization, like a light switching on | =sudden realization
""")

concept("nostalgia", "+", also="wistfulness;longing", events="""
    I found my old Game Boy in my parents' attic and it still works
    the radio played the song from our school leavers' dance
    r: this diner still makes the same milkshakes I had every Saturday as a kid
    I smelled my grandmother's perfume on a stranger in the lift
    I flicked through my high school yearbook tonight
    our old street has a playground where the corner shop used to be
    p: this cereal tastes exactly like the one I ate before school in 1998
""", reacts="""
    just like that I'm twelve again
    those summers felt like they lasted forever
    I would give a lot to go back for one day | longing
    it's funny how a smell can carry you back decades
    x: it hit me with a wave of nostalgia
    xs: nostalgia overload
""")

concept("bittersweet", "~", also="nostalgia;wistfulness", events="""
    my youngest started school today
    we handed back the keys to the house I grew up in
    it was my last day at the company after twelve years
    my best friend's wedding was perfect, and she moves abroad next week
    our graduation was the last time we'll all be together
""", reacts="""
    I'm smiling and crying at the same time | joy;sadness
    it's the end of something lovely
    there's so much to look forward to and so much to miss
    there's a lump in my throat and a smile on my face | joy;sadness
    xs: bittersweet doesn't even cover it
    xs: such a bittersweet day
""")

concept("disbelief", "~", also="surprise;astonishment", events="""
    my landlord returned the entire deposit without a single deduction
    w: the intern just got promoted to director
    the lottery ticket I found in my coat is a winner
    my car passed inspection with a rusted-through exhaust
    the quietest kid in my class is now a famous comedian
""", reacts="""
    there is no way this is real
    I'm going to need someone to pinch me
    I keep rereading it waiting for the catch
    s: say that again, slowly
    xs: total disbelief
    x: I'm in complete disbelief
""")

concept("longing", "-", also="sadness;yearning", events="""
    his last letter is still on my nightstand
    my best friend moved to Australia two years ago
    I walked past the café where we used to meet every Friday
    it's been six months since I saw my kids
    the sea is three hundred miles away and I haven't seen it in years
""", reacts="""
    I would give anything for one more afternoon like that
    some part of me is always somewhere else
    I just want to be there again
    I keep imagining the door opening and it being them
    x: I'm aching with longing | =aching longing
    xs: such bittersweet longing for all of it | =bittersweet longing
""")

# --------------------------------------------------------------------------- negative

concept("confusion", "-", also="uncertainty;bewilderment", events="""
    w: the new expense system wants a cost code that doesn't exist
    my doctor's office says I have an appointment I never booked
    I followed the recipe exactly and got soup instead of bread
    the sign says the shop is open but the door is locked and the lights are on
    p: the manual jumps from step seven to step eight and then to step twelve
    w: three managers gave me three different answers about the deadline
    my mum texted "ok", then "never mind", then a picture of a goat
""", reacts="""
    s: what am I even looking at
    I've read it four times and I'm more lost than before
    can someone please explain this like I'm five
    none of this makes any sense
    s: wait, which one is it?
    xs: so confused right now
    xs: total confusion, send help
""")

concept("anxiety", "-", also="worry;unease", events="""
    the email from HR just says "can you talk at 4?"
    my son hasn't answered his phone since last night
    w: the performance reviews come out tomorrow
    the doctor wants me to come back in for more tests
    rent is due Friday and the payment still hasn't cleared
    I have to give a toast at my sister's wedding on Saturday
""", reacts="""
    my chest is tight and I can't focus on anything
    I've reread it fifty times looking for hidden meaning
    I haven't slept properly in days
    my brain keeps playing out the worst version
    I keep checking my phone every thirty seconds
    x: the anxiety is through the roof
    x: anxious doesn't even begin to describe it
""")

concept("fear", "-", also="terror;alarm", events="""
    someone followed me for three blocks after dark
    the car in front spun out on the ice and slid straight toward us
    I heard glass break downstairs at 2am
    the turbulence dropped the plane so hard that drinks hit the ceiling
    the dog growled and lunged at my toddler
    the smoke alarm went off and the hallway was already grey
""", reacts="""
    my legs went to jelly
    my whole body went cold
    I couldn't move, I couldn't even scream | terror
    my heart was pounding in my ears
    x: I have never been so scared
    xs: pure fear, I was shaking
""")

concept("dread", "-", also="anxiety;apprehension", events="""
    my annual review is on Monday and my manager cancelled our last three one-on-ones
    w: the layoffs list goes out at the end of the month
    I have to tell my parents I dropped out
    the dentist appointment is in two hours
    it's Sunday night again and the week ahead is packed
    the landlord wants to "have a chat" about the lease
""", reacts="""
    there's a heavy stone sitting in my stomach
    I'd rather be literally anywhere else
    every hour closer makes it worse
    I keep hoping something will cancel it
    x: I'm full of dread about it
    xs: that sinking sense of dread | =sinking dread
""")

concept("nervousness", "-", also="anxiety;apprehension", events="""
    it's my first day at the new job tomorrow
    my first date in five years is at seven
    w: I'm presenting to the whole leadership team in ten minutes
    my driving test is this afternoon
    the audition is in an hour and my hands won't stop shaking
    I'm meeting my partner's parents for the first time tonight
""", reacts="""
    I've changed my outfit four times
    there are butterflies doing backflips in my stomach
    my palms are so sweaty
    I can't eat a thing | anxiety
    xs: so nervous I feel sick
    xs: nervous wreck over here
""")

concept("worry", "-", also="concern;unease", events="""
    my dad has been forgetting things more often lately
    my daughter is driving home in the snow
    w: the client has gone quiet for two weeks
    the cat hasn't eaten since yesterday
    my best friend stopped replying to messages
    the car is making a new grinding noise and we can't afford repairs
""", reacts="""
    I keep thinking of everything that could go wrong
    it sits at the back of my mind all day
    I won't relax until I hear something
    I hope it's nothing, but I can't shake it
    xs: really worried about this
    x: the worry keeps me up at night
""")

concept("panic", "-", also="fear;alarm", events="""
    I looked down at the gate and my passport wasn't in my bag
    w: I just sent the email meant for my manager to the entire company
    the baby wasn't in his crib when I walked in
    my presentation file is corrupted and I'm on in five minutes
    I remembered the stove was on when I was already halfway to the airport
    w: production is down and the rollback script is failing
""", reacts="""
    I couldn't breathe and everything went white
    my hands were shaking so badly I dropped my phone
    I'm running around in circles
    is: WHAT DO I DO, WHAT DO I DO
    every thought arrived at once and none of them were useful
    xs: full-blown panic | =full-blown panic
    xs: panic mode, total panic mode
""")

concept("embarrassment", "-", also="awkwardness;self-consciousness", events="""
    I waved back at someone who was waving at the person behind me
    w: I called my boss "mum" in the middle of a meeting
    my stomach growled loudly during the silent exam
    I walked into a glass door in front of the whole café
    w: I forgot to mute myself and the entire call heard me singing
    my card got declined on a first date at a fancy restaurant
    I tripped up the stairs on stage at my graduation
""", reacts="""
    I wanted the floor to swallow me | humiliation
    my face went bright red
    I'll be replaying that one at 3am for years
    I'll just move to another country now
    I laughed it off but I'm dying inside | mortification
    xs: so embarrassing
    xs: peak embarrassment
""")

concept("shame", "-", also="self-blame;self-reproach", events="""
    I snapped at my kid over something that wasn't his fault
    I lied to my best friend about where I was that night
    I failed the course my parents took out a loan to pay for
    I ignored my grandmother's calls for weeks and now she's in hospital
    w: I took credit for an idea that was really my colleague's
    I got drunk at the wedding and said horrible things about the groom
""", reacts="""
    I can't look anyone in the eye
    I don't recognise the person who did that, but it was me
    I feel small and exposed | humiliation
    I keep avoiding the mirror
    x: the shame is crushing
    x: I'm so ashamed of myself
""")

concept("guilt", "-", also="remorse;regret", events="""
    I forgot my best friend's birthday for the second year running
    I cancelled on my mum again to go out with friends
    w: my colleague got blamed for the mistake I made
    I ate the last slice of cake my roommate was saving
    I left the dog alone all day while I was at the beach
    I promised my son I'd be at his game and missed it for work
""", reacts="""
    I need to make this right
    I can't stop thinking about the look on their face
    it's eating at me
    I owe them an apology, a big one
    x: I'm drowning in guilt
    x: the guilt won't leave me alone
""")

concept("remorse", "-", also="guilt;regret", events="""
    I said things to my brother in anger that I can never take back
    w: I let someone go in a way that was cruel and unnecessary
    I wasn't there when my father died because I was too proud to call
    I bullied a kid in middle school and just saw him at the supermarket
    I broke her trust after she gave me a second chance
""", reacts="""
    I would give anything to undo it
    I'm so sorry, and sorry doesn't fix anything
    I wrote an apology and deleted it six times
    I think about it every day
    x: I'm full of remorse
    xs: deep remorse, still | =deep remorse
""")

concept("regret", "-", also="sadness;wistfulness", events="""
    I turned down the job in Lisbon to stay near my ex
    I never learned my grandmother's language while she was alive
    I sold my dad's guitar when money was tight
    I skipped my friend's wedding for a work trip
    w: I accepted the counter-offer instead of leaving
    p: I bought the cheaper model to save fifty bucks
    I quit piano at twelve
""", reacts="""
    if I could go back, I'd choose differently
    I think about what could have been all the time
    s: should have, could have, didn't
    it's the biggest mistake I've made in years
    x: I regret it every single day
    xs: nothing but regret
""")

concept("sadness", "-", also="sorrow;gloom", events="""
    my best friend moved away this morning
    the old oak tree in our garden came down in the storm
    my dog's bed is still in the corner and I can't bring myself to move it
    my son didn't get invited to a single birthday party this year
    the bookshop I grew up in closed today
    w: my favourite colleague left and her desk is empty
""", reacts="""
    the house feels so quiet
    I cried in the car for a while before going in
    everything feels a bit grey today
    I don't have the energy to do anything
    x: I'm so sad about it
    xs: a heavy kind of sadness today | =deep sadness
""")

concept("grief", "-", also="sadness;heartbreak", events="""
    we buried my grandfather this morning
    my mum died three weeks ago
    it's been a year since we lost the baby
    my brother's funeral was today
    my husband's coat is still hanging by the door
    our dog of fourteen years died in my arms last night
""", reacts="""
    I keep reaching for my phone to call | longing
    the world kept going and I don't understand how
    some mornings I forget for a second, and then I remember
    nothing will ever be the same
    xs: grief comes in waves
    x: the grief is unbearable today
""")

concept("heartbreak", "-", also="sadness;hurt", events="""
    she said she doesn't love me anymore
    he moved out this weekend and took the dog
    I saw my ex's engagement announcement
    the adoption fell through the day before we were meant to bring him home
    the person I planned a future with told me there's someone else
""", reacts="""
    my chest physically hurts
    I don't know how to get up tomorrow
    I keep replaying our last conversation
    everything reminds me of them
    xs: heartbroken doesn't cover it
    xs: pure heartbreak
""")

concept("loneliness", "-", also="isolation;sadness", events="""
    I moved to a new city three months ago
    everyone in the group chat made plans without me again
    w: I've worked from home for a year and haven't seen a colleague in person
    I ate Christmas dinner alone this year
    my phone hasn't buzzed all weekend
    the kids moved out and the house is empty
""", reacts="""
    nobody would notice if I disappeared for a week
    I talk to the cat just to hear a voice | sadness
    the silence gets louder every evening
    I'm surrounded by people and still on my own
    x: I've been so lonely lately
    xs: loneliness hits hardest on Sundays
""")

concept("melancholy", "-", also="wistfulness;sadness", events="""
    rain on the window and an old album on repeat
    the leaves are everywhere and it gets dark at four
    I walked past our old school, which is boarded up now
    the last guests left and the party decorations are still hanging
    I spent the afternoon watching the sea under a grey sky
""", reacts="""
    everything feels a little faded
    it's a quiet kind of heavy that doesn't go away
    nothing is wrong exactly, it's just grey inside
    the world feels like an old photograph | nostalgia
    x: I'm in a melancholy mood tonight
    xs: sweet melancholy | =sweet melancholy
""")

concept("homesickness", "-", also="longing;sadness", events="""
    I'm eating instant noodles in my dorm while my mum makes dumplings back home
    it's Diwali and I'm working a night shift four thousand miles away
    w: it's my first holiday season abroad and the office is empty
    my family sent a video of the whole street celebrating
    I heard someone on the bus speaking my dialect
    I found a place that makes my grandmother's stew, but it's not the same
""", reacts="""
    I would give anything to be at that kitchen table
    it's the little things I miss most
    some days the distance feels impossible
    I looked up flights and closed the tab | resignation
    x: I'm homesick like you wouldn't believe
    x: the homesickness is hitting hard tonight
""")

concept("disappointment", "-", also="dissatisfaction;discouragement", events="""
    the concert got cancelled an hour before the doors opened
    w: the promotion went to someone from outside
    r: the famous burger was dry and the fries were cold
    p: the jacket looks nothing like the photos
    my brother said he would come for my birthday and didn't
    the sequel I waited five years for was a mess
""", reacts="""
    I really expected better
    I had built it up so much in my head
    s: oh well, I guess that's that
    s: such a letdown
    xs: so disappointing
    xs: honestly just disappointed
""")

concept("frustration", "-", also="annoyance;exasperation", events="""
    w: the build failed for the fourth time today with a different error
    I've been on hold with the bank for ninety minutes
    the printer jammed on the last page of a hundred-page document
    w: the same meeting has now been rescheduled six times
    p: the app logs me out every time I switch screens
    my landlord keeps promising to fix the boiler next week
    I missed the bus by ten seconds for the third day running
""", reacts="""
    I want to throw my laptop out the window | anger
    s: why is everything so hard
    I'm about to lose it
    nothing works, nothing ever works
    I've tried everything and I'm back to square one | helplessness
    xs: so frustrating
    x: this is peak frustration
""")

concept("annoyance", "-", also="irritation;exasperation", events="""
    my neighbour's car alarm has been going off every twenty minutes
    w: someone keeps microwaving fish in the office kitchen
    the guy behind me has been kicking my seat for the entire flight
    my roommate left his dirty dishes in the sink again
    w: people keep replying-all just to say "thanks"
    r: the waiter interrupted us every two minutes
    p: the charger cable is about ten centimetres too short to reach the bed
""", reacts="""
    s: can people just not
    it happens every single time
    this is testing my patience
    is: ugh, seriously
    one more time and I'm moving out
    xs: mildly annoyed | =mild annoyance
    xs: so annoying
""")

concept("anger", "-", also="outrage;fury", events="""
    the mechanic charged me for parts he never replaced
    w: my manager presented my work as his own in front of the board
    someone keyed my car in the supermarket car park
    the school ignored three reports that my son was being bullied
    r: the manager laughed when we pointed out the hair in the soup
    p: the company refused a refund for a heater that caught fire
""", reacts="""
    I'm shaking, I'm so furious | fury
    I had to walk away before I said something I'd regret
    s: how dare they
    my blood is boiling
    I'm not letting this go
    x: I'm so angry I can't think straight
    x: this makes me angry beyond words
""")

concept("rage", "-", also="anger;fury", events="""
    a drunk driver hit my parked car and laughed about it
    w: they cancelled my vacation the night before I was supposed to fly
    someone kicked my dog in the park
    my ex lied in court about me
    I came home to find the contractor had taken the deposit and disappeared
""", reacts="""
    I'm seeing red
    I punched a pillow until my knuckles hurt | fury
    is: I AM LIVID
    I have never screamed like that in my life
    xs: pure rage
    x: I'm shaking with rage
""")

concept("resentment", "-", also="bitterness;hurt", events="""
    my sister got the house and I got the bills
    w: I trained the new guy and he got promoted over me
    for ten years I did all the housework while he "relaxed"
    my parents always paid for my brother's mistakes and never for mine
    w: every holiday I'm the one asked to cover the on-call rota
    my friend borrowed money a year ago and just posted photos from Bali
""", reacts="""
    I smile and say it's fine, but it isn't
    I haven't forgotten, and I won't
    it's been building for years
    it sits in my chest every time I see them
    xs: years of resentment
    xs: simmering resentment | =simmering resentment
""")

concept("indignation", "-", also="anger;outrage", events="""
    the pharmacy raised the price of insulin again
    w: they expect us to work unpaid overtime while the executives get bonuses
    a man told my daughter she was too pretty to do maths
    the landlord is evicting a family of five just before Christmas
    the airline charged my friend extra to board with her wheelchair
    hospital parking costs more than a night in a hotel
""", reacts="""
    this is wrong, plain and simple
    s: how is this legal
    someone needs to answer for this
    I've already written to my representative | determination
    this should not be happening in this century
    xs: righteous indignation here | =righteous indignation
    x: I'm full of indignation about it
""")

concept("disgust", "-", also="revulsion;repulsion", events="""
    r: I found a cockroach in my salad
    w: the office fridge has a yoghurt from last March
    my roommate cut his toenails at the dinner table
    p: the "new" mattress arrived with stains on it
    a man spat on the train floor right next to my shoe
    w: someone left their used tissues on the meeting room table
    the milk had turned into something solid
""", reacts="""
    I gagged | nausea
    I think I'm going to be sick
    I need to bleach my eyes
    that is so gross I can't even
    s: nope, nope, absolutely not
    xs: absolutely disgusting
    xs: pure disgust
""")

concept("contempt", "-", also="disdain;scorn", events="""
    w: the new director called the support team "the help"
    that influencer mocked a homeless man for views
    my cousin bragged about not tipping the waitress
    the politician who voted against school lunches was photographed at a five-star buffet
    w: a consultant who has never written a line of code told us our code was bad
    my neighbour lets his dog foul the playground and laughs when parents complain
""", reacts="""
    I can't even look at them anymore
    s: what a pathetic way to behave | disgust
    s: spare me
    some people have no decency
    x: people like that are beneath contempt
    xs: nothing but contempt for people like that
""")

concept("jealousy", "-", also="insecurity;possessiveness", events="""
    my girlfriend has been texting her ex every night
    my best friend has a new best friend and they do everything together
    w: the boss takes Emma to every client lunch and never me
    my husband spent the whole party laughing with his coworker
    my little brother gets all of dad's attention now
""", reacts="""
    I hate how much that bothers me
    I keep checking who they're talking to | suspicion
    s: why them and not me?
    I don't want to be that person, but here I am
    xs: so jealous I can't think straight
    x: jealousy is an ugly feeling and I'm full of it
""")

concept("envy", "-", also="resentment;longing", events="""
    my coworker just bought a house at twenty-six
    my friend's holiday photos from the Maldives keep popping up
    w: the other team got new laptops and a budget for offsites
    my cousin got into the programme I was rejected from
    everyone in my class seems to have their life figured out
    r: the table next to us got the last slice of the famous cheesecake
""", reacts="""
    s: must be nice | bitterness
    I'm trying to be happy for them, really trying
    why does it always work out for other people
    I want that life so badly
    x: envy is eating me up
    xs: green with envy
""")

concept("boredom", "-", also="restlessness;tedium", events="""
    w: this meeting has been going for two hours and we're still on slide three
    it's been raining for five days and there's nothing to do
    the lecture is a man reading his slides in a monotone
    I've been waiting at the licensing office for three hours
    I've reorganised my sock drawer twice this afternoon
    p: the audiobook narrator sounds like he's reading a phone book
""", reacts="""
    I've counted the ceiling tiles, there are 147
    somebody please make something happen
    time has stopped moving
    I'm watching paint dry, emotionally
    s: yawn
    x: I'm bored out of my mind
    xs: so bored I could cry
""")

concept("exhaustion", "-", also="fatigue;weariness", events="""
    I worked a double shift and then the baby was up all night
    w: it's the third week of twelve-hour days to hit the launch
    we've moved house, started new jobs and had the flu all in one month
    I drove nine hours straight to get home
    the twins are teething at the same time
""", reacts="""
    I fell asleep in the car in the driveway
    my body feels like wet sand
    I don't have a single thing left in the tank
    I could sleep for a week
    I stared at the wall for twenty minutes without moving
    x: I'm completely exhausted
    xs: bone-deep exhaustion | =bone-deep exhaustion
""")

concept("hopelessness", "-", also="despair;defeat", events="""
    I've applied to two hundred jobs and had zero interviews
    the third round of treatment didn't work either
    w: every reorganisation makes things worse and nobody listens
    rent went up again and I'm already working two jobs
    we've tried counselling three times and nothing changes
""", reacts="""
    s: what's even the point anymore
    I don't see a way out of this
    it's never going to get better
    I've stopped expecting anything | resignation
    x: I feel completely hopeless
    xs: hopelessness has set in
""")

concept("helplessness", "-", also="powerlessness;frustration", events="""
    my mum is in hospital across the world and I can't get a visa
    I watched the flood take our street and couldn't do anything
    my son is being bullied and the school won't act
    w: the decision was made above my head and my team pays the price
    my best friend is spiralling and won't let anyone help
""", reacts="""
    there's nothing I can do but wait
    my hands are tied and it's killing me
    I keep calling people and nobody can help
    I just have to stand here and watch it happen
    x: I've never felt so helpless
    xs: total helplessness
""")

concept("betrayal", "-", also="hurt;anger", events="""
    my best friend told everyone the secret I trusted her with
    I found messages between my husband and my sister
    w: my cofounder sold his shares to our competitor without telling me
    my business partner emptied the joint account
    w: the colleague I vouched for lied to the whole team about me
""", reacts="""
    I don't know who I can believe anymore | distrust
    ten years of friendship are gone in one message
    the knife went in from behind
    I gave them everything and this is what I get
    xs: the betrayal cuts deep
    x: I feel so betrayed
""")

concept("skepticism", "-", also="doubt;disbelief", events="""
    w: the vendor promises a ninety percent cost reduction in six weeks
    p: the box says this cream removes wrinkles overnight
    a guy online says he made a million dollars from home in a month
    my landlord swears the mould is just a shadow
    the new diet claims you can eat anything and still lose ten kilos
    w: management says this is definitely the last restructure
""", reacts="""
    s: sure, and I'm the Queen of England | sarcasm
    I'll believe it when I see it
    that sounds too good to be true
    s: show me the data first
    s: hmm, right
    xs: very skeptical about this
    xs: healthy skepticism here | =healthy skepticism
""")

concept("distrust", "-", also="suspicion;wariness", events="""
    the salesman keeps changing the price every time I ask
    w: the new vendor won't put anything in writing
    my ex says he's changed, again
    p: the flashlight app wants access to my contacts, microphone and location
    the contractor wants the full payment up front in cash
    r: the restaurant's five-star reviews were all posted on the same day
""", reacts="""
    something doesn't add up
    I'm keeping every receipt, just in case
    I'm not signing anything until a lawyer reads it
    s: fool me once | wariness
    x: I don't trust this one bit
    xs: deep distrust of the whole thing | =deep distrust
""")

concept("disapproval", "-", also="criticism;displeasure", events="""
    w: the new policy bans remote work with a week's notice
    my brother quit his job to bet on crypto full time
    r: they added a mandatory twenty percent service charge to takeaway orders
    my neighbour lets his kids ride in the car without seatbelts
    the school cancelled art and music to add more test prep
    p: they removed the headphone jack and called it progress
""", reacts="""
    s: not a good look
    I really don't think that's okay
    that's a terrible decision
    someone should have said no to this
    s: thumbs down from me
    xs: strong disapproval from me | =strong disapproval
    x: I disapprove, for the record
""")

concept("insecurity", "-", also="self-doubt;inadequacy", events="""
    everyone else in the seminar seems to have read twice as much as me
    w: my new colleagues all have PhDs and I'm self-taught
    my partner's ex is a model
    I looked at old photos and compared myself to everyone in them
    I rewrote a two-line text message eleven times
    w: mine was the only idea that didn't get picked
""", reacts="""
    maybe I'm just not good enough
    sooner or later they'll figure out I don't belong here
    I keep wondering what they really think of me
    I'm the odd one out, again
    x: I've been feeling so insecure lately
    xs: my insecurity is loud today
""")

concept("overwhelm", "-", also="stress;pressure", events="""
    w: three deadlines landed on the same Friday and my manager just added a fourth
    the baby is crying, the dog is sick and the washing machine flooded
    I have eighty unread emails, two kids off school and a broken car
    w: I came back from leave to four hundred messages
    it's moving house, a new job and my dad's surgery, all this month
""", reacts="""
    I don't even know where to start
    it's all piling up faster than I can move
    I'm drowning | helplessness
    every time I clear one thing, three more appear
    x: I'm totally overwhelmed
    xs: overwhelm, with a capital O
""")

concept("stress", "-", also="pressure;tension", events="""
    w: the audit is on Monday and half the documents are missing
    the mortgage payment and the car repair are due the same week
    w: two people quit and nobody has been hired to replace them
    my thesis is due in six days and I have two chapters left
    the wedding is in a week and the caterer just cancelled
""", reacts="""
    my jaw has been clenched all day | tension
    I'm running on coffee and adrenaline
    I keep grinding my teeth at night
    my to-do list has its own to-do list
    xs: so stressed I can't think
    xs: stress levels through the roof
""")

concept("impatience", "-", also="frustration;restlessness", events="""
    the download has been stuck at ninety-nine percent for twenty minutes
    w: the client still hasn't signed and we can't start without them
    r: the waiter said five minutes forty minutes ago
    my test results were supposed to be back last week
    the pasta water is taking forever to boil
""", reacts="""
    s: come on, come ON
    I'm tapping my foot so hard the neighbours can hear
    s: how long can this possibly take
    I've refreshed the page a hundred times
    x: I'm running out of patience
    xs: impatience level: maximum
""")


# --------------------------------------------------------------------------- sarcasm
# Surface-positive frames around irritating events. Each event line ends with its second
# descriptor(s) after "|". Frames are grouped by register; {e} is the event, {E} capitalised,
# {N} a first name (e-mail only).

SARCASM_EVENTS = """
    my train got cancelled for the third time this week | frustration
    the wifi died five minutes into my important call | frustration
    it's pouring on the one day I left my umbrella at home | annoyance
    my flight is delayed another four hours | frustration;exasperation
    the neighbours started drilling at 7am on a Sunday | annoyance
    someone took my parking spot again | annoyance
    my roommate ate my leftovers and put the empty container back in the fridge | annoyance
    the bank charged me a fee for checking my balance | annoyance;indignation
    the self-checkout needed help with every single item | annoyance
    it took four phone calls to cancel a free trial | frustration
    the heating went out on the coldest night of the year | frustration
    my cousin explained my own job to me at dinner | contempt
    the game crashed right before I saved | frustration
    my package was delivered to a house I've never seen | frustration
    my car broke down on the way to the mechanic | frustration;exasperation
    the landlord raised the rent and called it an investment in the community | contempt
    the politician who never shows up to vote is asking for my vote | contempt
    my autocorrect keeps changing my own name | annoyance
    w: the meeting that could have been an email ran over by an hour | annoyance
    w: my laptop decided to install updates right before the presentation | frustration
    w: we're getting a pizza party instead of a raise | contempt;resentment
    w: management scheduled a mandatory fun day on a Saturday | contempt
    w: IT reset my password for the fourth time this month | annoyance
    w: the client changed the brief the night before the deadline | frustration
    w: another reply-all storm about the printer is in full swing | annoyance
    w: my review says I need to show more passion for spreadsheets | contempt
    p: the phone case cracked the first time I dropped it | disappointment
    p: the waterproof jacket soaked through in light drizzle | disappointment
    p: the smart speaker only understands me when I shout | annoyance
    r: we waited an hour for cold food and a side of attitude | annoyance
    r: the soup arrived with a bonus hair in it | disgust
    r: the waiter rolled his eyes when we asked for tap water | contempt
"""

SARCASM_FRAMES = {
    "social": [
        "Oh great, {e}. Just what I needed today.",
        "Love that {e}. Truly living the dream.",
        "Wonderful. {E}. Best day ever.",
        "Fantastic, {e}. Absolutely thrilled.",
        "Wow, {e}. What a fantastic start to the week.",
        "{E}. Love that for me.",
        "Oh joy, {e}.",
        "Brilliant, {e}. Ten out of ten, would recommend.",
        "So glad {e}. Really makes it all worthwhile.",
        "Yay, {e}. My favourite thing.",
        "Perfect timing as always: {e}.",
        "Another flawless day: {e}. Couldn't be happier.",
    ],
    "chat": [
        "lol love how {e}. amazing",
        "oh perfect, {e}. just perfect",
        "great news: {e}. thrilled, obviously",
        "{e}. living my best life over here",
        "so {e}. best week ever honestly",
    ],
    "email": [
        "Hi all, great news: {e}. Can't wait to see how this goes.",
        "Team, fantastic update: {e}. Really looking forward to more of this.",
        "Hi {N}, love that {e}. Truly inspiring stuff.",
    ],
    "review": [
        "Amazing experience: {e}. Five stars, obviously.",
        "Absolutely flawless, {e}. Would definitely recommend.",
        "Top quality: {e}. Can't wait to buy another.",
    ],
}

# --------------------------------------------------------------------------- neutral
# Factual templates. Slots: {day} {time} {time2} {n} {num} {month} {street} {place}
# {item} {doc} {system} {team} {product} {N}. Each line starts with its register.

NEUTRAL_TEMPLATES = """
    email: Hi {N}, the weekly sync has moved to {time} on {day} in room {num}.
    email: Please find attached the {doc} for {month}. The figures cover the full month.
    email: Reminder: timesheets are due by {time} on {day}.
    email: Hi all, the office will be closed on {day} for maintenance of the {system}.
    email: {N}, could you send me the latest version of the {doc} before {day}?
    email: The {system} will be unavailable between {time} and {time2} on {day}.
    email: Minutes from {day}'s meeting are in the shared folder under {month}.
    email: Invoice {num} was paid on {day}; the receipt is attached.
    email: Hi team, the new starter joins on {day} and will sit with the {team} team.
    email: Hi {N}, I have booked room {num} for the {team} review on {day} at {time}.
    email: The {doc} now includes the {month} numbers and the updated headcount.
    email: Hello {N}, your access to the {system} has been set up; the login is your staff number.
    email: Dear {N}, the parcel for the {team} team is at reception.
    email: Hi {N}, the call with the supplier is at {time} {day}; the dial-in is in the invite.
    chat: i'll be at the {place} around {time}
    chat: can you grab {item} on the way home
    chat: bus gets in at {time}, meet you at the {place}
    chat: did you take the {item} out of the car
    chat: the {item} is in the second drawer on the left
    chat: running {n} minutes behind, traffic on {street}
    chat: what time is the parents' evening on {day}
    chat: dinner is at {time} at mum's
    chat: sent you the address, it's next to the {place}
    chat: parking on {street} is free after {time}
    chat: the plumber is coming {day} between {time} and {time2}
    chat: the {place} closes at {time} on {day}s
    chat: need anything from the shop? going at {time}
    review: The {product} comes with {n} attachments and a two-metre cable.
    review: Arrived in {n} days. The box contained the {product}, a charger and a manual.
    review: The {product} weighs about {n} kilos and folds flat for storage.
    review: The menu has {n} vegetarian dishes and the portions are standard size.
    review: The {product} is available in black, grey and white.
    review: Battery lasts about {n} hours with normal use.
    review: Parking is on {street}, behind the building.
    review: The restaurant opens at {time} and takes bookings for groups of six or more.
    review: The {product} has two speed settings and a removable filter.
    review: Delivery took {n} days. Assembly took about forty minutes with two people.
    review: The café on {street} serves breakfast until {time} and lunch from {time2}.
    social: Road works on {street} between {time} and {time2} this {day}.
    social: The library on {street} is open until {time} on weekdays from {month}.
    social: The farmers market moves to the {place} car park from {day}.
    social: Bin collection this week is on {day} instead of Monday.
    social: The number {n} bus now also stops at the {place}.
    social: Reading list for {month}: two novels and one history book.
    social: The {place} is hosting a blood drive on {day} from {time} to {time2}.
    social: Water will be off on {street} on {day} morning for pipe repairs.
    narrative: I took the {time} train into the city and walked to the {place}.
    narrative: We moved the couch to the other wall and hung the curtains on {day}.
    narrative: I bought {item} and a loaf of bread at the shop on {street}.
    narrative: My sister lives two streets from the {place}.
    narrative: The meeting started at {time} and covered the budget and the schedule.
    narrative: I checked the tyre pressure and filled the tank before the drive on {day}.
    narrative: We had pasta for dinner on {day} and watched the news.
    narrative: The kids have swimming on {day} afternoons at the {place}.
    narrative: I renewed my passport; the new one arrives in {n} weeks.
    narrative: I changed the light bulb in the hallway and took the {item} to the recycling.
    narrative: On {day} I cleaned the windows and paid the water bill.
"""

NEUTRAL_SLOTS = {
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "time": ["8:15", "9:30", "10am", "11:45", "noon", "2pm", "3:15", "4:30", "6pm", "7:45"],
    "time2": ["1pm", "2:30", "4pm", "5pm", "6:30", "8pm"],
    "n": ["3", "4", "5", "6", "7", "8", "10", "12", "15", "20"],
    "num": ["204", "3B", "12", "118", "4.07", "51", "2210", "7"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "street": ["Elm Street", "Station Road", "the high street", "Mill Lane", "Park Avenue",
               "Church Road", "Queen Street", "the ring road"],
    "place": ["library", "station", "post office", "town hall", "leisure centre", "bakery",
              "pharmacy", "north entrance", "community centre", "supermarket"],
    "item": ["milk", "the umbrella", "batteries", "the charger", "the spare keys", "eggs",
             "bin bags", "the tape measure", "coffee filters"],
    "doc": ["budget spreadsheet", "project plan", "quarterly report", "travel policy",
            "onboarding checklist", "supplier contract", "risk register"],
    "system": ["intranet", "payroll system", "VPN", "booking portal", "shared drive", "CRM"],
    "team": ["finance", "design", "support", "data", "legal", "operations"],
    "product": ["kettle", "blender", "desk lamp", "air purifier", "vacuum", "fan", "toaster",
                "rice cooker"],
}

# --------------------------------------------------------------------------- register wrappers
# {E}/{e}: event (capitalised / as written), {R}/{r}: reaction. Templates whose reaction
# follows ", and" or " and " are "joined": they cannot take an ``s:`` reaction.

WRAPPERS = {
    "social": [
        "{E}. {R}.",
        "{E}, and {r}.",
        "{E}. {R}. {tag}",
        "Update: {e}. {R}.",
        "So {e}. {R}.",
        "Well. {E}. {R}.",
        "{E}, and {r}. {tag}",
        "{E} — {r}.",
        "Posting this here: {e}. {R}.",
        "Honestly? {E}. {R}.",
        "Okay so {e}. {R}.",
        "Just so you all know, {e}. {R}.",
    ],
    "chat": [
        "{e}. {r}",
        "ok so {e}. {r}",
        "hey, {e}. {r}",
        "so {e} and {r}",
        "btw {e}. {r}",
        "quick update: {e}. {r}",
        "call me later? {e} and {r}",
        "{e}. {r}. talk later",
        "you there? {e}. {r}",
    ],
    "narrative": [
        "{E}, and {r}.",
        "{E}. {R}.",
        "{E}; {r}.",
        "I keep coming back to this: {e}. {R}.",
        "The thing is, {e}. {R}.",
        "For the record, {e}, and {r}.",
        "There's no other way to say it: {e}. {R}.",
        "This week {e}, and {r}.",
        "Writing this down so I remember: {e}. {R}.",
    ],
    "email": [
        "Hi {N}, {e}. {R}. Best, {M}",
        "Hi team, quick update: {e}. {R}.",
        "Hello all, {e}, and {r}. Thanks, {M}",
        "{N}, {e}. {R}.",
        "Dear {N}, a short note: {e}. {R}. Regards, {M}",
        "Hi {N}, as you may have heard, {e}. {R}.",
        "Team, {e}. {R}. More soon, {M}",
        "Re: this week. {E}. {R}.",
    ],
    "review": [
        "{open} {E}. {R}. {stars}",
        "{E}. {R}. {stars}",
        "{stars} {E}, and {r}.",
        "{open} {E}, and {r}.",
        "Review: {e}. {R}. {stars}",
        "{stars} {open} {E}. {R}.",
    ],
}

SOCIAL_TAGS = ["#life", "#adulting", "#storytime", "#realtalk", "#thoughts", "#dailylife", "#nofilter"]

REVIEW_OPENERS = {
    "r": ["Came here on a Friday night.", "Visited with friends last weekend.", "Went for a birthday dinner.",
          "Second visit here.", "Stopped in for lunch.", "Booked a table for two."],
    "p": ["Bought this last month.", "Had it for two weeks now.", "Ordered online, arrived Tuesday.",
          "Used it every day since March.", "Got this as a gift.", "Verified purchase."],
}

REVIEW_STARS = {
    "+": ["5/5.", "Five stars.", "★★★★★", "4/5."],
    "-": ["1/5.", "One star.", "★☆☆☆☆", "2/5."],
    "~": ["3/5.", "Three stars.", "4/5."],
}

NAMES = ["Sam", "Alex", "Priya", "Jordan", "Maria", "Tom", "Chen", "Fatima", "Lukas", "Aisha", "Dana",
         "Marco", "Emma", "Kofi", "Yuki"]

# --------------------------------------------------------------------------- mixed texts
# Two concepts in one text. {EA}/{ea} {ra}/{RA}: first concept; {eb} {rb}/{RB}: second.
# Every template keeps both reactions so both descriptors stay supported by the text.

MIXED_CONNECTIVES = {
    "contrast": ["But", "Meanwhile,", "At the same time,", "Then again,", "On the other hand,"],
    "addition": ["Also,", "On top of that,", "Plus", "And", "Meanwhile,"],
}

MIXED_WRAPPERS = {
    "social": [
        "{EA}, and {ra}. {C} {eb}, and {rb}.",
        "{EA}. {RA}. {C} {eb}. {RB}.",
        "Weird day. {EA}, and {ra}. {C} {eb}, and {rb}.",
        "Life update: {ea}. {RA}. {C} {eb}. {RB}.",
        "Two things happened today. {EA}. {RA}. {C} {eb}. {RB}.",
    ],
    "chat": [
        "{ea} and {ra}. {c} {eb} and {rb}",
        "ok so {ea}. {ra}. {c} {eb}. {rb}",
        "long story but {ea}. {ra}. {c} {eb}. {rb}",
    ],
    "narrative": [
        "{EA}, and {ra}. {C} {eb}, and {rb}.",
        "{EA}; {ra}. {C} {eb}; {rb}.",
        "What a week. {EA}. {RA}. {C} {eb}. {RB}.",
        "I can't sort out how I feel. {EA}. {RA}. {C} {eb}. {RB}.",
    ],
}


if __name__ == "__main__":
    raise SystemExit(cli())
