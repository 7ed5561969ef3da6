"""Which articles the models are fitted on, and which are kept apart to report on.

SQuAD's articles, sorted by title: every third, from the third on, is held out; the rest
are fitted on. The split is a rule on the titles, not a list, so it holds for any copy
of the data, and an article is never cut between the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HELD_OUT_EVERY = 3


@dataclass(frozen=True)
class Split:
    fitted: tuple[str, ...]
    held_out: tuple[str, ...]


def split_articles(titles: Sequence[str]) -> Split:
    ordered = sorted(set(titles))
    held_out = tuple(ordered[HELD_OUT_EVERY - 1 :: HELD_OUT_EVERY])
    return Split(tuple(t for t in ordered if t not in held_out), held_out)
