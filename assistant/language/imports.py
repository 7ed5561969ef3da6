"""Keeping a library from importing what it only offers and we never use."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without(*modules: str) -> Iterator[None]:
    """Inside the block, `import <module>` fails as if it were not installed, so a library
    that imports it only to offer it (thinc's PyTorch backend, NLTK's scikit-learn
    classifiers) skips it. A module already imported is left alone; after the block,
    each can be imported as usual. The block holds for the whole process, so it wraps
    one import done once (a model's first load), never a loop."""
    blocked = [name for name in modules if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # makes the import fail
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
