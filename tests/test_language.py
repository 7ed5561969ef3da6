"""The language layer every stage shares: sentences, words, and spaCy's names, numbers
and years."""

import subprocess
import sys

from assistant.language import lexicon
from assistant.language.nlp import (
    mentions,
    numbers,
    parse,
    parts_of_speech,
    proper_names,
    read_names,
    years,
)
from assistant.language.sentences import sentence_spans
from assistant.language.text import differ_in_names, figures, normalized
from assistant.language.words import content_stems, content_words, stem, stopwords


def test_sentences_are_not_cut_at_abbreviations() -> None:
    text = "Dr. Smith arrived in Geneva on Monday. He left at 5 p.m. on Tuesday."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Dr. Smith arrived in Geneva on Monday.",
        "He left at 5 p.m. on Tuesday.",
    ]


def test_the_sentence_tokenizer_loads_without_what_nltk_only_offers() -> None:
    """NLTK imports scikit-learn for classifiers we never use (two thirds of a second of
    every ingest); a fresh process splits sentences without it, and can import it after."""
    script = (
        "import sys\n"
        "from assistant.language.sentences import sentence_spans\n"
        "spans = sentence_spans('One sentence here. Another one there.')\n"
        "print(len(spans), 'sklearn' in sys.modules, end=' ')\n"
        "import sklearn\n"
        "print('sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "False", "True"]


def test_years_numbers_and_names_come_from_the_parse() -> None:
    doc = parse("Who won the 2021 Tour de France, ahead of 140 riders from Slovenia?")
    assert years(doc) == ["2021"]
    assert numbers(doc) == ["140"]
    assert set(proper_names(doc)) == {"Tour de France", "Slovenia"}


def test_reading_names_alone_finds_what_the_full_parse_finds() -> None:
    texts = [
        "Ursula von der Leyen met Keir Starmer in Brussels on March 3, 2025.",
        "Revenue rose 12 percent to $4.5 billion, the company said on Tuesday.",
        "Ursula von der Leyen met Keir Starmer in Brussels on March 3, 2025.",
    ]
    together = read_names(texts)
    assert not any(doc.has_annotation("POS") for doc in together)  # what makes it cheaper
    for text, doc in zip(texts, together, strict=True):
        full = parse(text)
        assert mentions(doc) == mentions(full)
        assert [t.pos_ for t in parts_of_speech(doc)] == [t.pos_ for t in full]
        assert mentions(doc) == mentions(full)
    assert together[0] is together[2]  # a text is read once
    assert read_names(texts[1:2])[0] is together[1]


def test_content_stems_leave_out_stopwords_and_fold_inflections() -> None:
    stems = content_stems("The leaders were meeting in the cities")
    assert not stems & stopwords()
    assert content_stems("leader meets city") == stems - {"were"}


def test_an_irregular_past_has_the_stem_of_its_verb() -> None:
    # "Who won?" is answered by a sentence saying "wins"; "led" by "lead investigator".
    assert stem("won") == stem("wins") == stem("winning")
    assert stem("led") == stem("leads")
    assert stem("fell") == stem("falls")
    assert stem("founded") != stem("found")  # "found" is the past of "find"


def test_wont_is_will_not_and_never_a_win() -> None:
    assert "won" in content_words("The Greens won 12 seats")
    assert "won" not in content_words("The party won't say") + content_words("It won’t")


def test_normalized_ignores_case_quotes_and_spacing() -> None:
    assert normalized("“Tough  as Hell”") == normalized('"tough as hell"')


def test_names_that_differ_are_told_apart() -> None:
    assert differ_in_names("Egan Bernal won in 2019.", "Tadej Pogacar won in 2019.")
    assert not differ_in_names("Egan Bernal won in 2019.", "In 2019, Egan Bernal won.")


def test_a_negation_is_told_from_not_only() -> None:
    from assistant.language.words import says_not

    assert says_not("The council did not approve the bridge.")
    assert says_not("The council didn't approve it, and cannot now.")
    assert not says_not("The delta is shaped not only by rivers but also by tides.")
    assert not says_not("It is not just a game.")


def test_figures_are_read_as_written() -> None:
    assert figures("from 13–29 August 2004") == ["13", "29", "2004"]
    assert figures("the 1960s, the 19th century, 1,000 miners, $5.11") == [
        "1960s",
        "19th",
        "1,000",
        "5.11",
    ]


def test_opposites_reach_an_adverb_through_its_adjective() -> None:
    assert lexicon.means_the_opposite("directly", "inversely")
    assert lexicon.means_the_opposite("less", "more")
    assert not lexicon.means_the_opposite("directly", "quickly")
    assert lexicon.means_the_same("truce", "ceasefire")  # WordNet writes "cease-fire"


def test_a_nouns_broad_kind_is_read_from_wordnets_files() -> None:
    from assistant.language.lexicon import kind_of_thing, names_a_person, names_money

    assert kind_of_thing("acre") == "noun.quantity"
    assert kind_of_thing("car") == kind_of_thing("vehicle") == "noun.artifact"
    assert kind_of_thing("resident") == "noun.person" and names_a_person("residents")
    assert names_money("salary") and not names_money("ferry")
    assert kind_of_thing("qzxv") is None


def test_opposites_are_read_from_wordnets_files_as_wordnet_gives_them() -> None:
    from assistant.language.lexicon import opposites, opposites_of

    assert "accept" in opposites_of("reject", "VERB")
    assert opposites_of("uncommon", "ADJ") == {"common"}
    assert "officially" in opposites_of("unofficially", "ADV")
    assert opposites_of("table", "NOUN") == frozenset()  # only verbs, adjectives, adverbs
    assert opposites_of("qzxv", "VERB") == frozenset()
    for word, pos in (("win", "VERB"), ("strong", "ADJ"), ("increase", "VERB")):
        assert opposites_of(word, pos) <= opposites(word)


def test_synonyms_and_adjective_bases_are_read_from_wordnets_files() -> None:
    from assistant.language.lexicon import adjective_bases, synonyms, synonyms_of

    assert "large" in synonyms_of("big", "ADJ")
    assert synonyms_of("big", "ADJ") <= synonyms("big")
    assert synonyms_of("qzxv", "ADJ") == {"qzxv"}
    assert adjective_bases("largest") == {"large"}  # WordNet's suffix rules
    assert adjective_bases("biggest") == {"big"}  # its exceptions file
    assert adjective_bases("best") == {"good"}
    assert adjective_bases("harvest") == frozenset()


def test_derived_broader_and_narrower_words_are_read_from_wordnets_files() -> None:
    from assistant.language.lexicon import derived_of, kinds_of, neighbours_of, verb_bases

    assert "owner" in derived_of("own", "VERB")
    assert "leader" in derived_of("lead", "VERB")
    assert "attribute" in neighbours_of("blame", "VERB")  # a step broader
    assert "triumph" in neighbours_of("win", "VERB")  # a step narrower
    assert "leader" in kinds_of("chairwoman")
    assert "leader" in kinds_of("presidents")
    assert "leader" not in kinds_of("observatory")
    assert verb_bases("found") == {"find"}
    assert derived_of("qzxv", "VERB") == neighbours_of("qzxv", "VERB") == kinds_of("qzxv") == set()


def test_a_plural_noun_is_read_as_wordnet_reads_it():
    from assistant.language import lexicon

    assert lexicon.noun_bases("prices") == {"price"}
    assert lexicon.noun_bases("women") == {"woman"}
    assert lexicon.noun_bases("cities") == {"city"}
    assert lexicon.noun_bases("sumit") == frozenset()  # misspelt: no noun WordNet has
    assert lexicon.has_sense("arrive", "VERB") and not lexicon.has_sense("arrive", "NOUN")
