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

import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from assistant.answer.prompt import says_yes, second_opinion_messages

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

# A question runs in a thread so that the answer's deadline holds even when the client's
# own timeout is longer than what is left of it.
_ASKING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="second-opinion")


class ModelOpinion:
    """Asks `llm` whether a passage states a claim, until `deadline` (time.monotonic())."""

    def __init__(self, llm: LLM, deadline: float) -> None:
        self.llm = llm
        self.deadline = deadline

    def __call__(self, passage: str, claim: str) -> bool:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return False
        asked = _ASKING.submit(self.llm.chat, second_opinion_messages(passage, claim))
        try:
            reply = asked.result(timeout=left)
        except Exception:  # a timeout, or any failure of any client: the checks stand
            return False
        return says_yes(reply.message.content or "")
