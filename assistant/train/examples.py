"""Training examples for the answer models, made the way answers are made.

Each question is asked of a real index of its articles; the sentences of the passages
retrieved for it are its candidates, exactly as the answerer sees them, with the same
cheap features. A candidate is labelled an answer when it states a gold answer and comes
from the paragraph (SQuAD) or snippet (RGB) the answer was written from. Unanswerable
questions have no answer among their candidates, only sentences that look like one: the
hardest negatives there are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.answer.features import Candidate, cheap_features
from assistant.answer.question import analyze
from assistant.answer.sentences import candidate_sentences
from assistant.config import Settings
from assistant.evaluate.squad import SquadArticle, normalize_answer
from assistant.language.sentences import sentence_spans


@dataclass(frozen=True)
class Question:
    """One question to make an example of, and what its answer was written from."""

    id: str
    group: str  # the article (SQuAD) or question (RGB) it comes from: splits never cut one
    question: str
    answers: tuple[str, ...]  # empty when the articles don't answer it
    sources: tuple[str, ...]  # the paragraphs or snippets a right answer comes from


@dataclass
class Labelled:
    candidate: Candidate
    label: bool = False
    # Where a gold answer lies in the sentence, for the reader's span head.
    span: tuple[int, int] | None = None


@dataclass
class Example:
    id: str
    group: str
    question: str
    answers: list[str]
    candidates: list[Labelled] = field(default_factory=list)
    cheap: list[list[float]] = field(default_factory=list)  # features.CHEAP per candidate
    sources: list[str] = field(default_factory=list)  # what a right answer comes from
    # The answer sentence of the source paragraph, when retrieval did not bring it.
    gold: Labelled | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def squad_questions(articles: Iterable[SquadArticle]) -> list[Question]:
    return [
        Question(q.id, q.article, q.question, q.answers, (q.context,))
        for article in articles
        for q in article.questions
    ]


def build(
    settings: Settings, questions: Sequence[Question], show_progress: bool = False
) -> Iterator[Example]:
    """One example per question, from the index that `settings` names (built already)."""
    from assistant.index.store import IndexStore
    from assistant.retrieve.hybrid import HybridRetriever

    retriever = HybridRetriever(settings, IndexStore(settings))
    for question in tqdm(questions, desc="examples", disable=not show_progress):
        retrieval = retriever.run(question.question)
        sentences = candidate_sentences(retrieval.passages)
        candidates = [Candidate.of(s, retrieval.passages[s.passage]) for s in sentences]
        idf = {stem: retriever.vocabulary.idf(stem) for stem in retrieval.query_stems}
        example = Example(question.id, question.group, question.question, list(question.answers))
        example.sources = list(question.sources)
        example.candidates = [_labelled(candidate, question) for candidate in candidates]
        example.cheap = cheap_features(analyze(question.question), candidates, idf).tolist()
        if question.answers and not any(c.label for c in example.candidates):
            example.gold = _gold_sentence(question)
        yield example


def _labelled(candidate: Candidate, question: Question) -> Labelled:
    """An answer sentence states a gold answer and comes from where the answer was written."""
    if not question.answers or not _from_sources(candidate.sentence, question.sources):
        return Labelled(candidate)
    span = answer_span(candidate.sentence, question.answers)
    return Labelled(candidate, label=span is not None, span=span)


def answer_span(sentence: str, answers: Sequence[str]) -> tuple[int, int] | None:
    """Where the longest gold answer occurs in the sentence, as whole words."""
    for answer in sorted(answers, key=len, reverse=True):
        if not normalize_answer(answer):
            continue
        match = re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", sentence, re.IGNORECASE)
        if match:
            return match.start(), match.end()
    return None


def _from_sources(sentence: str, sources: Sequence[str]) -> bool:
    plain = " ".join(sentence.split())
    return any(plain in " ".join(source.split()) for source in sources)


def _gold_sentence(question: Question) -> Labelled | None:
    for source in question.sources:
        previous = ""
        for start, end in sentence_spans(source):
            text = source[start:end]
            span = answer_span(text, question.answers)
            if span is not None:
                candidate = Candidate(text, previous, "", source, -1, 0.0, 0)
                return Labelled(candidate, label=True, span=span)
            previous = text
    return None


def save(examples: Iterable[Example], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for example in examples:
            out.write(json.dumps(asdict(example), ensure_ascii=False) + "\n")
            count += 1
    return count


def load(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        raw["candidates"] = [_labelled_from(c) for c in raw["candidates"]]
        raw["gold"] = _labelled_from(raw["gold"]) if raw["gold"] else None
        examples.append(Example(**raw))
    return examples


def _labelled_from(raw: dict) -> Labelled:
    span = tuple(raw["span"]) if raw["span"] else None
    return Labelled(Candidate(**raw["candidate"]), raw["label"], span)  # type: ignore[arg-type]
