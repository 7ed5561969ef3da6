"""The whole of `assistant train`, step by step. Each step keeps its output in a work
folder, so a run that is stopped resumes where it was."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer.policy import AnswerPolicy
from assistant.config import EmbeddingPrecision, Settings
from assistant.evaluate.squad import SquadArticle, load_squad, write_corpus
from assistant.train import examples as example_store
from assistant.train.reader import ReaderRecipe
from assistant.train.scorer import ScorerRecipe, Shortlist
from assistant.train.split import Split, split_articles

Log = Callable[[str], None]
# The embedding model's precision the shipped models were fitted with: pinned, so that
# `assistant train` rebuilds them with the same scores whatever precision is set.
TRAINED_WITH: EmbeddingPrecision = "fp32"


@dataclass
class TrainingRun:
    """Where the data is, where work and results go, and how the reader is trained."""

    squad: Path
    work: Path
    out: Path
    recipe: ReaderRecipe = field(default_factory=ReaderRecipe)
    scorer: ScorerRecipe = field(default_factory=ScorerRecipe)
    reader: Path | None = None  # a reader trained already (e.g. on a GPU machine)
    # Where fold readers already left their readings (readings_fold{k}.json, e.g. from a
    # GPU machine); a fold without them is skipped rather than trained here.
    fold_readings: Path | None = None
    reader_folds: int = 3
    log: Log = print

    def articles(self) -> tuple[list[SquadArticle], Split]:
        articles = load_squad(self.squad)
        return articles, split_articles([a.title for a in articles])


def train(run: TrainingRun) -> Path:
    """Every step; the model card's path."""
    from assistant.train.card import write_card
    from assistant.train.scorer import fit

    run.work.mkdir(parents=True, exist_ok=True)
    run.out.mkdir(parents=True, exist_ok=True)
    examples = fitted_examples(run)
    trained_reader(run, examples)
    shortlists, used = cross_fitted_shortlists(run, examples)
    fitted = fit(shortlists, run.scorer, run.log)
    _, split = run.articles()
    trained_on = "given (--reader)" if run.reader else "this machine"
    return write_card(
        run.out,
        fitted,
        split,
        run.recipe,
        run.scorer,
        used,
        run.squad.name,
        f"{trained_on}, all fitted articles",
    )


def fitted_examples(run: TrainingRun) -> list[example_store.Example]:
    """Every question of the fitted articles, asked of an index of those articles."""
    path = run.work / "examples.jsonl"
    if path.exists():
        run.log(f"examples: reusing {path}")
        return example_store.load(path)
    from assistant.core import Assistant

    articles, split = run.articles()
    fitted = [a for a in articles if a.title in split.fitted]
    corpus = write_corpus(fitted, run.work / "corpus")
    settings = Settings(
        corpus_dir=corpus, index_dir=run.work / "index", embedding_precision=TRAINED_WITH
    )
    Assistant(settings).ingest()
    started = time.monotonic()
    questions = example_store.squad_questions(fitted)
    staging = path.with_suffix(".partial")
    count = example_store.save(
        example_store.build(settings, questions, show_progress=True), staging
    )
    staging.rename(path)
    run.log(f"examples: {count} questions in {time.monotonic() - started:.0f} s")
    return example_store.load(path)


def reader_pairs(run: TrainingRun, examples: list[example_store.Example]) -> Path:
    """The reader's training pairs: answers, hard negatives and edited questions."""
    from assistant.index.embedding import load_embed_model
    from assistant.train.perturb import Perturber
    from assistant.train.reader import contrast_pairs, pairs_for, save_pairs

    path = run.work / "reader-pairs.jsonl"
    if path.exists():
        return path
    pairs = pairs_for(examples, run.recipe.negatives)
    perturber = Perturber(load_embed_model(precision=TRAINED_WITH).embed, run.recipe.seed)
    edited = contrast_pairs(examples, perturber, run.recipe.edits)
    save_pairs([*pairs, *edited], path)
    run.log(f"reader pairs: {len(pairs)} from retrieval, {len(edited)} edited questions")
    return path


def trained_reader(run: TrainingRun, examples: list[example_store.Example]) -> Path:
    """The int8 ONNX reader in the output folder: copied, or trained here."""
    target = run.out / "reader.onnx"
    if run.reader is not None:
        if run.reader.resolve() != target.resolve():
            shutil.copyfile(run.reader, target)
        return target
    from assistant.index.embedding import model_files
    from assistant.train.reader import export, load_pairs, train

    pairs = reader_pairs(run, examples)
    started = time.monotonic()
    model = train(load_pairs(pairs), run.recipe, model_files(), log=run.log)
    export(model, target)
    run.log(f"reader: trained and exported in {time.monotonic() - started:.0f} s")
    return target


def folds(groups: list[str], count: int) -> list[set[str]]:
    """The fitted articles dealt into `count` folds, by sorted title."""
    ordered = sorted(set(groups))
    return [set(ordered[k::count]) for k in range(count)]


def pairs_without(
    run: TrainingRun, examples: list[example_store.Example], left_out: set[str], name: str
) -> Path:
    """Reader pairs from every fitted article but those `left_out`."""
    from assistant.index.embedding import load_embed_model
    from assistant.train.perturb import Perturber
    from assistant.train.reader import contrast_pairs, pairs_for, save_pairs

    path = run.work / f"reader-pairs-{name}.jsonl"
    if not path.exists():
        kept = [e for e in examples if e.group not in left_out]
        perturber = Perturber(load_embed_model(precision=TRAINED_WITH).embed, run.recipe.seed)
        pairs = pairs_for(kept, run.recipe.negatives)
        save_pairs([*pairs, *contrast_pairs(kept, perturber, run.recipe.edits)], path)
    return path


def cross_fitted_shortlists(
    run: TrainingRun, examples: list[example_store.Example]
) -> tuple[list[Shortlist], list[int]]:
    """Every fitted question's shortlist, read by a reader that was not trained on its
    article: fold k's articles are read by a reader trained on the other folds. Readings
    the final reader makes of its own training questions are far surer than those it
    makes of new ones, and would calibrate the scorer to trust it too much."""
    import json

    from assistant.train.scorer import recorded, shortlists

    found: list[Shortlist] = []
    used: list[int] = []
    for k, fold in enumerate(folds([e.group for e in examples], run.reader_folds)):
        in_fold = [e for e in examples if e.group in fold]
        path = (run.fold_readings or run.work) / f"readings_fold{k}.json"
        if not path.exists() and run.fold_readings is not None:
            run.log(f"scorer: no readings for fold {k} in {run.fold_readings}; fold skipped")
            continue
        if not path.exists():
            _read_fold(run, examples, fold, in_fold, path, k)
        found += shortlists(in_fold, recorded(json.loads(path.read_text())), _SHORTLIST, run.log)
        used.append(k)
    return found, used


_SHORTLIST = AnswerPolicy().shortlist


def _read_fold(
    run: TrainingRun,
    examples: list[example_store.Example],
    fold: set[str],
    in_fold: list[example_store.Example],
    path: Path,
    k: int,
) -> None:
    import json

    from tokenizers import Tokenizer

    from assistant.answer.reader import Reader
    from assistant.index.embedding import model_files
    from assistant.train.reader import export, load_pairs, train
    from assistant.train.scorer import shortlists

    onnx = run.work / f"reader-fold{k}.onnx"
    if not onnx.exists():
        pairs = load_pairs(pairs_without(run, examples, fold, f"fold{k}"))
        export(train(pairs, run.recipe, model_files(), log=run.log), onnx)
    tokenizer = Tokenizer.from_file(str(model_files() / "tokenizer.json"))
    reader = Reader(onnx, tokenizer, run.recipe.context_tokens)
    readings: dict[str, list[list[object]]] = {}

    def keep(example: example_store.Example, inputs: list) -> list:  # type: ignore[type-arg]
        read = reader.run(inputs)
        readings[example.id] = [
            [r.relevance, r.span_score, list(r.span) if r.span else None] for r in read
        ]
        return read

    shortlists(in_fold, keep, _SHORTLIST, run.log)
    path.write_text(json.dumps(readings))
