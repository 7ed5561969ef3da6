"""Answers written by a language model, every sentence checked before it is shown.

The model sees the retrieved passages, numbered and fenced off as data, and streams a
reply. Each sentence is verified as soon as it is complete (verify.py): a supported
sentence is shown with the markers of the passages that support it, an unsupported one
is left out and listed apart. When the model cannot be reached or fails, when nothing it
wrote holds up, or when what holds up does not answer the question (by the bar the
extractive answerer sets its own sentences), the extractive answer is given instead, with
a note saying why.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.answer.claims import Claim, parse_claims, without_markers
from assistant.answer.llm import build_llm, describe_failure
from assistant.answer.prompt import answer_messages, is_refusal
from assistant.answer.second_opinion import ModelOpinion
from assistant.answer.types import Answer, Citation, Draft
from assistant.answer.verify import Check, Verifier
from assistant.config import Settings
from assistant.language import lexicon
from assistant.language.text import normalized
from assistant.retrieve.followup import Turn, condensed_question, standalone_question

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from assistant.answer.types import QuotingAnswerer
    from assistant.index.embedding import MiniLMEmbedding
    from assistant.retrieve.hybrid import Passage, Retrieval

# A reply longer than this has ignored the prompt: stop reading it.
MAX_REPLY_CHARS = 4000


class GenerativeAnswerer:
    def __init__(
        self,
        settings: Settings,
        fallback: QuotingAnswerer,
        embed_model: MiniLMEmbedding,
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.embed_model = embed_model
        self.name = f"{settings.llm}:{settings.llm_model or 'default'}"
        self._llm: LLM | None = None

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = build_llm(self.settings)
        return self._llm

    def warm_up(self) -> None:
        """Verification reads every sentence with spaCy and WordNet (seconds to load);
        the model itself is reached on the first question, which reports its failures."""
        self.fallback.warm_up()
        lexicon.load()

    def condense(self, question: str, history: Sequence[Turn] | None) -> str:
        """A follow-up made standalone by the model, or by the rules if it can't."""
        if not history:
            return question
        try:
            llm = self.llm
        except Exception:  # the answer will say what is wrong with the model
            return standalone_question(question, history)
        return condensed_question(llm, question, history)

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[Draft | Answer]:
        """Drafts while the model writes, then the verified Answer."""
        passages = retrieval.passages
        if not passages:
            yield self.fallback.run(question, retrieval)
            return
        deadline = time.monotonic() + self.settings.llm_timeout
        verifier = Verifier(
            self.embed_model, passages, second_opinion=self._second_opinion(deadline)
        )
        checked: dict[str, Check] = {}
        reply = ""
        try:
            for chunk in self.llm.stream_chat(answer_messages(question, passages)):
                reply += chunk.delta or ""
                if time.monotonic() > deadline:
                    raise TimeoutError("timed out")
                if len(reply) > MAX_REPLY_CHARS:
                    break
                yield self._draft(reply, verifier, checked)
        except Exception as error:  # any failure of any client: one message, then fall back
            yield self._fall_back(question, retrieval, describe_failure(error, self.settings))
            return
        yield self._final(question, reply, retrieval, verifier, checked)

    def _second_opinion(self, deadline: float) -> ModelOpinion | None:
        """The model's word on claims the checks cannot settle (second_opinion.py)."""
        if not self.settings.llm_second_opinion:
            return None
        try:
            return ModelOpinion(self.llm, deadline)
        except Exception:  # the answer will say what is wrong with the model
            return None

    def _draft(self, reply: str, verifier: Verifier, checked: dict[str, Check]) -> Draft:
        """Sentences are checked once complete, i.e. once the next one has begun."""
        claims = parse_claims(reply)
        if not claims:
            return Draft(text="", pending=without_markers(reply))
        complete = [_check(verifier, claim, checked) for claim in claims[:-1]]
        text, _ = _compose(complete, verifier.passages)
        return Draft(text=text, pending=without_markers(claims[-1].text))

    def _final(
        self,
        question: str,
        reply: str,
        retrieval: Retrieval,
        verifier: Verifier,
        checked: dict[str, Check],
    ) -> Answer:
        if is_refusal(reply):
            answer = self.fallback.abstain(question, retrieval.passages)
            answer.answered_by = self.name
            answer.verification = _counts([])
            return answer
        claims, seen = [], set()
        for claim in parse_claims(reply):  # a sentence the model repeats counts once
            key = normalized(claim.text)
            if key not in seen:
                seen.add(key)
                claims.append(claim)
        checks = [_check(verifier, claim, checked) for claim in claims]
        kept = [check for check in checks if check.supported]
        counts = _counts(checks)
        if not checks:
            return self._fall_back(question, retrieval, "The model's reply held no answer.")
        if not kept:
            answer = self._fall_back(
                question,
                retrieval,
                f"{counts['removed']} of the model's {counts['sentences']} sentences are not "
                "supported by the articles.",
            )
            answer.verification = counts  # what was left out is not worth listing here
            return answer
        # Judged in the model's words and in the passage's: a paraphrase that answers
        # ("Budapest and Geneva are being considered as hosts") may share few words with
        # the question, while the sentence it stands on shares them.
        stated = [(c.claim.text, c.passages[0]) for c in kept] + [
            (retrieval.passages[i].text[start:end], i)
            for c in kept
            for i, (start, end) in c.spans.items()
            if end > start
        ]
        if not self.fallback.answers(question, retrieval, stated):
            answer = self._fall_back(
                question, retrieval, "What the model wrote does not answer the question."
            )
            answer.verification = counts
            return answer
        text, citations = _compose(kept, retrieval.passages)
        answer = Answer(
            question=question,
            text=text,
            citations=citations,
            abstained=False,
            passages=[Citation.of(n, p) for n, p in enumerate(retrieval.passages, start=1)],
            answered_by=self.name,
            unsupported=[c.claim.text for c in checks if not c.supported],
            verification=counts,
        )
        if answer.unsupported:
            answer.notices.append(
                f"Left out {len(answer.unsupported)} sentence(s) of the model's answer that "
                "the articles don't support."
            )
        if counts["kept_on_second_opinion"]:
            answer.notices.append(
                f"{counts['kept_on_second_opinion']} sentence(s) kept on the model's word: "
                "nothing in the articles says otherwise, but not every word could be matched."
            )
        return answer

    def _fall_back(self, question: str, retrieval: Retrieval, reason: str) -> Answer:
        answer = self.fallback.run(question, retrieval)
        answer.notices.append(f"{reason} This answer is quoted from the articles instead.")
        return answer


def _check(verifier: Verifier, claim: Claim, checked: dict[str, Check]) -> Check:
    key = f"{claim.text}\x00{claim.cited}"
    if key not in checked:
        checked[key] = verifier.check(claim)
    return checked[key]


def _compose(checks: list[Check], passages: list[Passage]) -> tuple[str, list[Citation]]:
    """Supported sentences with markers renumbered in order of first use, as the
    extractive answer numbers them, and the citations those markers open."""
    numbers: dict[int, int] = {}
    spans: dict[int, set[tuple[int, int]]] = {}
    parts = []
    for check in checks:
        if not check.supported:
            continue
        markers = ""
        for index in check.passages:
            markers += f"[{numbers.setdefault(index, len(numbers) + 1)}]"
            spans.setdefault(index, set()).add(check.spans[index])
        parts.append(f"{check.claim.text} {markers}")
    citations = [
        Citation.of(number, passages[index], tuple(sorted(spans[index])))
        for index, number in numbers.items()
    ]
    return " ".join(parts), citations


def _counts(checks: list[Check]) -> dict[str, int]:
    return {
        "sentences": len(checks),
        "kept": sum(c.supported for c in checks),
        "removed": sum(not c.supported for c in checks),
        "names_missing": sum(c.names_missing for c in checks),
        "markers_removed": sum(c.markers_removed for c in checks),
        "markers_added": sum(c.marker_added for c in checks),
        "kept_on_second_opinion": sum(c.second_opinion for c in checks),
    }
