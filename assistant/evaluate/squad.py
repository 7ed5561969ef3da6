"""SQuAD 2.0 as open-book retrieval QA: Wikipedia articles, half the questions unanswerable.

Each article becomes one document of a corpus of its own (kept under the index folder,
never in the project); a fixed-seed sample of questions, half answerable and half not,
is asked of the whole corpus. An answerable question is answered correctly when a gold
answer, SQuAD-normalised, occurs in the answer text and in a passage the answer cites;
an unanswerable one when the assistant declines. The short answer is scored as SQuAD
scores a reader: exact match and token F1 against the best gold answer.

Questions of articles that the answer scorer was fitted on are left out unless asked
for, so the figures are always on text the model never saw.
"""

from __future__ import annotations

import collections
import json
import random
import re
import shutil
import statistics
import string
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.core import Assistant
from assistant.evaluate.metrics import ItemResult, cited_sources
from assistant.evaluate.runner import SuiteResult

DATA_FILE = "dev-v2.0-part.json"
DEFAULT_SAMPLE = 400
SEED = 20261124


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    article: str  # the article's title
    question: str
    answers: tuple[str, ...]  # empty for an unanswerable question
    context: str  # the paragraph the question was written about

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class SquadArticle:
    title: str
    paragraphs: tuple[str, ...]
    questions: tuple[SquadQuestion, ...]

    @property
    def file_name(self) -> str:
        return re.sub(r"[^\w.-]+", "_", self.title).strip("_") + ".txt"

    @property
    def text(self) -> str:
        """The article as a document: its title on the first line, then its paragraphs."""
        return self.title.replace("_", " ") + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def load_squad(path: Path) -> list[SquadArticle]:
    if path.is_dir():
        path = path / DATA_FILE
    if not path.exists():
        raise FileNotFoundError(f"No SQuAD 2.0 data at {path}: pass --data PATH/TO/{DATA_FILE}.")
    articles = []
    for raw in json.loads(path.read_text(encoding="utf-8"))["data"]:
        questions = [
            SquadQuestion(
                id=qa["id"],
                article=raw["title"],
                question=qa["question"],
                answers=tuple(dict.fromkeys(a["text"] for a in qa.get("answers", []))),
                context=paragraph["context"],
            )
            for paragraph in raw["paragraphs"]
            for qa in paragraph["qas"]
        ]
        articles.append(
            SquadArticle(
                title=raw["title"],
                paragraphs=tuple(p["context"] for p in raw["paragraphs"]),
                questions=tuple(questions),
            )
        )
    return articles


def sample_questions(
    articles: list[SquadArticle],
    size: int,
    seed: int = SEED,
    leave_out: frozenset[str] = frozenset(),
) -> list[SquadQuestion]:
    """`size` questions, half answerable and half not, from articles not left out."""
    pool = [q for a in articles if a.title not in leave_out for q in a.questions]
    rng = random.Random(seed)
    answerable = sorted((q for q in pool if q.answerable), key=lambda q: q.id)
    unanswerable = sorted((q for q in pool if not q.answerable), key=lambda q: q.id)
    half = size // 2
    chosen = rng.sample(answerable, min(half, len(answerable)))
    chosen += rng.sample(unanswerable, min(size - len(chosen), len(unanswerable)))
    rng.shuffle(chosen)
    return chosen


# --- SQuAD's own scoring (the official evaluate-v2.0.py) --------------------------------

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """Lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: tuple[str, ...]) -> float:
    return float(any(normalize_answer(prediction) == normalize_answer(g) for g in gold))


def f1(prediction: str, gold: tuple[str, ...]) -> float:
    return max((_f1(prediction, g) for g in gold), default=0.0)


def _f1(prediction: str, gold: str) -> float:
    predicted, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
    common = collections.Counter(predicted) & collections.Counter(wanted)
    same = sum(common.values())
    if not predicted or not wanted:
        return float(predicted == wanted)
    if same == 0:
        return 0.0
    precision, recall = same / len(predicted), same / len(wanted)
    return 2 * precision * recall / (precision + recall)


def contains_answer(text: str, gold: tuple[str, ...]) -> bool:
    padded = f" {normalize_answer(text)} "
    return any(f" {normalize_answer(g)} " in padded for g in gold if normalize_answer(g))


# --- the suite ---------------------------------------------------------------------------


def run_squad(
    settings: Settings,
    data: Path,
    size: int = DEFAULT_SAMPLE,
    seed: int = SEED,
) -> SuiteResult:
    """Questions of the held-out articles only (train/split.py), asked of all 18: the
    learned answer core is fitted on the others."""
    from assistant.train.split import split_articles

    articles = load_squad(data)
    fitted = frozenset(split_articles([a.title for a in articles]).fitted)
    questions = sample_questions(articles, size, seed, fitted)
    root = settings.index_dir / "eval" / "squad2"
    corpus = write_corpus(articles, root / "corpus")
    assistant = Assistant(
        settings.model_copy(update={"corpus_dir": corpus, "index_dir": root / "index"})
    )
    assistant.ingest()

    results = []
    short_em, short_f1 = [], []
    for question in questions:
        answer = assistant.ask(question.question)
        cited = " ".join(c.text for c in answer.citations)
        result = ItemResult(
            id=question.id,
            question=question.question,
            answerable=question.answerable,
            abstained=answer.abstained,
            answer=answer.text,
            retrieved=[p.text for p in answer.passages],
            seconds=answer.timings.get("total", 0.0),
            cited=cited_sources(answer),
            tags=[question.article],
        )
        if question.answerable:
            ranks = [
                rank
                for rank, passage in enumerate(answer.passages, start=1)
                if _holds_gold_answer(passage.text, question)
            ]
            result.hit = bool(ranks)
            result.reciprocal_rank = 1 / ranks[0] if ranks else 0.0
            result.correct = (
                not answer.abstained
                and contains_answer(answer.text, question.answers)
                and contains_answer(cited, question.answers)
            )
            result.fact_recall = float(result.correct)
            result.missing_facts = [] if result.correct else [question.answers[0]]
            short = "" if answer.abstained else (answer.short_answer or "")
            short_em.append(exact_match(short, question.answers) if short else 0.0)
            short_f1.append(f1(short, question.answers) if short else 0.0)
        else:
            result.correct = answer.abstained
        results.append(result)

    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    seconds = sorted(r.seconds for r in results) or [0.0]
    summary: dict[str, float] = {
        "questions": len(results),
        "answerable_correct": _mean(r.correct for r in answerable),
        "unanswerable_declined": _mean(r.abstained for r in unanswerable),
        "answerable_declined": _mean(r.abstained for r in answerable),
        "retrieval_hit": _mean(bool(r.hit) for r in answerable),
        "retrieval_mrr": _mean(r.reciprocal_rank or 0.0 for r in answerable),
        "short_answer_em": _mean(short_em),
        "short_answer_f1": _mean(short_f1),
        "latency_p50_ms": round(1000 * statistics.median(seconds), 1),
    }
    return SuiteResult(
        suite="squad2",
        settings={"top_k": settings.top_k, "sample": size, "seed": seed},
        summary=summary,
        items=results,
    )


def write_corpus(articles: list[SquadArticle], folder: Path) -> Path:
    """One document per article, rewritten only when the set of articles changed."""
    wanted = {article.file_name: article.text for article in articles}
    if folder.exists() and {p.name for p in folder.iterdir()} != set(wanted):
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


def _holds_gold_answer(passage: str, question: SquadQuestion) -> bool:
    """The passage holds a gold answer where the question's own paragraph has it: the
    answer with the words around it, not the same word elsewhere in the article."""
    context = normalize_answer(question.context)
    for answer in question.answers:
        for match in re.finditer(re.escape(answer), passage):
            around = passage[max(0, match.start() - 30) : match.end() + 30]
            inner = " ".join(around.split()[1:-1]) or answer
            if normalize_answer(inner) in context:
                return True
    return False


def _mean(values) -> float:  # type: ignore[no-untyped-def]
    values = [float(v) for v in values]
    return round(statistics.fmean(values), 4) if values else 0.0
