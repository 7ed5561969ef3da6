#!/usr/bin/env bash
# The answer-quality gate of `make test`, each suite against evals/baseline.json:
# - the verification suite (evals/verify.jsonl: claims a model might write, kept or
#   blocked; its RGB and SQuAD claims need the shared benchmarks);
# - gold, RGB and a SQuAD 2.0 sample with the extractive answerer (RGB and SQuAD when
#   the shared benchmarks are there: ../shared/benchmarks, never copied into the repo);
# - gold with a model, the scripted one of evals/scripted_model.py (a fake at the network
#   edge that replays the good, cited answers of evals/model_replies.jsonl), so a change to the generative path shows;
set -euo pipefail
cd "$(dirname "$0")/.."
results=evals/results
suites=(--suite gold)
for pair in rgb:rgb squad2:squad2-dev; do
    suite="${pair%%:*}" folder="../shared/benchmarks/${pair#*:}"
    if [ -d "$folder" ]; then
        suites+=(--suite "$suite")
    else
        echo "gate: $folder not found: the $suite suite is not gated in this run" >&2
    fi
done
if [ -d ../shared/benchmarks/rgb ] && [ -d ../shared/benchmarks/squad2-dev ]; then
    suites+=(--suite verify)
else
    echo "gate: the verify suite's RGB and SQuAD passages are missing: it is not gated" >&2
fi
# The SQuAD sample is the one the baseline records.
.venv/bin/assistant eval --check "${suites[@]}" --questions 80 \
    --junit "$results/junit.xml" --summary "$results/summary.md"

# - the questions over the news articles of evals/news/ (written for evaluation,
#   none of them in corpus/): how the answerer does on articles it was not built around.
.venv/bin/assistant --corpus-dir evals/news/articles --index-dir .index/news eval --check \
    --suite gold --data evals/news/questions.jsonl --baseline evals/news/baseline.json \
    --out "$results/news" --junit "$results/junit-news.xml" --summary "$results/summary-news.md"

# Starts the scripted model with the given options on a free port; sets $port.
scripted_model() {
    port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    .venv/bin/python evals/scripted_model.py "$@" --port "$port" &
    models+=("$!")
    .venv/bin/python - "$port" <<'WAIT'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/models", timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
WAIT
}
models=()
trap 'kill "${models[@]}" 2>/dev/null' EXIT

scripted_model --replies evals/model_replies.jsonl
.venv/bin/assistant --llm openai --llm-base-url "http://127.0.0.1:$port/v1" --llm-model scripted \
    eval --check --junit "$results/junit-model.xml" --summary "$results/summary-model.md"

# - the verify suite with a model's second opinion from one that vouches for anything: what
#   the checks still stop when a model's word is taken (answer/second_opinion.py).
if [ -d ../shared/benchmarks/rgb ] && [ -d ../shared/benchmarks/squad2-dev ]; then
    scripted_model --always-agree
    .venv/bin/assistant --llm openai --llm-base-url "http://127.0.0.1:$port/v1" \
        --llm-model scripted --second-opinion eval --check --suite verify \
        --junit "$results/junit-second-opinion.xml" --summary "$results/summary-second-opinion.md"
fi
