"""What a user with a good model sees: its answer, verified sentence by sentence, streamed to
the page and the command line. Each test knows the reply the model gives.

The model is the scripted one of evals/scripted_model.py: a FAKE at the network edge, an
OpenAI-compatible server on 127.0.0.1 that replays the replies written below, because no
model that writes good answers runs on our machines. Everything between it and the user
is real: llama-index's client, retrieval, verification, the page and the CLI.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from assistant import Answer, Assistant, Settings
from assistant.answer.types import Draft
from evals.scripted_model import Row, Script, ScriptedServer, Sentence
from tests.helpers import assert_every_claim_is_in_its_passages

CITIES = "Which cities were proposed for the summit?"
CEASEFIRE = "What have European leaders proposed?"
POPULATION = "What is the population of Budapest?"
KREMLIN = "Has the Kremlin responded to the prospect of a meeting?"
UNKNOWN = "Who is the mayor of Geneva?"
NATO_CHIEF = "Who is NATO's Secretary-General?"
TRAVELLED = "Which NATO chief travelled to the Ukrainian capital?"
OFF_TOPIC = "Who is the mayor of Budapest?"

SUMMIT_HOSTS = "Budapest and Geneva are being considered as hosts for the summit."
ORBAN = "Both presidents have ties with Hungarian Prime Minister Viktor Orbán."
PROPOSED = "European leaders have proposed a ceasefire monitored by a coalition of willing nations."
FLIPPED = "Russia has accepted calls for a ceasefire."
INVENTED = "Budapest has a population of about 1.7 million people."
# "idea" for the article's "prospect": no word list links them, yet nothing says otherwise.
MEETING = "What has the Kremlin said about a meeting?"
IDEA = "The Kremlin has not responded publicly yet to the idea of a meeting."
SUMMIT_END = "How did the Alaska summit end?"
# Two words the passage lacks: a fact added, not a paraphrase missed.
PRISONERS = "The Alaska summit ended with an agreement on prisoner exchanges."

SCRIPT = Script(
    [
        Row(
            CITIES,
            (
                Sentence(SUMMIT_HOSTS, ("Budapest and Geneva are currently being considered",)),
                Sentence(ORBAN, ("established relationships with Hungarian Prime Minister",)),
            ),
        ),
        Row(
            CEASEFIRE,
            (
                Sentence(PROPOSED, ("proposed a ceasefire monitored",)),
                Sentence(FLIPPED, ("rejected ceasefire calls",)),
            ),
        ),
        Row(POPULATION, (Sentence(INVENTED, ("Budapest",)),)),
        Row(
            KREMLIN,
            (Sentence("No, the Kremlin has not yet responded publicly.", ("Kremlin has yet",)),),
        ),
        Row(NATO_CHIEF, (Sentence("NATO's Secretary-General is Mark Rutte.", ("Mark Rutte",)),)),
        Row(
            "Did he visit Kyiv?",
            after=NATO_CHIEF,
            standalone="Did Mark Rutte visit Kyiv?",
        ),
        Row(
            "Did Mark Rutte visit Kyiv?",
            (Sentence("Yes, Mark Rutte visited Kyiv.", ("During a visit to Kyiv",)),),
        ),
        Row(
            TRAVELLED,
            (
                Sentence(
                    "NATO Secretary-General Mark Rutte visited Kyiv.", ("During a visit to Kyiv",)
                ),
            ),
        ),
        # True and cited, but about something else than what was asked.
        Row(OFF_TOPIC, (Sentence(SUMMIT_HOSTS, ("Budapest and Geneva are currently being",)),)),
        Row(MEETING, (Sentence(IDEA, ("Kremlin has yet",)),)),
        Row(SUMMIT_END, (Sentence(PRISONERS, ("took place in Alaska",)),)),
    ]
)


@pytest.fixture(scope="module")
def model() -> Iterator[ScriptedServer]:
    server = ScriptedServer(SCRIPT)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def model_settings(built_settings: Settings, model: ScriptedServer) -> Settings:
    return built_settings.model_copy(
        update={"llm": "openai", "llm_base_url": model.url, "llm_model": "scripted"}
    )


def test_a_faithful_answer_is_shown_as_the_model_wrote_it(model_settings: Settings):
    answer = Assistant(model_settings).ask(CITIES)
    assert answer.answered_by == "openai:scripted" and not answer.notices
    assert answer.verification == {
        "sentences": 2,
        "kept": 2,
        "removed": 0,
        "names_missing": 0,
        "markers_removed": 0,
        "markers_added": 0,
        "kept_on_second_opinion": 0,
    }
    assert answer.text.startswith(SUMMIT_HOSTS + " [1]") and ORBAN in answer.text
    assert_every_claim_is_in_its_passages(answer)


def test_the_answer_streams_as_drafts_then_arrives_verified(model_settings: Settings):
    events = list(Assistant(model_settings).stream(CITIES))
    drafts, answer = events[:-1], events[-1]
    assert len(drafts) > 10 and all(isinstance(d, Draft) for d in drafts)  # word by word
    assert drafts[0].text == "" and drafts[0].pending  # the first words, not yet checked
    assert not any("[" in d.pending for d in drafts)  # a sentence in progress has no markers
    assert any(d.text.startswith(SUMMIT_HOSTS + " [1]") for d in drafts)  # checked once done
    assert isinstance(answer, Answer) and answer.answered_by == "openai:scripted"


def test_a_contradiction_is_left_out_and_the_faithful_sentence_kept(model_settings: Settings):
    answer = Assistant(model_settings).ask(CEASEFIRE)
    assert answer.answered_by == "openai:scripted"
    assert answer.text == f"{PROPOSED} [1]"
    assert answer.unsupported == [FLIPPED]
    assert answer.notices == [
        "Left out 1 sentence(s) of the model's answer that the articles don't support."
    ]


def test_an_answer_with_nothing_that_holds_is_replaced_by_a_quote(model_settings: Settings):
    answer = Assistant(model_settings).ask(POPULATION)
    assert answer.answered_by == "extractive" and "1.7 million" not in answer.text
    assert answer.notices == [
        "1 of the model's 1 sentences are not supported by the articles. "
        "This answer is quoted from the articles instead."
    ]


def test_a_yes_no_answer_in_other_words_is_kept(model_settings: Settings):
    answer = Assistant(model_settings).ask(KREMLIN)
    assert answer.answered_by == "openai:scripted"
    assert answer.text == "No, the Kremlin has not yet responded publicly. [1]"


def test_an_answer_in_other_words_than_the_question_is_shown(model_settings: Settings):
    # "chief" for "Secretary-General", "travelled" for "visited": WordNet's near words
    answer = Assistant(model_settings).ask(TRAVELLED)
    assert answer.answered_by == "openai:scripted"
    assert answer.text == "NATO Secretary-General Mark Rutte visited Kyiv. [1]"


def test_a_true_sentence_that_answers_another_question_is_replaced(model_settings: Settings):
    answer = Assistant(model_settings).ask(OFF_TOPIC)
    assert answer.answered_by == "extractive"
    assert SUMMIT_HOSTS not in answer.text
    assert any("does not answer the question" in notice for notice in answer.notices)


def test_a_model_that_finds_no_answer_abstains(model_settings: Settings):
    answer = Assistant(model_settings).ask(UNKNOWN)
    assert answer.abstained and answer.answered_by == "openai:scripted"
    assert not answer.citations and answer.related


def test_the_model_makes_a_follow_up_stand_alone(model_settings: Settings):
    assistant = Assistant(model_settings)
    first = assistant.ask(NATO_CHIEF)
    follow_up = assistant.ask("Did he visit Kyiv?", history=[(first.question, first.text)])
    assert follow_up.interpreted_as == "Did Mark Rutte visit Kyiv?"
    assert follow_up.text == "Yes, Mark Rutte visited Kyiv. [1]"


def test_the_command_line_prints_what_holds_and_what_was_left_out(
    model_settings: Settings, model: ScriptedServer
):
    printed = subprocess.run(
        [
            sys.executable, "-m", "assistant.cli",
            "--index-dir", str(model_settings.index_dir),
            "--corpus-dir", str(model_settings.corpus_dir),
            "--llm", "openai", "--llm-base-url", model.url, "--llm-model", "scripted",
            "ask", CEASEFIRE,
        ],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    answer, _, sources = printed.stdout.partition("\nSources")
    assert answer.strip() == f"{PROPOSED} [1]"
    assert f"left out: {FLIPPED}" in printed.stderr
    assert "european-leaders-join-zelenskyy-white-house.txt" in sources


def test_the_page_streams_the_answer_then_shows_it_verified(model_settings: Settings):
    from gradio_client import Client

    from assistant.ui.app import serve
    from tests.helpers import free_port

    settings = model_settings.model_copy(update={"port": free_port()})
    app = serve(Assistant(settings), block=False)
    try:
        job = Client(f"http://127.0.0.1:{settings.port}/", verbose=False).submit(
            CEASEFIRE, api_name="/chat"
        )
        final = job.result(timeout=300)
        updates = list(job.outputs())
    finally:
        app.close()
    assert any("class='pending'" in update for update in updates[:-1])  # written, dimmed
    assert "pending" not in final and "willing nations" in final
    assert "<details class='sources'>" in final  # the answer's own sources
    assert "Not in the articles: 1 sentence(s)" in final and f"<s>{FLIPPED}</s>" in final


@pytest.fixture
def second_opinions(model_settings: Settings) -> Iterator[Callable[[Script], Settings]]:
    """Settings that ask a scripted model, with the given verdicts, for second opinions."""
    servers: list[ScriptedServer] = []

    def asking(script: Script) -> Settings:
        servers.append(ScriptedServer(script))
        return model_settings.model_copy(
            update={"llm_base_url": servers[-1].url, "llm_second_opinion": True}
        )

    yield asking
    for server in servers:
        server.stop()


def test_a_sentence_the_checks_cannot_settle_is_kept_on_the_models_word(second_opinions):
    answer = Assistant(second_opinions(Script(SCRIPT.rows, verdicts={IDEA: True}))).ask(MEETING)
    assert answer.answered_by == "openai:scripted"
    assert answer.text == f"{IDEA} [1]"
    assert answer.verification["kept_on_second_opinion"] == 1
    assert answer.notices == [
        "1 sentence(s) kept on the model's word: nothing in the articles says otherwise, "
        "but not every word could be matched."
    ]
    assert_every_claim_is_in_its_passages(answer)
    [quote] = answer.citations[0].quotes  # the sentence it stands on, as for any other
    assert quote.startswith("However, the Kremlin has yet to publicly respond")


def test_a_sentence_the_model_does_not_vouch_for_is_left_out(second_opinions):
    answer = Assistant(second_opinions(Script(SCRIPT.rows, verdicts={IDEA: False}))).ask(MEETING)
    assert answer.answered_by == "extractive" and IDEA not in answer.text


def test_the_model_is_asked_for_a_second_opinion_only_when_told_to(second_opinions):
    agreeing = second_opinions(Script(SCRIPT.rows, agree=True))
    answer = Assistant(agreeing.model_copy(update={"llm_second_opinion": False})).ask(MEETING)
    assert answer.answered_by == "extractive" and IDEA not in answer.text


def test_a_sentence_adding_several_words_is_never_put_to_the_model(second_opinions):
    answer = Assistant(second_opinions(Script(SCRIPT.rows, agree=True))).ask(SUMMIT_END)
    assert "prisoner" not in answer.text
    assert answer.verification["kept_on_second_opinion"] == 0


def test_the_models_word_never_keeps_what_the_passage_contradicts(second_opinions):
    answer = Assistant(second_opinions(Script(SCRIPT.rows, agree=True))).ask(CEASEFIRE)
    assert answer.text == f"{PROPOSED} [1]"
    assert answer.unsupported == [FLIPPED]


def test_a_second_opinion_is_not_waited_for_past_the_answers_deadline(second_opinions):
    from assistant.answer.llm import build_llm
    from assistant.answer.second_opinion import ModelOpinion

    llm = build_llm(second_opinions(Script(SCRIPT.rows, agree=True)))
    assert ModelOpinion(llm, deadline=time.monotonic() + 60)("A passage.", IDEA)
    assert not ModelOpinion(llm, deadline=time.monotonic() - 1)("A passage.", IDEA)
