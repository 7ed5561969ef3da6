#!/usr/bin/env bash
# The answer-quality gate of `make test`: gold always; RGB and a SQuAD 2.0 sample when the
# shared benchmarks are there (../shared/benchmarks, never copied into the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
suites=(--suite gold)
for pair in rgb:rgb squad2:squad2-dev; do
    suite="${pair%%:*}" folder="../shared/benchmarks/${pair#*:}"
    if [ -d "$folder" ]; then
        suites+=(--suite "$suite")
    else
        echo "gate: $folder not found: the $suite suite is not gated in this run" >&2
    fi
done
# The SQuAD sample is the one the baseline records (evals/baseline.json).
exec .venv/bin/assistant eval --check "${suites[@]}" --questions 80 \
    --junit evals/results/junit.xml --summary evals/results/summary.md
