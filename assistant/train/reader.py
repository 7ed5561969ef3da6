"""Fine-tune the reader (answer/reader.py) from the packaged MiniLM weights.

One model, two heads: `relevance` (does this sentence answer the question?) on the mean
of the token states, and `span` (start and end logits) over the sentence's tokens.
Each question contributes its answer sentences and the candidates the answerer would
read first but that do not answer it: the hardest negatives there are. Trained on the
CPU by default (about 2 s a batch of 32 on two cores), on a GPU when there is one;
the result is exported to ONNX and quantized to int8, as answering runs it.

Also runnable on its own, for a machine without the rest of the project:
`python -m assistant.train.reader PAIRS.jsonl WEIGHTS_DIR OUT_DIR`.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answer.reader import Encoded, ReaderInput, context_of, encode


@dataclass(frozen=True)
class ReaderRecipe:
    """How the reader is trained; recorded in the model card."""

    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 5e-5
    warmup: float = 0.1  # share of the steps over which the learning rate rises
    negatives: int = 10  # per question: the candidates read first that don't answer it
    edits: int = 2  # per answerable question: edited copies that its sentence doesn't answer
    context_tokens: int = 24  # of the title and previous sentence, read after the sentence
    span_weight: float = 0.5  # the span loss against the relevance loss
    seed: int = 20261124


@dataclass(frozen=True)
class Pair:
    question: str
    sentence: str
    context: str
    label: bool
    span: tuple[int, int] | None  # the answer's characters in `sentence`

    def as_input(self) -> ReaderInput:
        return ReaderInput(self.question, self.sentence, self.context)


def pairs_for(examples: Iterable[Any], negatives: int) -> list[Pair]:
    """Answer sentences and hard negatives of each example (train/examples.py)."""
    from assistant.answer.features import CHEAP, shortlist_order

    pairs = []
    for example in examples:
        labelled = list(example.candidates)
        positives = [c for c in labelled if c.label]
        if not positives and example.gold is not None:
            positives = [example.gold]
        order = shortlist_order(np.asarray(example.cheap, dtype=np.float32).reshape(-1, len(CHEAP)))
        hard = [labelled[i] for i in order if not labelled[i].label][:negatives]
        for item in positives + hard:
            candidate = item.candidate
            pairs.append(
                Pair(
                    question=example.question,
                    sentence=candidate.sentence,
                    context=context_of(candidate.title, candidate.context),
                    label=item.label,
                    span=tuple(item.span) if item.span else None,
                )
            )
    return pairs


def contrast_pairs(examples: Iterable[Any], perturber: Any, per_question: int) -> list[Pair]:
    """Each answerable question edited so its own answer sentence no longer answers it
    (train/perturb.py), paired with that sentence as a negative: the reader learns that
    one changed name, number, word or negation is the difference between an answer and a
    lookalike."""
    pairs = []
    for example in examples:
        if not example.answers:
            continue
        positives = [c for c in example.candidates if c.label]
        if not positives and example.gold is not None:
            positives = [example.gold]
        if not positives:
            continue
        candidate = positives[0].candidate
        edits = perturber.edits(example.question, candidate.sentence, " ".join(example.sources))
        perturber.rng.shuffle(edits)
        context = context_of(candidate.title, candidate.context)
        pairs += [
            Pair(e.text, candidate.sentence, context, False, None) for e in edits[:per_question]
        ]
    return pairs


def save_pairs(pairs: Iterable[Pair], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(p)) + "\n" for p in pairs), encoding="utf-8")


def load_pairs(path: Path) -> list[Pair]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [Pair(**{**row, "span": tuple(row["span"]) if row["span"] else None}) for row in rows]


# --- the model ---------------------------------------------------------------------------


def _model_class():  # type: ignore[no-untyped-def]
    import torch

    class ReaderModel(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder
            hidden = encoder.config.hidden_size
            self.relevance = torch.nn.Linear(hidden, 1)
            self.span = torch.nn.Linear(hidden, 2)

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            relevance = self.relevance(pooled).squeeze(-1)
            start, end = self.span(states).unbind(-1)
            return relevance, start, end

    return ReaderModel


def span_targets(encoded: Encoded, pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Token positions of each answer's first and last token (-1: no answer in the pair)."""
    starts = np.full(len(pairs), -1, dtype=np.int64)
    ends = np.full(len(pairs), -1, dtype=np.int64)
    for row, pair in enumerate(pairs):
        if not pair.label or pair.span is None:
            continue
        first_token, _ = encoded.sentence_tokens[row]
        covering = [
            i
            for i, (a, b) in enumerate(encoded.offsets[row])
            if a < pair.span[1] and b > pair.span[0]
        ]
        if covering:
            starts[row] = first_token + covering[0]
            ends[row] = first_token + covering[-1]
    return starts, ends


def train(
    pairs: Sequence[Pair],
    recipe: ReaderRecipe,
    weights: Path,
    log: Callable[[str], None] = print,
) -> Any:
    """The fine-tuned model (torch), trained on the CPU or, if there is one, a GPU."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    random.seed(recipe.seed)
    np.random.seed(recipe.seed)
    torch.manual_seed(recipe.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        torch.set_num_threads(os.cpu_count() or 1)
    tokenizer = Tokenizer.from_file(str(weights / "tokenizer.json"))
    encoder = AutoModel.from_pretrained(str(weights)).float()  # weights may come as fp16
    model = _model_class()(encoder).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=recipe.learning_rate, weight_decay=0.01)
    steps = recipe.epochs * math.ceil(len(pairs) / recipe.batch_size)
    warmup = max(1, int(recipe.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / max(1, steps - warmup))),
    )
    rng = random.Random(recipe.seed)
    order = list(range(len(pairs)))
    started, step = time.monotonic(), 0
    model.train()
    for epoch in range(recipe.epochs):
        rng.shuffle(order)
        for first in range(0, len(order), recipe.batch_size):
            batch = [pairs[i] for i in order[first : first + recipe.batch_size]]
            loss = _loss(model, tokenizer, batch, recipe, device)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 100 == 0 or step == steps:
                elapsed = time.monotonic() - started
                where = f"epoch {epoch + 1}, step {step}/{steps}"
                log(f"reader: {where}, loss {loss.item():.3f}, {elapsed:.0f} s")
    return model.eval().to("cpu")


def _loss(
    model: Any, tokenizer: Any, batch: Sequence[Pair], recipe: ReaderRecipe, device: str
) -> Any:
    import torch
    import torch.nn.functional as F

    encoded = encode(tokenizer, [p.as_input() for p in batch], recipe.context_tokens)
    tensors = [torch.from_numpy(a).to(device) for a in (encoded.ids, encoded.mask, encoded.types)]
    relevance, start, end = model(*tensors)
    labels = torch.tensor([float(p.label) for p in batch], device=device)
    loss = F.binary_cross_entropy_with_logits(relevance, labels)
    starts, ends = span_targets(encoded, batch)
    answered = torch.from_numpy(starts >= 0).to(device)
    if answered.any():
        # The span is looked for inside the sentence only, as when answering.
        bounds = torch.tensor(encoded.sentence_tokens, device=device)
        positions = torch.arange(start.shape[1], device=device)
        inside = (positions >= bounds[:, :1]) & (positions < bounds[:, 1:])
        start = start.masked_fill(~inside, -1e4)[answered]
        end = end.masked_fill(~inside, -1e4)[answered]
        span_loss = F.cross_entropy(start, torch.from_numpy(starts).to(device)[answered])
        span_loss = span_loss + F.cross_entropy(end, torch.from_numpy(ends).to(device)[answered])
        loss = loss + recipe.span_weight * span_loss / 2
    return loss


def export(model: Any, target: Path) -> Path:
    """The model as int8 ONNX at `target` (its fp32 export is a step on the way)."""
    import tempfile
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = tuple(torch.ones(2, 16, dtype=torch.long) for _ in names)
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes |= {
        "relevance": {0: "batch"},
        "start": {0: "batch", 1: "tokens"},
        "end": {0: "batch", 1: "tokens"},
    }
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "reader-fp32.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                example,
                str(full),
                input_names=names,
                output_names=["relevance", "start", "end"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        quantize_dynamic(str(full), str(target), weight_type=QuantType.QInt8)
    return target


if __name__ == "__main__":
    import sys

    _pairs, _weights, _out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    _recipe = ReaderRecipe(**json.loads(sys.argv[4]) if len(sys.argv) > 4 else {})
    _model = train(load_pairs(_pairs), _recipe, _weights)
    export(_model, _out / "reader.onnx")
    print(f"reader written to {_out / 'reader.onnx'}")
