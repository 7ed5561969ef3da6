"""Turn a follow-up question into one that stands alone, without a language model.

After "Who is NATO's Secretary-General?" (answered: Mark Rutte), "Did he visit Kyiv?"
becomes "Did Mark Rutte visit Kyiv?". Pronouns are resolved against the previous turn:
people against the names its answer gives, "they" against the organisation or group it
names (a party, a company, a team), "it" against what the previous question was about,
"there" against the place its answer gives. When nothing fits, the previous question is
added to the query so retrieval still sees the topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.language import nlp
from assistant.language.words import content_stems

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

Turn = tuple[str, str]  # (question, answer text)

_PERSONAL = re.compile(r"\b(he|she|him|her|his|hers)\b", re.IGNORECASE)
_NEUTER = re.compile(r"\b(it|its)\b", re.IGNORECASE)
_GROUP = re.compile(r"\b(they|them|their|theirs)\b", re.IGNORECASE)
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_THERE = re.compile(r"\bthere\b(?!\s+(is|are|was|were|be|been|will|have|has)\b)", re.IGNORECASE)
_OTHER_ANAPHORA = re.compile(
    r"\b(they|them|their|theirs|those|these|that one|this one|the same)\b"
    r"|^\s*(and|what about|how about|also)\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z]*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")
_QUESTION_OPENERS = frozenset(
    "Who What When Where Which Why How Is Are Was Were Did Does Do".split()
)
_NEAR_WORDS = 6
_TURNS_KEPT = 3
# A condensed question may add words only from the conversation: at most this share of
# its content words may be new, or the model has made something up and is not trusted.
_CONDENSED_NEW_WORDS = 0.2


def standalone_question(question: str, history: Sequence[Turn] | None) -> str:
    """The question with its references to earlier turns spelled out."""
    if not history:
        return question
    previous_question = ""
    previous_answer = ""
    for asked, answered in history[-_TURNS_KEPT:]:
        previous_question = _resolve(asked, previous_question, previous_answer)
        previous_answer = answered
    return _resolve(question, previous_question, previous_answer)


def condensed_question(llm: LLM, question: str, history: Sequence[Turn] | None) -> str:
    """With a language model: llama-index's condense-question step, kept only when the
    result draws on the conversation; otherwise the rule-based standalone question."""
    resolved = standalone_question(question, history)
    if not history:
        return question
    from llama_index.core.chat_engine.condense_question import DEFAULT_PROMPT

    turns = "\n".join(
        f"Human: {asked}\nAssistant: {answered}" for asked, answered in history[-_TURNS_KEPT:]
    )
    try:
        reply = llm.complete(DEFAULT_PROMPT.format(chat_history=turns, question=question)).text
    except Exception:  # the answer step reports an unreachable model; here, use the rules
        return resolved
    candidate = " ".join(reply.strip().splitlines()[0].split()) if reply.strip() else ""
    if not candidate or len(candidate) > 3 * len(resolved) + 50:
        return resolved
    stems = content_stems(candidate)
    if not stems - content_stems(question):
        return resolved  # the follow-up handed back: it draws nothing from the conversation
    new = stems - content_stems(question + " " + turns)
    if len(new) > _CONDENSED_NEW_WORDS * max(len(stems), 1):
        return resolved
    return candidate


def _resolve(question: str, previous_question: str, previous_answer: str) -> str:
    if not previous_question:
        return question
    resolved = question
    if _PERSONAL.search(resolved):
        person = _person_in(previous_question) or _nearest_asked(
            previous_question, previous_answer, find_people(previous_answer)
        )
        if person:
            resolved = _PERSONAL.sub(lambda m: _in_place_of(m.group(), person), resolved)
    if _GROUP.search(resolved):
        group = _they(previous_question, previous_answer)
        if group:
            resolved = _GROUP.sub(lambda m: _in_place_of(m.group(), group), resolved)
    if _NEUTER.search(resolved):
        topic = _topic_of(previous_question)
        if topic:
            resolved = _NEUTER.sub(
                lambda m: topic + ("'s" if m.group().lower() == "its" else ""), resolved
            )
    if _THERE.search(resolved):
        places = find_places(previous_answer) or find_places(previous_question)
        if places:
            resolved = _THERE.sub(f"in {places[0]}", resolved)
    if resolved == question and _references_earlier_turn(question):
        return f"{question} {previous_question}"
    return resolved


def _references_earlier_turn(question: str) -> bool:
    return (
        any(pattern.search(question) for pattern in (_PERSONAL, _NEUTER, _THERE, _OTHER_ANAPHORA))
        or len(question.split()) <= 3
    )


def find_people(text: str) -> list[str]:
    return _mentioned(text, nlp.Kind.PERSON)


def find_places(text: str) -> list[str]:
    return _mentioned(text, nlp.Kind.PLACE, nlp.Kind.FACILITY)


def find_groups(text: str) -> list[str]:
    """Organisations and groups: what "they" stands for when not for people."""
    return _mentioned(text, nlp.Kind.ORGANIZATION, nlp.Kind.GROUP)


def _mentioned(text: str, *kinds: nlp.Kind) -> list[str]:
    if not text:
        return []
    found = [m.text for m in nlp.mentions(nlp.parse(text)) if m.kind in kinds]
    return [_THE.sub("", name) for name in found]


def _person_in(text: str) -> str | None:
    people = find_people(text)
    return people[0] if people else None


def _they(previous_question: str, previous_answer: str) -> str | None:
    """Who "they" are: the people the answer names, when it names several ("Macron, Merz
    and Starmer"); else the organisation or group the question or, first, the answer
    names ("the Green Party won 24 seats, ending 30 years of Labour control"); else the
    one person named."""
    people = list(dict.fromkeys(find_people(previous_answer)))
    if len(people) > 1:
        return f"{', '.join(people[:-1])} and {people[-1]}"
    groups = find_groups(previous_question) or find_groups(previous_answer)
    if groups:
        return groups[0]
    return people[0] if people else None


def _nearest_asked(previous_question: str, previous_answer: str, names: list[str]) -> str | None:
    """The name in the answer that stands nearest the words the question asked about."""
    asked = content_stems(previous_question)
    best, best_overlap = None, -1
    for name in names:
        at = previous_answer.find(name)
        before = " ".join(previous_answer[:at].split()[-_NEAR_WORDS:])
        overlap = len(asked & content_stems(before))
        if overlap > best_overlap:
            best, best_overlap = name, overlap
    return best


def _in_place_of(pronoun: str, name: str) -> str:
    """What stands for the pronoun: the name, or its possessive for "his" or "their"."""
    return f"{name}'s" if pronoun.lower() in {"his", "hers", "their", "theirs"} else name


def _topic_of(question: str) -> str | None:
    for match in _TOPIC.finditer(question):
        words = [word for word in match.group().split() if word not in _QUESTION_OPENERS]
        if words:
            return " ".join(words)
    return None
