"""The learned answer core (`--scorer learned`, experimental): no language model, only
sentences the articles really contain, picked by a fitted, calibrated scorer. The default
is still heuristic/ (README, "Answer cores").

The answer scorer (scorer.py) judges every candidate sentence of the retrieved passages.
When its confidence that the best one answers the question is below the policy's
threshold, the answerer says the articles don't say. Otherwise the answer opens with the
short answer the reader found in that sentence ("Budapest and Geneva [1]"), when the
question asks for one, and quotes the sentence; a further sentence is quoted only when it
is nearly as likely and says something the first does not (another city, for a list
question), and a sentence that states the same as another is cited beside it instead.
Two likely sentences that word the same statement with other names or numbers are rival
versions: both are shown, with a notice, never one picked silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.answer.features import Candidate
from assistant.answer.policy import AnswerPolicy
from assistant.answer.question import Question, analyze
from assistant.answer.quoting import QuotedAnswer, Quoting
from assistant.answer.scorer import AnswerScorer, Judgement, Scored
from assistant.answer.sentences import Sentence, candidate_sentences
from assistant.answer.types import Answer, Citation
from assistant.language.text import differ_in_names, normalized

if TYPE_CHECKING:
    from assistant.retrieve.hybrid import Passage, Retrieval
    from assistant.retrieve.vocabulary import Vocabulary

ABSTAIN_TEXT = (
    "The articles don't say. None of the indexed passages answers this question; "
    "the closest ones are listed as related reading."
)
_WORDS = re.compile(r"\w+")
_SAME_STATEMENT = 0.6  # word overlap from which two sentences say the same thing


@dataclass
class _Claim:
    """One quoted sentence, its short answer, and the other sentences that say the same."""

    sentence: Sentence
    scored: Scored
    short: str | None
    support: list[Sentence] = field(default_factory=list)


class ExtractiveAnswerer(Quoting):
    def __init__(self, scorer: AnswerScorer, vocabulary: Vocabulary, policy: AnswerPolicy) -> None:
        self.scorer = scorer
        self.vocabulary = vocabulary
        self.policy = policy

    def warm_up(self) -> None:
        super().warm_up()
        _ = self.scorer.reader, self.scorer.booster

    def judge(
        self, asked: Question, retrieval: Retrieval, candidates: Sequence[Candidate]
    ) -> Judgement:
        idf = {stem: self.vocabulary.idf(stem) for stem in retrieval.query_stems}
        return self.scorer.run(asked, candidates, idf)

    def answers(
        self, question: str, retrieval: Retrieval, claims: Sequence[tuple[str, int]]
    ) -> bool:
        """Would these sentences (a model's, each with the index of the passage it was
        checked against) clear the bar this answerer sets its own?"""
        passages = retrieval.passages
        candidates = [
            Candidate(text, "", passages[i].title, passages[i].text, i, passages[i].score, 0)
            for text, i in claims
        ]
        judgement = self.judge(analyze(question), retrieval, candidates)
        return judgement.best is not None and judgement.confidence >= self.policy.min_confidence

    # --- steps --------------------------------------------------------------------------

    def _answer(self, question: str, retrieval: Retrieval) -> Answer:
        asked = analyze(question)
        sentences = candidate_sentences(retrieval.passages)
        candidates = [Candidate.of(s, retrieval.passages[s.passage]) for s in sentences]
        judgement = self.judge(asked, retrieval, candidates)
        if judgement.best is None or judgement.confidence < self.policy.min_confidence:
            return self.abstain(question, retrieval.passages)
        claims, rivals = self._select(asked, judgement, sentences)
        answer = self._compose(question, asked, claims + rivals, retrieval.passages)
        answer.confidence = judgement.confidence
        if rivals:
            answer.disagreement = True
            answer.notices.append(
                "The sources disagree: they state this with different names or numbers, "
                "so each version is shown with its source."
            )
        return answer

    def _select(
        self, asked: Question, judgement: Judgement, sentences: Sequence[Sentence]
    ) -> tuple[list[_Claim], list[_Claim]]:
        """The quoted sentences, and rival versions of them from other passages."""
        best = judgement.scored[0]
        ratio = self.policy.keep_ratio_list if asked.wants_list else self.policy.keep_ratio
        chosen: list[_Claim] = []
        rivals: list[_Claim] = []
        for scored in judgement.scored:
            if scored.probability < ratio * best.probability and chosen:
                break
            claim = _Claim(
                sentences[scored.candidate],
                scored,
                self._short(asked, sentences[scored.candidate], scored),
            )
            same = next((c for c in chosen if _same_statement(c, claim)), None)
            if same is not None:
                if claim.sentence.passage != same.sentence.passage:
                    same.support.append(claim.sentence)  # another passage says it too: cite it
                continue
            if any(self._rivals(c, claim, asked) for c in chosen):
                rivals.append(claim)
            elif len(chosen) < self.policy.max_sentences and _adds(chosen, claim, asked.wants_list):
                chosen.append(claim)
        return chosen, rivals

    def _short(self, asked: Question, sentence: Sentence, scored: Scored) -> str | None:
        """What was asked for, as the reader found it in the sentence, if it is sure."""
        span = scored.reading.span
        if not asked.wants_short_answer or span is None:
            return None
        if scored.reading.span_score < self.policy.min_span_score:
            return None
        short = sentence.text[span[0] : span[1]].strip(" ,;:.")
        own = {w.casefold() for w in _WORDS.findall(short)}
        if not own or own <= {w.casefold() for w in _WORDS.findall(asked.text)}:
            return None  # the question's own words are no answer
        if len(short) >= len(sentence.text) * 0.8:
            return None  # the whole sentence is no short answer
        return short

    def _rivals(self, first: _Claim, second: _Claim, asked: Question) -> bool:
        """Nearly the same words from another passage, naming something else."""
        if first.sentence.passage == second.sentence.passage:
            return False
        a, b = _words(first.sentence.text), _words(second.sentence.text)
        if len(a & b) / max(len(a | b), 1) < self.policy.rival_overlap:
            return False
        return differ_in_names(first.sentence.text, second.sentence.text, ignore=asked.text)

    def _compose(
        self, question: str, asked: Question, claims: list[_Claim], passages: Sequence[Passage]
    ) -> Answer:
        answer = QuotedAnswer(question)
        for claim in claims:
            answer.lead_with(claim.short, answer.quote(claim.sentence, claim.support))
        return answer.build(passages)

    def abstain(self, question: str, passages: Sequence[Passage]) -> Answer:
        related = [
            Citation.of(number, passage)
            for number, passage in enumerate(passages[: self.policy.related_passages], start=1)
        ]
        return Answer(
            question=question, text=ABSTAIN_TEXT, citations=[], abstained=True, related=related
        )


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.casefold()))


def _same_statement(first: _Claim, second: _Claim) -> bool:
    """The same sentence from an overlapping chunk, or one that words the same statement
    with the same names: cited together, quoted once."""
    a, b = _words(first.sentence.text), _words(second.sentence.text)
    if len(a & b) / max(len(a | b), 1) < _SAME_STATEMENT:
        return False
    return not differ_in_names(first.sentence.text, second.sentence.text)


def _adds(chosen: list[_Claim], claim: _Claim, wants_list: bool) -> bool:
    """A further sentence is quoted only for a short answer not given yet, and only when
    the question asks for several things: one person asked for is one answer."""
    if not chosen:
        return True
    if claim.short is None or not wants_list:
        return False
    given = {normalized(c.short) for c in chosen if c.short}
    return normalized(claim.short) not in given
