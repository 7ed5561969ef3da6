# The two commands of the README. Both set everything up first, and are quick when it is.
.PHONY: run test lint

run:
	@scripts/setup.sh
	.venv/bin/assistant chat   # brings the index up to date first

test:
	@scripts/setup.sh test
	.venv/bin/ruff check .
	.venv/bin/python -m pytest
	scripts/gate.sh

lint:
	@scripts/setup.sh test
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
