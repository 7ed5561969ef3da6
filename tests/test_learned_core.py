"""Parts of the learned answer core that need no trained model: the question's
constraints, the article split, and the policy a model card carries."""

import json
from pathlib import Path

import pytest

from assistant import Assistant, AssistantError, Settings
from assistant.answer.constraints import agreement
from assistant.answer.policy import AnswerPolicy
from assistant.answer.question import Wh, analyze
from assistant.train.split import split_articles


def test_a_question_is_read_for_what_it_asks_and_what_it_names() -> None:
    asked = analyze("Which cities were proposed for the 2025 summit?")
    assert asked.wh is Wh.WHICH
    assert asked.wants_list
    assert asked.years == ("2025",)
    assert asked.wants_short_answer


def test_a_sentence_about_another_year_is_no_answer() -> None:
    asked = analyze("Who won the 2021 Tour de France?")
    assert not agreement(asked, "Egan Bernal won the 2019 Tour de France.", "").holds
    assert agreement(asked, "Tadej Pogacar won the Tour de France.", "Results 2021").holds


def test_a_sentence_numbering_the_asked_thing_otherwise_is_no_answer() -> None:
    asked = analyze("When does season 4 of The Crown premiere?")
    assert not agreement(asked, "The Crown season 3 premieres November 17.", "").holds
    fourth = "The fourth season of The Crown premieres on November 15."
    assert agreement(asked, fourth, "The Crown: season 4 date").holds
    # Another number of something else is no conflict.
    assert agreement(asked, "Season 4 of The Crown has 10 episodes.", "").holds
    # Nor does the passage's mention of the asked one make the sentence about it.
    launched = analyze("When was Aurora-2 launched?")
    replaced = "It replaces Aurora-1, which has been in orbit since 2012."
    assert not agreement(launched, replaced, "Aurora-2 weighs 3.8 tonnes.").holds
    assert agreement(launched, "Aurora-2 replaced Aurora-1 on Tuesday.", "").holds


def test_a_sentence_that_misses_a_name_of_the_question_is_no_answer() -> None:
    asked = analyze("When did Angela Merkel visit Kyiv?")
    assert not agreement(asked, "Olaf Scholz visited Kyiv in June.", "").holds
    assert agreement(asked, "Merkel visited Kyiv in June.", "Angela Merkel in Ukraine").holds


def test_the_split_never_cuts_an_article_and_does_not_depend_on_order() -> None:
    titles = [f"Article_{n:02d}" for n in range(18)]
    split = split_articles(titles)
    assert split == split_articles(list(reversed(titles)))
    assert len(split.held_out) == 6
    assert not set(split.fitted) & set(split.held_out)
    assert set(split.fitted) | set(split.held_out) == set(titles)


def test_the_policy_takes_its_fitted_numbers_from_the_card(tmp_path: Path) -> None:
    card = tmp_path / "card.json"
    card.write_text(json.dumps({"policy": {"min_confidence": 0.31, "unknown": 1}}))
    policy = AnswerPolicy.from_card(card, max_sentences=2)
    assert (policy.min_confidence, policy.max_sentences) == (0.31, 2)


def test_the_learned_scorer_without_models_says_how_to_make_them(
    built_settings: Settings, tmp_path: Path
) -> None:
    settings = built_settings.model_copy(
        update={"scorer": "learned", "answer_model_dir": tmp_path / "none"}
    )
    with pytest.raises(AssistantError, match="assistant train"):
        Assistant(settings).ask("Which cities were proposed for the summit?")
