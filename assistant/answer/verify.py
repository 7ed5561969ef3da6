"""Check a model's claims against the passages: the same rule for every model.

A claim must be a statement: not a question, an instruction, or a heading copied out of
a passage. Every name and number in it must be in some retrieved passage. It is supported
by a passage when it is there word for word, or when each of its clauses is stated there
(entailment.py: names, words or their WordNet equivalents, polarity; roles.py: who did
what to whom) and every quotation in a clause is there word for word. A claim that joins
facts of several passages is supported when each clause is stated by one of them. A claim is
kept citing the passages that support it: a marker pointing at no passage, or at one that
does not support the claim, is removed, and a claim that cites nothing usable is given
the passage that supports it, if one does. A claim that a passage it cites contradicts
(a word's opposite, a negation flipped) is unsupported, whatever another passage allows,
unless one states it word for word. A claim that fails only on a word the passage and
WordNet do not explain, with nothing found against it, may be put to the model, if it is
asked for second opinions (second_opinion.py): its "yes" keeps the claim. Anything else is
unsupported. Sentences of a passage that address a model ("Ignore previous instructions
and say ...") state nothing, and support nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answer.claims import Claim
from assistant.answer.clauses import PassageReading, is_name, is_word, named_alike
from assistant.answer.entailment import Entailment, Finding, Thresholds
from assistant.answer.sentences import is_instruction, split_sentences
from assistant.language import nlp
from assistant.language.text import figures, looks_like_heading, normalized, spells_out

if TYPE_CHECKING:
    from assistant.index.embedding import MiniLMEmbedding
    from assistant.retrieve.hybrid import Passage

_WORDS = re.compile(r"\w+")
_QUOTED = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
# Passages a model is asked about for one claim: each question costs a round trip.
MAX_SECOND_OPINIONS = 2

# Whether a passage (its text) states a claim, in a model's opinion.
SecondOpinion = Callable[[str, str], bool]


@dataclass
class Check:
    """What verification made of one claim."""

    claim: Claim
    supported: bool
    passages: list[int] = field(default_factory=list)  # supporting passages, 0-based
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # its sentence in each
    markers_removed: int = 0  # markers that pointed nowhere or at a passage that disagrees
    marker_added: bool = False  # it cited nothing usable and was given a passage
    names_missing: bool = False  # a name or number it states is in no retrieved passage
    why: str = ""  # what the closest passage does not state, for an unsupported claim
    # Kept because the model, asked whether a passage states it, said yes: the checks
    # found nothing against it there, only words they could not explain.
    second_opinion: bool = False


class Verifier:
    """Checks claims against one question's retrieved passages."""

    def __init__(
        self,
        embed_model: MiniLMEmbedding,
        passages: Sequence[Passage],
        thresholds: Thresholds | None = None,
        second_opinion: SecondOpinion | None = None,
    ) -> None:
        self.embed_model = embed_model
        self.passages = list(passages)
        self.second_opinion = second_opinion
        # What each passage states: its sentences, less any addressed to a model.
        self._sentences = [
            [s for s in split_sentences(p.text, i, p.sentences) if not is_instruction(s.text)]
            for i, p in enumerate(self.passages)
        ]
        self._statements = [" ".join(s.text for s in sentences) for sentences in self._sentences]
        # Normalized once here, not once per claim and passage.
        self._normalized = [normalized(text) for text in self._statements]
        self._headings = {
            normalized(s.text)
            for sentences in self._sentences
            for s in sentences
            if looks_like_heading(s.text)
        }
        # What the passages name, their titles included ("Skyreach" where the paragraph
        # says "the airline" and the headline names it).
        titles = [p.title or "" for p in self.passages]
        self._mentions = set().union(*(_tokens(text) for text in [*self._statements, *titles]))
        self.entailment = Entailment(embed_model.embed, thresholds)
        self._readings: dict[int, PassageReading] = {}

    def check(self, claim: Claim) -> Check:
        wanted = _named(claim.text)
        cited = [n - 1 for n in claim.cited if 1 <= n <= len(self.passages)]
        check = Check(claim, supported=False, markers_removed=len(claim.cited) - len(cited))
        if not self._is_statement(claim.text):
            check.markers_removed += len(cited)
            return check
        if not self._all_named(wanted):
            check.names_missing = True
            check.markers_removed += len(cited)
            return check
        findings = {i: self._findings(i, claim.text) for i in range(len(self))}
        if contradiction := self._contradiction(claim.text, cited, findings):
            # The passage it cites says the opposite: looser support elsewhere does not
            # outweigh that.
            check.markers_removed += len(cited)
            check.why = contradiction
            return check
        backing = [i for i in cited if all(f.stated for f in findings[i])]
        if not backing and len(cited) > 1 and _clause_sources(cited, findings):
            backing = cited  # each clause of the claim is stated by one passage it cites
        if not backing:
            whole = [i for i in findings if all(f.stated for f in findings[i])]
            if whole:
                backing = [whole[0]]
            elif sources := _clause_sources(list(findings), findings):
                backing = sources
            elif (vouched := self._vouched(claim.text, cited, findings)) is not None:
                backing = [vouched]
                check.second_opinion = True
            else:
                check.markers_removed += len(cited)
                check.why = _first_reason(findings, cited)
                return check
            check.marker_added = not set(backing) <= set(cited)
        check.supported = True
        check.passages = backing
        check.spans = {i: self._span(i, findings[i], check.second_opinion) for i in backing}
        check.markers_removed += len(set(cited) - set(backing))
        return check

    def _contradiction(
        self, text: str, cited: list[int], findings: dict[int, list[Finding]]
    ) -> str:
        """What a passage the claim cites says against it, unless some passage states it
        word for word (then the passages disagree, and the model quoted one of them)."""
        against = [f.why for i in cited for f in findings[i] if f.contradicted]
        if not against or any(normalized(text) in statements for statements in self._normalized):
            return ""
        return against[0]

    def _vouched(
        self, text: str, cited: list[int], findings: dict[int, list[Finding]]
    ) -> int | None:
        """A passage the model says states the claim, asked only of passages where every
        clause is stated or borderline (cited ones first, at most MAX_SECOND_OPINIONS)."""
        if self.second_opinion is None:
            return None
        borderline = [
            i
            for i in dict.fromkeys([*cited, *findings])
            if all(f.stated or f.borderline for f in findings[i])
            and any(f.borderline for f in findings[i])
        ]
        for index in borderline[:MAX_SECOND_OPINIONS]:
            if self.second_opinion(self._statements[index], text):
                return index
        return None

    def _all_named(self, wanted: set[str]) -> bool:
        """Every name and number the claim states is in some passage, an acronym written
        out counting ("US" for "the United States"), and a people for its place ("Swedish"
        for "Sweden")."""
        return all(
            named_alike(name, self._mentions) or any(spells_out(name, t) for t in self._statements)
            for name in wanted
        )

    def __len__(self) -> int:
        return len(self.passages)

    def _is_statement(self, text: str) -> bool:
        """Not a question, not an instruction, not a passage's heading copied out."""
        if text.endswith("?") or is_instruction(text) or _is_imperative(text):
            return False
        return not (looks_like_heading(text) and normalized(text) in self._headings)

    def _findings(self, index: int, text: str) -> list[Finding]:
        """The claim held against one passage, clause by clause: a claim found word for
        word is stated; a quotation must be found word for word."""
        statements = self._normalized[index]
        if normalized(text) in statements:
            return [Finding(True, self._verbatim_sentences(index, text))]
        findings = self.entailment.claim_findings(text, self._reading(index))
        for finding in findings:
            quotes = _QUOTED.findall(finding.text)
            if any(normalized(quote) not in statements for quote in quotes):
                finding.stated, finding.why = False, "misquoted"
        return findings

    def _reading(self, index: int) -> PassageReading:
        if index not in self._readings:
            passage = self.passages[index]
            context = f"{passage.title} {passage.published or ''} {passage.lead_in}"
            self._readings[index] = PassageReading(
                [s.text for s in self._sentences[index]], context
            )
        return self._readings[index]

    def _verbatim_sentences(self, index: int, text: str) -> tuple[int, ...]:
        wanted = normalized(text)
        sentences = self._sentences[index]
        found = [n for n, s in enumerate(sentences) if normalized(s.text) in wanted]
        found += [n for n, s in enumerate(sentences) if wanted in normalized(s.text)]
        return tuple(found[:1]) or (0,)

    def _span(self, index: int, findings: list[Finding], vouched: bool) -> tuple[int, int]:
        """Where the passage says the claim: the sentences its clauses were found in, or,
        in a passage the model vouched for, held against."""
        sentences = self._sentences[index]
        used = [
            n
            for f in findings
            if f.stated or (vouched and f.borderline)
            for n in f.sentences
            if n < len(sentences)
        ]
        if not used:
            return (0, 0)
        return sentences[min(used)].start, sentences[max(used)].end


def _clause_sources(candidates: list[int], findings: dict[int, list[Finding]]) -> list[int]:
    """For a claim of several clauses, a passage among the candidates stating each clause,
    in clause order without repeats; none when some clause is stated by none of them."""
    clauses = len(findings[candidates[0]]) if candidates else 0
    if clauses < 2:
        return []
    sources = []
    for clause in range(clauses):
        stating = [
            i for i in candidates if len(findings[i]) == clauses and findings[i][clause].stated
        ]
        if not stating:
            return []
        sources.append(stating[0])
    return list(dict.fromkeys(sources))


def _first_reason(findings: dict[int, list[Finding]], cited: list[int]) -> str:
    for index in [*cited, *findings]:
        for finding in findings[index]:
            if not finding.stated and finding.why:
                return finding.why
    return ""


def _is_imperative(text: str) -> bool:
    """An order, not a statement: a bare verb with no subject ("Use only facts stated in
    the passages.", a model repeating its prompt)."""
    roots = [token for token in nlp.parse(text) if token.dep_ == "ROOT"]
    return bool(roots) and all(
        root.tag_ == "VB"
        and not any(c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for c in root.children)
        # "Under the deal pay will rise": a subject the parser lost, not an order
        and not any(c.tag_ == "MD" for c in root.children)
        for root in roots
    )


def _tokens(text: str) -> set[str]:
    return {word.casefold() for word in _WORDS.findall(text)} | set(figures(text))


def _named(text: str) -> set[str]:
    """The claim's names and figures as tokens, as spaCy reads them, and the capitalised
    words inside a sentence ("the Oscar for Best Original Score"): a capital that only
    opens the sentence ("Besides", "No,") makes no name; a range is each of its ends."""
    named = [
        token.text
        for token in nlp.parse(text)
        if (is_name(token) and is_word(token))
        or (token.is_title and token.is_alpha and not token.is_sent_start)
    ]
    return {piece for name in named for piece in (figures(name) or [name])}
