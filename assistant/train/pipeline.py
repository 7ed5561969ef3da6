"""The whole of `assistant train`, step by step. Each step keeps its output in a work
folder, so a run that is stopped resumes where it was."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.evaluate.squad import SquadArticle, load_squad, write_corpus
from assistant.train import examples as example_store
from assistant.train.reader import ReaderRecipe
from assistant.train.split import Split, split_articles

Log = Callable[[str], None]


@dataclass
class TrainingRun:
    """Where the data is, where work and results go, and how the reader is trained."""

    squad: Path
    work: Path
    out: Path
    recipe: ReaderRecipe = field(default_factory=ReaderRecipe)
    reader: Path | None = None  # a reader trained already (e.g. on a GPU machine)
    log: Log = print

    def articles(self) -> tuple[list[SquadArticle], Split]:
        articles = load_squad(self.squad)
        return articles, split_articles([a.title for a in articles])


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
    settings = Settings(corpus_dir=corpus, index_dir=run.work / "index")
    Assistant(settings).ingest()
    started = time.monotonic()
    questions = example_store.squad_questions(fitted)
    staging = path.with_suffix(".partial")
    count = example_store.save(example_store.build(settings, questions, show_progress=True), staging)
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
    perturber = Perturber(load_embed_model().embed, run.recipe.seed)
    edited = contrast_pairs(examples, perturber, run.recipe.edits)
    save_pairs([*pairs, *edited], path)
    run.log(f"reader pairs: {len(pairs)} from retrieval, {len(edited)} edited questions")
    return path


def trained_reader(run: TrainingRun, pairs: Path) -> Path:
    """The int8 ONNX reader in the output folder: copied, or trained here."""
    target = run.out / "reader.onnx"
    if run.reader is not None:
        shutil.copyfile(run.reader, target)
        return target
    from assistant.index.embedding import model_files
    from assistant.train.reader import export, load_pairs, train

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
        perturber = Perturber(load_embed_model().embed, run.recipe.seed)
        pairs = pairs_for(kept, run.recipe.negatives)
        save_pairs([*pairs, *contrast_pairs(kept, perturber, run.recipe.edits)], path)
    return path
