"""The output guard's wording check: phrases that promise, discriminate or advise deception.

A reply can be unsafe with no figure in it: "you're guaranteed approval", "because of your
age", "don't mention your other debts". The phrases are data (`unsafe_wording_v2.yaml`,
versioned), loaded once. `unsafe_phrases` is what `agent.guardrails.check_text` adds to the
number and policy checks, so a clause that trips it is held back and corrected like one
with an invented figure; `could_start_unsafe` lets the streaming guard hold back the last
words of a piece until they can no longer grow into a phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path

import yaml

WORDING_PATH = Path(__file__).with_name("unsafe_wording_v2.yaml")
NEGATION_WINDOW_WORDS = 5
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CLAUSE_END = re.compile(r"[.!?;:,\n]")
_WORD = re.compile(r"[\w']+")
# Words an advisor's replies use all the time: a phrase's key word is chosen from the rest,
# so the shortcut in `unsafe_phrases` applies to most clean replies. Any choice is exact.
_EVERYDAY = frozenset(
    "you your you're you'll we i the a an of to on at as for about credit income payments "
    "payment loans loan other existing account application check never debt monthly rate "
    "approval can not no will are is be they used one sets due since by with".split()
)


@dataclass(frozen=True)
class Hit:
    """One unsafe phrase found in a text."""

    phrase: str
    """The words as the text has them."""

    violation: str
    """What is wrong with it, as the model is told when asked to correct itself."""

    end: int
    """Where the phrase ends in the text checked."""

    def describe(self) -> str:
        """Return the hit as one line: the quoted words and why they may not be shown."""
        return f'"{self.phrase}" {self.violation}'


@dataclass(frozen=True)
class Wording:
    """The loaded phrase list: one pattern per rule, the negations and every phrase's prefixes."""

    version: int
    rules: tuple[tuple[str, re.Pattern[str]], ...]  # (violation, pattern), case-insensitive
    folded: tuple[tuple[str, re.Pattern[str]], ...]  # the same patterns, for lower-cased text
    negations: frozenset[str]
    prefixes: frozenset[str]  # every proper prefix of every phrase, normalised
    longest: int  # characters in the longest phrase
    key_words: frozenset[str] = frozenset()  # for each phrase, one word it cannot match without


def normalise(text: str) -> str:
    """Return `text` as phrases are compared: lower case, straight apostrophes, single spaces."""
    return " ".join(text.lower().replace("\u2019", "'").split())


def _expand(phrase: str, terms: dict[str, list[str]]) -> list[str]:
    names = _PLACEHOLDER.findall(phrase)
    if not names:
        return [phrase]
    out = []
    for values in product(*(terms[name] for name in names)):
        text = phrase
        for name, value in zip(names, values, strict=True):
            text = text.replace("{" + name + "}", value, 1)
        out.append(text)
    return out


def _words(text: str) -> str:
    """Return the regex for literal words: any run of spaces between, either apostrophe."""
    return r"\s+".join(re.escape(w).replace("'", "['\u2019]") for w in normalise(text).split())


def _pattern(phrases: list[str], terms: dict[str, list[str]]) -> re.Pattern[str]:
    """Return one case-insensitive pattern for `phrases` on word boundaries.

    A placeholder becomes a group of its terms (longest first) rather than one alternative
    per expansion, so the streaming guard's check of each piece stays cheap.
    """
    groups = {
        name: "(?:" + "|".join(_words(v) for v in sorted(values, key=len, reverse=True)) + ")"
        for name, values in terms.items()
    }
    alternatives = []
    for phrase in phrases:
        parts = _PLACEHOLDER.split(phrase)  # literal, name, literal, name, ...
        regex = ""
        for i, part in enumerate(parts):
            if i % 2:
                regex += groups[part]
            elif part.strip():
                lead = r"\s+" if part[:1].isspace() and regex else ""
                tail = r"\s+" if part[-1:].isspace() and i + 1 < len(parts) else ""
                regex += lead + _words(part) + tail
        alternatives.append(regex)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])", re.IGNORECASE)


def _folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return `pattern` without IGNORECASE, for text lower-cased first.

    The phrases are written in lower case, and matching lower-cased text without the flag
    is about 3x faster: the streaming guard runs this on every clause of every reply.
    """
    return re.compile(pattern.pattern)


def _key_word(phrase: str) -> str:
    """Return one word `phrase` cannot match without: its longest that replies seldom use."""
    words: list[str] = sorted(_WORD.findall(phrase), key=len, reverse=True)
    return next((w for w in words if w not in _EVERYDAY), words[0])


@lru_cache(maxsize=1)
def load_wording(path: Path = WORDING_PATH) -> Wording:
    """Load and compile the phrase list once (the file is part of the release)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = {name: [str(v) for v in values] for name, values in data["terms"].items()}
    rules: list[tuple[str, re.Pattern[str]]] = []
    every: list[str] = []
    for rule in data["rules"].values():
        phrases = [str(raw) for raw in rule["phrases"]]
        every.extend(normalise(p) for raw in phrases for p in _expand(raw, terms))
        rules.append((str(rule["violation"]), _pattern(phrases, terms)))
    prefixes = {p[:n] for p in every for n in range(1, len(p))}
    keys = {_key_word(p) for p in every}
    return Wording(
        version=int(data["version"]),
        rules=tuple(rules),
        folded=tuple((violation, _folded(pattern)) for violation, pattern in rules),
        negations=frozenset(normalise(str(n)) for n in data["negations"]),
        prefixes=frozenset(prefixes),
        longest=max(len(p) for p in every),
        key_words=frozenset(keys),
    )


def _negated(text: str, start: int, negations: frozenset[str]) -> bool:
    """Say whether a negation stands just before `start`, in the same clause.

    The clause, not the sentence: "Don't worry, you can't be declined" is still a promise.
    """
    before = text[:start]
    clause = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0) :]
    words = [normalise(w) for w in _WORD.findall(clause)][-NEGATION_WINDOW_WORDS:]
    return any(word in negations for word in words)


def unsafe_phrases(text: str, wording: Wording | None = None) -> list[Hit]:
    """Return the unsafe phrases in `text` that no negation before them turns around."""
    loaded = wording or load_wording()
    lowered = text.lower()
    if _no_key_word(lowered, loaded):
        return []
    # Lower-casing keeps every offset unless a character changes length (as "İ" does).
    same_offsets = len(lowered) == len(text)
    rules, searched = (loaded.folded, lowered) if same_offsets else (loaded.rules, text)
    hits = []
    for violation, pattern in rules:
        for match in pattern.finditer(searched):
            if not _negated(text, match.start(), loaded.negations):
                words = text[match.start() : match.end()]
                hits.append(Hit(" ".join(words.split()), violation, match.end()))
    return hits


def _no_key_word(lowered: str, wording: Wording) -> bool:
    """Say whether no phrase can match `lowered`: none of their key words is among its words.

    A clean reply is the common case, and one pass collecting its words costs a fraction of
    running every rule's pattern over it. Exact, not a heuristic: every word of a phrase's
    pattern stands between spaces or word boundaries, so a text matching the phrase has
    each of them, its key word too, as a whole word. ASCII only, where lower-casing agrees
    with the patterns' case-insensitive matching ("ſ" matches "s" under IGNORECASE; its
    lower case does not) and the text has no curly apostrophe the pattern would accept.
    """
    if not wording.key_words or not lowered.isascii():
        return False
    return wording.key_words.isdisjoint(_WORD.findall(lowered))


def could_start_unsafe(tail: str, wording: Wording | None = None) -> bool:
    """Say whether `tail` (a word start to the end of the text so far) may grow into a phrase.

    "because of your " may still become "because of your age", so it waits for more words.
    """
    loaded = wording or load_wording()
    text = tail.lower().replace("\u2019", "'")
    squeezed = " ".join(text.split()) + (" " if text[-1:].isspace() else "")
    return squeezed in loaded.prefixes
