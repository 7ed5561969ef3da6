"""The default answerer: no language model, only sentences the articles really contain.

Hand-weighted, and tuned on the gold set (evals/gold.jsonl). The learned answer core
(answer/extractive.py, `--scorer learned`) is meant to replace it; until it answers
news as well (README, "Answer cores"), this one stays the default.

Each candidate sentence of the retrieved passages is scored by how much of the question's
rare vocabulary it covers and how close its meaning is (MiniLM). A sentence that does not
supply the kind of thing asked for (a number, a date, a person, a place) is never an
answer. The best sentences, each followed by the markers of every passage that says it,
make the answer, opening with what was asked for alone when the question asks for a
person, place, date or number; if none is good enough the answerer says the articles
don't say.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer.features import Candidate, constraints_of
from assistant.answer.heuristic.policy import HeuristicPolicy
from assistant.answer.heuristic.question import (
    AnswerKind,
    Question,
    analyze,
    asks_why,
    counts_what_is_asked,
    detail,
    gives_a_cause,
    misses_the_deed,
    misses_the_order,
    misses_the_superlative,
    parse_ahead,
    read_ahead,
    referent,
    says_the_opposite,
    short_answers,
    supplies,
    titles_someone_else,
)
from assistant.answer.question import Question as ParsedQuestion
from assistant.answer.question import analyze as parse_question
from assistant.answer.quoting import QuotedAnswer, Quoting
from assistant.answer.sentences import Sentence, candidate_sentences
from assistant.answer.support import Support
from assistant.answer.types import Answer, Citation
from assistant.language import lexicon
from assistant.language.text import differ_in_names
from assistant.language.words import content_stems, content_words, says_not, stem
from assistant.retrieve.vocabulary import Vocabulary

if TYPE_CHECKING:
    from assistant.index.embedding import MiniLMEmbedding
    from assistant.retrieve.hybrid import Passage, Retrieval

_WORDS = re.compile(r"\w+")
_EMBEDDING_CACHE_SIZE = 20_000

ABSTAIN_TEXT = (
    "The articles don't say. None of the indexed passages answers this question; "
    "the closest ones are listed as related reading."
)


@dataclass
class _Claim:
    """One answer sentence and every retrieved sentence that says the same."""

    sentence: Sentence
    score: float
    vector: np.ndarray
    support: list[Sentence] = field(default_factory=list)


class HeuristicAnswerer(Quoting):
    def __init__(
        self,
        embed_model: MiniLMEmbedding,
        vocabulary: Vocabulary,
        policy: HeuristicPolicy | None = None,
    ) -> None:
        self.embed_model = embed_model
        self.support = Support(embed_model)
        self.vocabulary = vocabulary
        self.policy = policy or HeuristicPolicy()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vectors_lock = threading.Lock()

    def _answer(self, question: str, retrieval: Retrieval) -> Answer:
        asked = analyze(question)
        # The corpus never uses the word for what is asked about ("population"): it can't say.
        if asked.focus and not self.vocabulary.mentions(asked.focus):
            return self.abstain(question, retrieval.passages)
        candidates = candidate_sentences(retrieval.passages)
        if says_not(question):
            # "Why was free movement not based on …" is not answered by a sentence saying
            # that it was: a question about what did not happen needs a negation.
            candidates = [s for s in candidates if says_not(s.text)]

        weights, total = self._weights(retrieval, asked)
        named = _named_in_passages(question, retrieval.passages)
        # Cheap tests first; only the lexically best few are embedded (policy.shortlist).
        lexical = {
            id(sentence): self._coverage(sentence, weights, named[sentence.passage]) / total
            for sentence in candidates
            if supplies(sentence.text, asked, sentence.context)
        }
        ranked = sorted((s for s in candidates if id(s) in lexical), key=lambda s: -lexical[id(s)])
        why = asks_why(asked)
        if why:
            # "What caused the outage?" is answered by the sentence saying what caused the
            # fault, in other words than the question's, before the ones naming the outage.
            ranked.sort(key=lambda s: not gives_a_cause(s.text))
        # Checked down the ranking only as far as needed: a check costs a tenth of a
        # millisecond a sentence, and a question's passages hold dozens.
        pinned = parse_question(question)
        fits = (
            s
            for s in ranked
            if not (pinned.years or pinned.names or pinned.topics or pinned.days)
            or _agrees(pinned, Candidate.of(s, retrieval.passages[s.passage]))
        )
        # Parsing costs milliseconds a sentence: only as far down as the shortlist reaches,
        # the likeliest at once.
        fitting = list(itertools.islice(fits, self.policy.shortlist))
        parse_ahead([s.text for s in fitting], asked)
        counting = (
            s
            for s in itertools.chain(fitting, fits)
            if counts_what_is_asked(s.text, asked)
            and not says_the_opposite(s.text, asked)
            and not misses_the_superlative(s.text, asked)
            and not misses_the_deed(s.text, asked)
            and not titles_someone_else(s.text, asked)
            and not misses_the_order(s.text, asked)
        )
        shortlist = list(itertools.islice(counting, self.policy.shortlist))
        if not shortlist:
            return self.abstain(question, retrieval.passages)
        # One run of the model for both: a run costs a millisecond before its first word.
        embedded = self._embed([s.text for s in shortlist] + [_meaning(s) for s in shortlist])
        vectors = embedded[: len(shortlist)]
        semantic = embedded[len(shortlist) :] @ np.asarray(
            retrieval.query_embedding, dtype=np.float32
        )
        scored = [
            _Claim(
                sentence,
                self._blend(lexical[id(sentence)], float(similarity)),
                vector,
            )
            for sentence, vector, similarity in zip(shortlist, vectors, semantic, strict=True)
        ]
        if asked.kind is AnswerKind.PERSON and asked.focus:
            # "Governor Anna Lindahl said consumer prices rose …" answers "Who is the
            # governor of the bank?", though what it means is about prices: a sentence
            # naming someone under the title asked about is held to the question's words.
            titled = [c for c in scored if _says_focus(c.sentence.text, asked)]
            read_ahead([claim.sentence.text for claim in titled], asked)
            for claim in titled:
                if self._titled(claim.sentence.text, asked):
                    claim.score = max(claim.score, lexical[id(claim.sentence)])
        scored.sort(key=lambda claim: claim.score, reverse=True)
        explaining = [c for c in scored if why and gives_a_cause(c.sentence.text)]
        if explaining and explaining[0].score >= self.policy.min_score:
            scored = explaining
        if not scored or scored[0].score < self.policy.min_score:
            return self.abstain(question, retrieval.passages)

        claims, disagreement = self._select(scored, asked)
        answer = self._compose(question, asked, claims, retrieval.passages, disagreement)
        if disagreement:
            answer.disagreement = True
            answer.notices.append(
                "The sources disagree: they state this with different names or numbers, "
                "so each version is shown with its source."
            )
        return answer

    def answers(
        self, question: str, retrieval: Retrieval, claims: Sequence[tuple[str, int]]
    ) -> bool:
        """Would one of these sentences (a model's, each with the passage it was checked
        against) pass the bar this answerer sets its own: about something the corpus
        mentions, offering the kind of thing asked for, and scoring at least min_score on
        the question's words (or words WordNet puts near them) and meaning."""
        sentences = [text for text, _ in claims]
        asked = analyze(question)
        if asked.focus and not self.vocabulary.mentions(asked.focus):
            return False
        candidates = [text for text in sentences if supplies(text, asked)]
        if not candidates:
            return False
        weights, total = self._weights(retrieval, asked)
        near = _near_stems(question)
        similarities = self._embed(candidates) @ np.asarray(
            retrieval.query_embedding, dtype=np.float32
        )
        return any(
            self._blend(_coverage_in_other_words(text, weights, near) / total, float(sim))
            >= self.policy.min_score
            for text, sim in zip(candidates, similarities, strict=True)
        )

    # --- steps --------------------------------------------------------------------------

    def _weights(self, retrieval: Retrieval, asked: Question) -> tuple[dict[str, float], float]:
        """How much each of the question's words counts: its rarity in the corpus. The
        word a "how" question measures by counts for nothing, and the words of an earlier
        question, asked after a follow-up for its topic, count as context does."""
        credit = self.policy.context_credit
        weights = {
            stem: self.vocabulary.idf(stem) * (credit if stem in asked.context else 1.0)
            for stem in retrieval.query_stems
            if stem != asked.measure
        }
        return weights, sum(weights.values()) or 1.0

    def _select(self, scored: list[_Claim], asked: Question) -> tuple[list[_Claim], bool]:
        """The answer's claims, and whether retrieved passages contradict one of them."""
        policy = self.policy
        ratio = policy.keep_ratio_list if asked.wants_list else policy.keep_ratio
        floor = max(policy.min_score, scored[0].score * ratio)
        chosen: list[_Claim] = []
        rivals: list[_Claim] = []
        for claim in scored:
            if claim.score < floor:
                break
            if any(
                c.sentence.passage != claim.sentence.passage
                and self._contradicts(c.sentence.text, claim.sentence.text, asked)
                for c in chosen
            ):
                # Same statement, other names or numbers: show both, never pick one silently.
                rivals.append(claim)
                continue
            twin = next(
                (
                    c
                    for c in chosen
                    if float(c.vector @ claim.vector) >= policy.same_claim_similarity
                ),
                None,
            )
            if twin is None:
                if len(chosen) < policy.max_sentences:
                    chosen.append(claim)
                continue
            holds = self.support.holds(
                [claim.sentence.context, claim.sentence.text], twin.sentence.text
            )
            if detail(claim.sentence.text, asked) > detail(twin.sentence.text, asked):
                # Nearly the same sentence, saying more of what was asked ("April 29, 2015"
                # where the other has "April 29"): quote it instead, or beside it.
                if holds:
                    chosen[chosen.index(twin)] = claim
                elif len(chosen) < policy.max_sentences:
                    chosen.append(claim)
            elif claim.sentence.passage != twin.sentence.passage and holds:
                # Another passage says the same: cite it too.
                twin.support.append(claim.sentence)
        return chosen + rivals, bool(rivals)

    def _compose(
        self,
        question: str,
        asked: Question,
        claims: list[_Claim],
        passages: list[Passage],
        disagreement: bool,
    ) -> Answer:
        """The quoted sentences, each with its markers, after what was asked for alone: from
        the first sentence (all it names, for a list), or from each when the sources
        disagree (each version is then named)."""
        answer = QuotedAnswer(question)
        named = len(claims) if disagreement and not asked.wants_list else 1
        read_ahead([claim.sentence.text for claim in claims[:named]], asked)
        for rank, claim in enumerate(claims):
            marker = answer.quote(claim.sentence, claim.support)
            if rank < named:
                sentence = claim.sentence
                shorts = short_answers(
                    sentence.text, asked, self.policy.short_answer_gap
                ) or referent(sentence.text, sentence.context, asked)
                for short in shorts:
                    answer.lead_with(short, marker)
        return answer.build(passages)

    def abstain(self, question: str, passages: list[Passage]) -> Answer:
        related = [
            Citation.of(number, passage)
            for number, passage in enumerate(passages[: self.policy.related_passages], start=1)
        ]
        return Answer(
            question=question, text=ABSTAIN_TEXT, citations=[], abstained=True, related=related
        )

    def _blend(self, lexical: float, semantic: float) -> float:
        """The score a sentence must bring to min_score: the question's words and meaning."""
        return self.policy.lexical_weight * lexical + self.policy.semantic_weight * semantic

    def _coverage(
        self, sentence: Sentence, weights: dict[str, float], named: frozenset[str]
    ) -> float:
        """How much of the question's weighted vocabulary the sentence (or its lead-in) uses;
        `named`: stems of the question's names that its passage (title, the article's
        opening) states, which count as its lead-in does."""
        own = content_stems(sentence.text)
        context = content_stems(sentence.context)
        if own & (weights.keys() - named):
            # What the sentence says of the thing the passage named: only when it says
            # something asked about itself ("Governor Anna Lindahl"), not any sentence
            # of an article about the Eastmere Savings Bank.
            context |= named
        if _leans_on_lead_in(sentence) and own & weights.keys():
            # "It was released on …": what "it" is, the lead-in says. Only for a sentence
            # that says something asked about itself: "It has also hired 45 nurses" does
            # not answer what its lead-in says of clinics.
            own |= context
        # A doer's noun names its deed either way: "owner" for "owns", "win" for "winner".
        own = own | _doers(sentence.text)
        credit = self.policy.context_credit
        return sum(
            weight
            if stem in own or _done(stem) in own
            else credit * weight
            if stem in context
            else 0.0
            for stem, weight in weights.items()
        )

    def _titled(self, sentence: str, asked: Question) -> bool:
        """The sentence names someone beside the noun the question asks about, as a
        short answer stands beside the question's words ("Governor Anna Lindahl")."""
        assert asked.focus is not None
        title = replace(asked, stems=frozenset({stem(asked.focus)}), wants_list=False)
        return bool(short_answers(sentence, title, self.policy.short_answer_gap))

    def _contradicts(self, first: str, second: str, asked: Question) -> bool:
        """Nearly the same words, but each names something the other does not."""
        words_a = set(_WORDS.findall(first.lower()))
        words_b = set(_WORDS.findall(second.lower()))
        overlap = len(words_a & words_b) / max(len(words_a | words_b), 1)
        if overlap < self.policy.contradiction_overlap:
            return False
        return differ_in_names(first, second, ignore=asked.text)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, remembered across questions: popular passages recur."""
        with self._vectors_lock:
            return self._embed_locked(texts)

    def _embed_locked(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embed_model.embed(missing), strict=True):
                self._vectors[text] = vector
            while len(self._vectors) > _EMBEDDING_CACHE_SIZE:
                self._vectors.popitem(last=False)
        for text in texts:
            self._vectors.move_to_end(text)
        return np.stack([self._vectors[text] for text in texts])


def _says_focus(sentence: str, asked: Question) -> bool:
    """Whether the sentence uses the noun the question asks about: only then can it name
    someone beside it (`_titled`), which costs a reading of its names to find out."""
    return asked.focus is not None and stem(asked.focus) in content_stems(sentence)


def _agrees(asked: ParsedQuestion, candidate: Candidate) -> bool:
    """Every year of the question is stated by the sentence or its passage (title,
    dateline, lead-in), and no other year stands in the sentence in its place, and at least
    half of its names: "Who won the 2021 Tour?" is not answered by the 2019 winner, however
    often its passage says 2021, nor "How many were killed in Brightwater?" from a passage
    about Lowmoor. Half, because news names a government by its capital ("Moscow") and
    people misspell names: of two names one may be missing, of one none. Every topic of
    the question is mentioned there too: "Who is the mayor of Westbrook?" is not answered
    from a passage that names no mayor, nor "How much will apple prices rise?" from one
    about prices in general."""
    agreement = constraints_of(asked, candidate)
    if agreement.years_in_passage < len(asked.years) or agreement.year_said_otherwise:
        return False
    if agreement.number_conflict or agreement.day_conflict:
        return False
    if agreement.topics_in_passage < len(asked.topics):
        return False
    missing = len(asked.names) - agreement.names_in_passage
    return missing <= len(asked.names) // 2


_LEANS_ON_LEAD_IN = re.compile(r"^(it|its|he|his|she|her|they|their)\b", re.IGNORECASE)


def _near_stems(question: str) -> dict[str, set[str]]:
    """Each question word's stem, and the stems of the words WordNet puts near it."""
    return {
        stem(word): {stem(w) for w in lexicon.near(word) if " " not in w}
        for word in content_words(question)
    }


def _coverage_in_other_words(
    text: str, weights: dict[str, float], near: dict[str, set[str]]
) -> float:
    """How much of the question's weighted vocabulary a model's sentence uses, a word
    WordNet puts near a question word counting as that word: a model answers in its own
    words ("NATO Secretary-General Mark Rutte visited Kyiv" for "Which NATO chief travelled
    to ...?"), and what it says was verified against the passages already."""
    own = content_stems(text)
    return sum(
        weight for key, weight in weights.items() if key in own or own & near.get(key, set())
    )


def _leans_on_lead_in(sentence: Sentence) -> bool:
    """A sentence that opens with a pronoun ("It was released on July 21, 2017") says
    nothing of its subject without the sentence before it."""
    return bool(sentence.context) and bool(_LEANS_ON_LEAD_IN.match(sentence.text))


def _meaning(sentence: Sentence) -> str:
    """What a sentence means to a reader: with its lead-in when it leans on it."""
    if _leans_on_lead_in(sentence):
        return f"{sentence.context} {sentence.text}"
    return sentence.text


def _named_in_passages(question: str, passages: list[Passage]) -> list[frozenset[str]]:
    """For each passage, the stems of the question's names that it, its title or the
    article's opening states: "Governor Anna Lindahl said ..." is about the Eastmere
    Savings Bank the article named in its first lines."""
    names = content_stems(" ".join(parse_question(question).names))
    if not names:
        return [frozenset()] * len(passages)
    return [
        names & content_stems(f"{p.title} {p.published or ''} {p.lead_in} {p.text}")
        for p in passages
    ]


_DOERS = ("er", "or", "ers", "ors")


def _done(word: str) -> str:
    """The stem of what a doer's noun does: "owner" -> "own", "winner" -> "win"; any other
    word as it is."""
    if len(word) < 5 or not word.endswith(_DOERS):
        return word
    base = re.sub(r"(?:er|or)s?$", "", word)
    if len(base) > 2 and base[-1] == base[-2]:
        base = base[:-1]  # "winn" of "winner"
    return stem(base)


@lru_cache(maxsize=20_000)
def _doers(text: str) -> frozenset[str]:
    """What the text's doers do ("the team's owner": own), so it answers "Who owns the
    team?" as a sentence saying "owns" would."""
    return frozenset(_done(word) for word in content_words(text) if word.endswith(_DOERS))
