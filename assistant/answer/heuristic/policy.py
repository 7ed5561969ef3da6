"""Every number that decides what the default answerer says, in one documented object.

Chosen on the gold set as a whole (evals/gold.jsonl; README, "How answers are made"),
never per question, and checked on RGB and on the SQuAD articles the learned core is
fitted on. An answerer is given a policy; nothing reads these numbers from anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HeuristicPolicy:
    # --- the score: the question's rare words, and its meaning --------------------------
    lexical_weight: float = 0.5
    semantic_weight: float = 0.5
    # A question word found only in the sentence before counts this much.
    context_credit: float = 0.5
    # Below this the best sentence is no answer: the assistant says the articles don't say.
    min_score: float = 0.4
    # Only the lexically best few are embedded: a sentence sharing none of the question's
    # words can hardly reach `min_score` on meaning alone. Each costs about a millisecond
    # and a half. Gold, RGB and 400 SQuAD questions answer alike with 12, 8, 6 or 4, and
    # gold loses a question at 3 (README, "Performance"): 6 keeps a margin.
    shortlist: int = 6

    # --- the answer ---------------------------------------------------------------------
    max_sentences: int = 3  # quoted sentences in one answer
    keep_ratio: float = 0.8  # a further sentence must score this close to the best one...
    keep_ratio_list: float = 0.7  # ...or this close when the question asks for several
    same_claim_similarity: float = 0.8  # two sentences this alike in meaning say the same
    # Two sentences sharing this much of their words, but naming other things, are rival
    # versions: both are shown, with a notice.
    contradiction_overlap: float = 0.5
    # Words between a short answer and a word of the question beside it; punctuation
    # between counts as two ("Merz, British Prime Minister …").
    short_answer_gap: int = 3
    related_passages: int = 3  # offered as reading when the assistant declines
