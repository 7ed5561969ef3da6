"""A model's second opinion on a claim the checks could not settle.

Verification (verify.py) keeps a claim only when a passage states it by its checks. Some
claims fail only because they use words the passage and WordNet do not explain, with
nothing found against them: a paraphrase the lexicon missed, or a fact added. The model
that wrote the answer can tell these apart better than word lists, so it is asked, for
those claims alone, whether the passage states the claim. Its "yes" can keep such a
claim; it can never keep one the checks found a name, number, opposite, negation, role
or date against. A model that does not answer in time, or fails, leaves the checks'
verdict standing.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from assistant.answer.prompt import says_yes, second_opinion_messages

if TYPE_CHECKING:
    from llama_index.core.llms import LLM


class ModelOpinion:
    """Asks `llm` whether a passage states a claim, until `deadline` (time.monotonic())."""

    def __init__(self, llm: LLM, deadline: float) -> None:
        self.llm = llm
        self.deadline = deadline

    def __call__(self, passage: str, claim: str) -> bool:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        replies: list[Any] = []
        messages = second_opinion_messages(passage, claim)

        def ask() -> None:
            with suppress(Exception):  # any failure of any client: the checks stand
                replies.append(self.llm.chat(messages))

        # Asked in a thread of its own, so that the answer's deadline holds even when the
        # client's timeout is longer than what is left of it; a daemon, so that a model
        # that never answers does not keep the command line from exiting either.
        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        asking.join(timeout=left)
        if not replies:  # late, or failed: the checks stand
            return False
        return says_yes(replies[0].message.content or "")
