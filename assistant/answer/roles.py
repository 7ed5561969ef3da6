"""Who does what to whom: the names that fill the places around a predicate (who acts,
what is acted on, where from and where to), so that a claim swapping them is told from
one that keeps them ("Putin praised Trump" is not "Trump praised Putin"); and the
qualities that tell a common noun's things apart ("deeper rock" and "shallower rock"),
which a claim can swap the same way; the date each event is given, and each name of a
list its own dates; a comparison's two sides; and the place of a thing told apart by its
name.
"""

from __future__ import annotations

from collections.abc import Set

from assistant.answer.clauses import (
    OBJECTS,
    PASSIVE_SUBJECTS,
    SUBJECTS,
    VERBS,
    aligned,
    is_name,
    is_word,
    word_key,
)
from assistant.language.text import figures, years_in
from assistant.language.words import stem

# Prepositions whose objects swap the sense when swapped ("from Tampa to Los Angeles");
# where and when ("in", "on") are left to the names check, lists of places and dates
# hanging from one predicate in too many ways to compare place by place, but for a list's
# dates and a named thing's place (below).
_DIRECTIONS = frozenset({"from", "to", "into", "between", "against"})
# And whom something is done with ("sided with the French" is not "with the British"),
# a place of its own, though no end of a movement ("closer to" is "aligned with").
_PARTNERED = _DIRECTIONS | {"with"}
# Entity kinds that are no one and nowhere: what a list pairs with its names.
_MEASURES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_WHERE = frozenset({"in", "at"})  # where a thing is
_MODIFYING = frozenset({"compound", "nmod", "amod"})  # what tells a noun's thing apart
_POINTING = frozenset({"this", "that", "these", "those"})  # "this concept": one named before
# What joins the words of one phrase, not a clause of its own.
_PHRASE_LINKS = frozenset({"prep", "pobj", "conj", "appos", "compound", "amod"})


def _role_of(dep: str, passive: bool) -> str:
    if dep in SUBJECTS:
        return "agent"
    if dep in PASSIVE_SUBJECTS or (dep in OBJECTS and not passive):
        return "patient"
    return ""


def roles(verb, named: Set[str] = frozenset()) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """The names and numbers in each place around a predicate: its agent, what it acts
    on, and the object of each preposition ("from", "to", "on", ...), the passive undone.
    A capitalised word in `named` counts as a name where the parser missed it ("Trump"
    read as a common noun)."""
    passive = any(c.dep_ in PASSIVE_SUBJECTS for c in verb.children)
    found: dict[str, set[str]] = {}
    for place, filler in _places(verb).items():
        if filler.pos_ == "PRON" and verb.dep_ == "relcl":  # "Ivona, which bought ..."
            # Of "Islamists and Islamist groups that later came to be seen", each.
            nouns = (verb.head, *verb.head.conjuncts)
            found[place] = set().union(*(_head_names(noun) for noun in nouns))
            continue
        found[place] = {
            t.lower_
            for t in _phrase_tokens(filler)
            if is_word(t) and (is_name(t) or (t.is_title and t.lower_ in named))
        } | _given_name(filler)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":  # "Ivona, bought by Amazon"
        found.setdefault("patient", _head_names(verb.head))
    shares_subject = verb.dep_ == "conj" or (
        verb.dep_ in {"xcomp", "advcl"} and any(c.lower_ == "to" for c in verb.children)
    )
    if shares_subject and verb.head.pos_ in VERBS and not passive and "agent" not in found:
        # "European leaders remain ... and have proposed", "Thiem defeated Zverev ... to
        # win the title": the first verb's subject.
        found["agent"] = roles(verb.head, named).get("agent", set())
    return {place: names for place, names in found.items() if names}


def what_it_takes(verb) -> set[str]:  # type: ignore[no-untyped-def]
    """The words filling a predicate's places other than its doer's: what it acts on,
    and where it goes ("growth" of "led to growth in the province")."""
    return {
        word_key(t)
        for place, filler in _places(verb).items()
        if place != "agent"
        for t in (filler, *filler.conjuncts)
    }


def _places(verb) -> dict:  # type: ignore[no-untyped-def]
    """The word filling each place around a predicate, the passive undone."""
    passive = any(c.dep_ in PASSIVE_SUBJECTS for c in verb.children)
    found = {}
    for child in verb.children:
        place = _role_of(child.dep_, passive)
        filler = child
        if child.dep_ == "agent":  # "released by Netflix"
            place = "agent"
            filler = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ == "prep" and child.lower_ in _PARTNERED:
            place = f"prep:{child.lower_}"
            filler = next((g for g in child.children if g.dep_ == "pobj"), child)
        if place:
            # Of two subjects the parser gave one verb, the first is its own ("The first
            # settlement in what later became Victoria was founded").
            found.setdefault(place, filler)
    if passive and "agent" not in found and (doer := _stray_agent(verb)) is not None:
        found["agent"] = doer
    return found


def _stray_agent(verb):  # type: ignore[no-untyped-def]
    """The name after a passive verb's "by" that the parser hung on a noun before it
    ("developed for the inventor Charles Porter by Charles Richard"): still the verb's
    doer. Not one inside a clause of its own ("the house owned by Smith")."""
    phrase = _preps(verb)
    while phrase:
        token = phrase.pop()
        if token.lower_ == "by" and token.dep_ == "prep":
            named = [g for g in token.children if g.dep_ == "pobj" and is_name(g)]
            if named:
                return named[0]
        phrase.extend(c for c in token.children if c.dep_ in _PHRASE_LINKS)
    return None


def agent_of(token) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of who does what a verb says; none for another word."""
    return roles(token).get("agent", set()) if token.pos_ == "VERB" else set()


def roles_swapped(content: list, tokens: list) -> str:
    """A verb or noun of the claim whose every counterpart in the passage has other
    names in its places, or the same noun told apart by another quality ("shallower
    rock moves on top of deeper rock", where the deeper rock moves)."""
    said = {word_key(t) for t in content}
    named_there = {t.lower_ for t in tokens if is_name(t)}
    for token in content:
        if token.pos_ not in {"VERB", "NOUN"}:
            continue
        matches = [m for m in aligned(token, tokens, said) if m.pos_ == token.pos_]
        if not matches:
            continue
        if token.pos_ == "NOUN":
            owners = _owner(token)
            if owners and all(_conflicts(owners, _owner(m), named_there) for m in matches):
                return token.text
            # "Trial division is a probabilistic algorithm", where it is a deterministic one
            said_of = [m for m in matches if m.dep_ == "attr" and _subjects(m) & _subjects(token)]
            if said_of and all(
                _swapped_quality({"attr": token}, {"attr": m}, tokens) for m in said_of
            ):
                return token.text
            continue
        claimed, places = roles(token, named_there), _places(token)
        if all(
            (claimed and _conflicts(claimed, _in_full(roles(m), tokens), named_there, m))
            or _swapped_quality(places, _places(m), tokens)
            for m in matches
        ):
            return token.text
    return ""


def things_swapped(content: list, tokens: list) -> str:
    """A verb whose two places the claim fills the other way round, with things that
    have no names: "multiplying can be reduced to squaring" where squaring can be reduced
    to multiplying. Each of the claim's places holds, besides any words the two share,
    what the passage puts in the other."""
    said = {word_key(t) for t in content}
    for token in content:
        if token.pos_ != "VERB":
            continue
        matches = [m for m in aligned(token, tokens, said) if m.pos_ == token.pos_]
        claimed = _place_words(token)
        if matches and all(_turned_round(claimed, _place_words(m)) for m in matches):
            return token.text
    return ""


def filled_otherwise(content: list, tokens: list) -> str:
    """Across two sentences, a verb one of whose places the passage fills with another
    thing, the claim's filler being words of the other sentence: "Geochronologists look
    for signs" where magnetic stratigraphers look for them and, a sentence before,
    geochronologists date rocks. A filler in words the passage does not use is a
    paraphrase, one in words of the verb's own sentence the same thing hung elsewhere
    ("won the 2020 US Open title" for "to win the title at the 2020 US Open")."""
    said = {word_key(t) for t in content}
    there = _stems(tokens)
    for token in content:
        if token.pos_ != "VERB":
            continue
        matches = [m for m in aligned(token, tokens, said) if m.pos_ == token.pos_]
        # The verb itself: another ("fell" for "lowered") may fill its places otherwise.
        if not matches or any(m.lemma_ != token.lemma_ for m in matches):
            continue
        claimed = _filler_words(token)
        if all(_filled_apart(claimed, _filler_words(m), there - _stems(m.sent)) for m in matches):
            return token.text
    return ""


def _filler_words(verb) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    """Each place's words, every preposition a place of its own ("in the datagram
    system"); none for a filler that stands for something named before ("it", "this
    concept"), or is part of it ("its shorelines lie in ..." is where the lake lies)."""
    fillers = dict(_places(verb))
    if verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children):
        # "divergent boundaries, where two plates move apart": where they move
        for prep in _WHERE:
            fillers[f"prep:{prep}"] = verb.head
    for prep in _preps(verb):
        # Where and when by name are the names check's ("in Germany" for "in the German
        # states of Bavaria and ...").
        objects = [c for c in prep.children if c.dep_ == "pobj" and not is_name(c)]
        if objects:
            fillers.setdefault(f"prep:{prep.lower_}", objects[0])
    return {
        place: frozenset(_stems([filler, *_modifiers(filler)]))
        for place, filler in fillers.items()
        if not any(
            (c.dep_ == "det" and c.lower_ in _POINTING) or (c.dep_ == "poss" and c.pos_ == "PRON")
            for c in filler.children
        )
    }


def _modifiers(noun) -> list:  # type: ignore[no-untyped-def]
    """The words that say which thing a noun is ("magnetic", "datagram", "Saudi"), and
    theirs ("virtual call system"), not the phrases after it."""
    found = []
    for child in noun.children:
        if child.dep_ in _MODIFYING:
            found += [child, *_modifiers(child)]
    return found


def _filled_apart(claimed: dict, stated: dict, elsewhere: set[str]) -> bool:
    """Some place both fill, each with words the other lacks, the claim's being words the
    passage has elsewhere."""
    for place, ours in claimed.items():
        theirs = stated.get(place, frozenset())
        if theirs - ours and ours - theirs and ours - theirs <= elsewhere:
            return True
    return False


def paired_otherwise(clause: list, tokens: list) -> str:
    """A name the claim writes after a word and its preposition where the passage writes
    another name, and puts this one after another word: "concentrated at Ravensford
    General, and surgery at St. Hilda's" where care is "concentrated at St. Hilda's, and
    surgery at Ravensford General". Read as written, word by word, since a parser hangs
    the two halves of such a list on different words."""
    stated = _written_after(tokens)
    placed = set().union(*stated.values())
    for key, names in _written_after(clause).items():
        there = stated.get(key, set())
        for name in names:
            if there and name not in there and name in placed:
                return name
    return ""


def _written_after(tokens: list) -> dict[tuple[str, str], set[str]]:
    """The names written straight after a content word and a preposition ("surgery at
    Ravensford General"), by that word and preposition."""
    found: dict[tuple[str, str], set[str]] = {}
    for token in tokens:
        preposition = token.head
        if token.dep_ != "pobj" or not is_name(token) or preposition.dep_ != "prep":
            continue
        if preposition.i == 0 or token.left_edge.i != preposition.i + 1:
            continue
        word = token.doc[preposition.i - 1]
        if word.is_alpha and not word.is_stop and not is_name(word):
            key = (word_key(word), preposition.lower_)
            found.setdefault(key, set()).add(token.lower_)
    return found


def _place_words(verb) -> dict[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    return {place: _phrase_words(filler) for place, filler in _places(verb).items()}


def _turned_round(claimed: dict, stated: dict) -> bool:
    for place, ours in claimed.items():
        theirs = stated.get(place)
        if not theirs or not (ours - theirs) or not (theirs - ours):
            continue
        for other, words in stated.items():
            swapped_in = claimed.get(other, frozenset())
            if other != place and ours - theirs <= words and theirs - ours <= swapped_in:
                return True
    return False


def _swapped_quality(claimed: dict, stated: dict, tokens: list) -> bool:
    """Some place both fill with the same noun, told apart by other qualities, the claim's
    being ones the passage gives that noun elsewhere."""
    for place, filler in stated.items():
        ours, theirs = _thing(claimed.get(place)), _thing(filler)
        if ours is None or ours.pos_ != "NOUN" or ours.lemma_ != theirs.lemma_:
            continue
        elsewhere = {q for t in tokens if t.lemma_ == ours.lemma_ for q in _qualities(t)}
        mine, given = _qualities(ours), _qualities(theirs)
        if mine and given and not mine & given and mine <= elsewhere:
            return True
    return False


def _thing(filler):  # type: ignore[no-untyped-def]
    """The noun a relative pronoun stands for ("hermaphrodites, which can produce ...")."""
    if filler is not None and filler.pos_ == "PRON" and filler.head.dep_ == "relcl":
        return filler.head.head
    return filler


def _subjects(attribute) -> set[str]:  # type: ignore[no-untyped-def]
    """What a noun is said of, named in full ("trial division" for "Trial division is an
    algorithm": "heap sort" is not "merge sort")."""
    if attribute.dep_ != "attr":
        return set()
    return {
        " ".join(t.lemma_.casefold() for t in _name_parts(c) if t.dep_ != "amod")
        for c in attribute.head.children
        if c.dep_ in SUBJECTS
    }


def _qualities(noun) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.lower_ for c in noun.children if c.dep_ == "amod" and c.pos_ == "ADJ"}


def _phrase_tokens(filler) -> list:  # type: ignore[no-untyped-def]
    """The filler's own phrase, without where and when it hangs ("1,000 miners", not "at
    Buckland Valley in 1854" after it: a parser hangs those on one word or another)."""
    found = [filler]
    for child in filler.children:
        if (child.dep_ == "prep" and child.lower_ != "of") or child.dep_ in {"relcl", "acl"}:
            continue
        found.extend(_phrase_tokens(child))
    return found


def _name_parts(noun) -> list:  # type: ignore[no-untyped-def]
    """A noun with the words that name or describe it in place ("Anna Berg", "a Swedish
    painter"), not the phrases hanging after it."""
    return [noun, *(c for c in noun.children if c.dep_ in _MODIFYING | {"appos"})]


def _head_names(noun) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of a noun phrase's head ("Ivona" in "a synthesizer named Ivona, which"),
    not of the clauses hanging from it."""
    parts = _name_parts(noun)
    if noun.dep_ == "attr":  # "Anna Berg was a Swedish painter who lived ...": Anna Berg too
        parts += [g for c in noun.head.children if c.dep_ in SUBJECTS for g in _name_parts(c)]
    return {t.lower_ for t in parts if is_name(t) and is_word(t)} | _given_name(noun)


def _given_name(noun) -> set[str]:  # type: ignore[no-untyped-def]
    """ "a synthesizer named Ivona", "a fort, named Fort Coligny": the name it is given
    is the noun's own."""
    naming = [c for c in noun.children if c.dep_ == "acl"]
    given = [g for c in naming for o in c.children if o.dep_ == "oprd" for g in o.subtree]
    return {t.lower_ for t in given if is_name(t) and is_word(t)}


def _owner(noun) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Whose the thing is: "Ukraine's reluctance"."""
    owners = {t.lower_ for c in noun.children if c.dep_ == "poss" for t in c.subtree if is_name(t)}
    return {"owner": owners} if owners else {}


def _conflicts(
    claimed: dict[str, set[str]],
    stated: dict[str, set[str]],
    named_there: set[str],
    verb=None,  # type: ignore[no-untyped-def]
) -> bool:
    """A place the passage fills with other names, while the claim's names for it are
    names of the passage in another place. A word that is a name only in the claim
    ("the Chairman" beside "Gen. Dan Caine") is a description, not a rival filler; nor
    are the rest of a list whose first name the passage's verb takes, the others hanging
    elsewhere in its clause ("establishing the kingdoms of Francia on the Lower Rhine,
    Burgundy on the Upper Rhine"), where they fill no other place."""
    within = {t.lower_ for t in verb.subtree} if verb is not None else set()
    for place, names in claimed.items():
        other = stated.get(place)
        if not other or names <= other or not (names - other) <= named_there:
            continue
        extra = names - other
        elsewhere = set().union(*(n for p, n in stated.items() if p != place))
        if other < names and extra <= within and not extra & elsewhere:
            continue
        return True
    return False


def _in_full(places: dict[str, set[str]], tokens: list) -> dict[str, set[str]]:
    """Each person in a place with the whole name the passage gives them: "Zhu" is the
    "Zhu Shijie" named before, where no one else there shares the name."""
    people = [
        {t.lower_ for t in entity}
        for entity in _entities(tokens)
        if entity[0].ent_type_ == "PERSON" and len(entity) > 1
    ]
    full = {}
    for place, names in places.items():
        # "Charles" alone, where the passage names Charles Porter and Charles Richard,
        # could be either.
        named = [p for p in people if p & names]
        full[place] = names | named[0] if len(named) == 1 else names
    return full


def _directions(tokens: list) -> dict[str, set[str]]:
    """Each name's direction: the preposition it hangs from ("from" Los Angeles "to"
    Tampa), wherever the parser attached the preposition itself; and a thing's, where
    the preposition governs it ("a report from the faculty" is no report "to the
    faculty")."""
    found: dict[str, set[str]] = {}
    for token in tokens:
        if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ in _DIRECTIONS:
            found.setdefault(token.lemma_.casefold(), set()).add(_end(token.head.lower_))
            continue
        # Dates and figures have no direction: "from 13–29 August" is "from August 13 to 29".
        if not (is_name(token) and token.is_alpha) or token.ent_type_ in {"DATE", "TIME"}:
            continue
        governor = _governor(token, {"ADP", *VERBS})
        if governor.pos_ == "ADP" and governor.lower_ in _DIRECTIONS:
            found.setdefault(token.lower_, set()).add(_end(governor.lower_))
    return found


def _end(preposition: str) -> str:
    """ "turned into one equation" ends where "reduced to one equation" does."""
    return "to" if preposition == "into" else preposition


def dates_swapped(clause: list, tokens: list) -> str:
    """A date the claim gives one event that the passage gives another, where it dates
    that event otherwise ("achieved self-government in 1851" where it was made a colony in
    1851 and achieved self-government in 1855)."""
    said = {word_key(t) for t in clause}
    stated = {verb: set().union(*dates) for verb, dates in _dated(tokens).items()}
    for verb, claimed in _dated(clause).items():
        matches = [
            m
            for m in aligned(verb, tokens, said)
            if m.pos_ == verb.pos_ and m.dep_ not in {"aux", "auxpass"}  # "was" of "was made"
        ]
        # Of the passage's events told by the verb, those of the claim's thing, where it
        # names one ("the Très ancien coutumier, authored between 1200 and 1245; and the
        # Grand coutumier, authored between 1235 and 1245"); one said of "he" may be its.
        theme = _theme_names(verb)
        if theme:
            of_it = [m for m in matches if (names := _theme_names(m)) & theme or not names]
            matches = of_it or matches
        dated = [stated[m] for m in matches if m in stated]
        # "31 July 2014" is not "31 July 2013": every figure of each of the claim's dates
        # is that of one event; two dates may be two events ("built the Locomotion in
        # 1825 and The Rocket in 1829").
        held = all(any(date <= d for d in dated) for date in claimed)
        if dated and len(dated) == len(matches) and not held:
            return verb.text
    return ""


def _theme_names(verb) -> set[str]:  # type: ignore[no-untyped-def]
    """The names of what a verb is said of: its subject, or the noun a participle
    describes."""
    if verb.dep_ == "acl":
        thing = verb.head
    else:
        thing = next((c for c in verb.children if c.dep_ in SUBJECTS | PASSIVE_SUBJECTS), None)
    if thing is None:
        return set()
    # The words up to the noun: "Très" hangs from "ancien" in "the Très ancien coutumier".
    phrase = thing.doc[thing.left_edge.i : thing.i + 1]
    return {t.lower_ for t in phrase if is_name(t) and is_word(t)}


def _dated(tokens: list) -> dict:  # type: ignore[no-untyped-def]
    """The dates each verb governs (the nearest verb above the date, or the "be" of "were
    in use by 1851"), each date as its figures."""
    found: dict = {}
    for date in (e for e in _entities(tokens) if e[0].ent_type_ == "DATE"):
        dates: dict = {}
        for token in date:
            # With the words hanging from it, which the tagger may leave out of the date
            # ("13–29" of "13–29 August 2004").
            stated = {f for t in token.subtree for f in figures(t.text)}
            governor = _governor(token, VERBS)
            if stated and governor.pos_ in VERBS:
                dates.setdefault(governor, set()).update(stated)
        for governor, stated in dates.items():
            found.setdefault(governor, []).append(stated)
    return found


def _governor(token, kinds: set[str]):  # type: ignore[no-untyped-def]
    """The nearest word above the token of one of these parts of speech, or the root."""
    governor = token.head
    while governor.pos_ not in kinds and governor.head.i != governor.i:
        governor = governor.head
    return governor


def directions_swapped(clause: list, tokens: list) -> str:
    """A name the claim puts at one end ("from Tampa") that the passage puts only at
    another ("to Tampa")."""
    stated = _directions(tokens)
    for name, claimed in _directions(clause).items():
        if stated.get(name) and not claimed & stated[name]:
            return name
    return ""


def dates_paired_otherwise(clause: list, tokens: list) -> str:
    """A name the claim dates with figures the passage gives another name of its list
    ("released in Japan on November 23" where it was released "in Japan on November 21,
    the United States on November 23"; "Robinson (1919–1999)" where Gallagher was born in
    1919)."""
    stated = _listed_dates(tokens, least=2)
    given = set().union(*stated.values())
    for name, dates in _listed_dates(clause, least=1).items():
        if name in stated and not dates <= stated[name] and dates <= given:
            return name
    return ""


def _listed_dates(tokens: list, least: int) -> dict[str, set[str]]:
    """Under each verb that governs at least `least` names and as many dates, each name
    with the figures of the dates written after it and before the next name: a list's
    pairs. A name is known by its entity's head word ("states" of "the United States")."""
    by_verb: dict = {}
    for entity in _entities(tokens):
        governor = _governor(entity[0], VERBS)
        by_verb.setdefault(governor.i, []).append(entity)
    found: dict[str, set[str]] = {}
    for entities in by_verb.values():
        names = [e for e in entities if e[0].ent_type_ not in _MEASURES]
        dates = [e for e in entities if _is_date(e)]
        if len(names) < least or len(dates) < least:
            continue
        current = None
        for entity in entities:
            if entity[0].ent_type_ not in _MEASURES:
                current = entity[-1].lower_
            elif _is_date(entity) and current:
                figures_of = {f for t in entity for f in figures(t.text)}
                found.setdefault(current, set()).update(figures_of)
    return {name: dates for name, dates in found.items() if dates}


def _is_date(entity: list) -> bool:
    """A date, or years the tagger took for a count ("(1905–1971)")."""
    kind = entity[0].ent_type_
    text = "".join(t.text_with_ws for t in entity)
    return kind == "DATE" or (kind == "CARDINAL" and bool(years_in(text)))


def _entities(tokens: list) -> list[list]:
    """The named entities among the tokens, in order, each as its tokens."""
    entities: list[list] = []
    for token in tokens:
        if not token.ent_type_:
            continue
        if token.ent_iob_ == "I" and entities and entities[-1][-1].i == token.i - 1:
            entities[-1].append(token)
        else:
            entities.append([token])
    return entities


def compared_otherwise(clause: list, tokens: list) -> str:
    """What the claim compares turned around: "A was an improvement over B" where the
    passage says B was the improvement over A; "X is a unit of Y" where Y is the unit
    of X. The claim's subject is what the passage's same word is said against (its
    "over", "than", "of"), and nowhere is that word said against what the claim's is."""
    for token in clause:
        subject = _compared_subject(token)
        if subject is None:
            continue
        ours = _phrase_words(subject)
        against = {p.lower_: _prep_object_words(p) for p in _preps(token)}
        said = [
            (p.lower_, _prep_object_words(p))
            for m in tokens
            if m.lemma_ == token.lemma_ and _compared_subject(m) is not None
            for p in _preps(m)
        ]
        turned = any(words == ours and words for _, words in said)
        kept = any(words and against.get(prep) == words for prep, words in said)
        if turned and not kept:
            return token.text
    return ""


def _compared_subject(token):  # type: ignore[no-untyped-def]
    """The subject a predicate noun or adjective is said of ("A" of "A was an
    improvement over B"), when it is said against something."""
    if token.dep_ not in {"attr", "acomp"} or not _preps(token):
        return None
    return next((c for c in token.head.children if c.dep_ in SUBJECTS), None)


def _preps(token) -> list:  # type: ignore[no-untyped-def]
    return [c for c in token.children if c.dep_ == "prep"]


def _prep_object_words(prep) -> frozenset[str]:  # type: ignore[no-untyped-def]
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return _phrase_words(objects[0]) if objects else frozenset()


def _phrase_words(noun) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """A noun phrase's own words as stems, without the phrases hanging after it (stems:
    a tagger reads "Islamists" as a name in one sentence, a plural noun in the next)."""
    return frozenset(_stems(_phrase_tokens(noun)))


def _stems(tokens) -> set[str]:  # type: ignore[no-untyped-def]
    return {stem(t.lemma_.casefold()) for t in tokens if t.is_alpha and not t.is_stop}


def placed_otherwise(clause: list, tokens: list) -> str:
    """A named thing the claim puts somewhere the passage does not, where the passage
    puts it somewhere else ("the Lambing Flat riots took place in Victoria" where they
    were "in New South Wales"). Only a thing told apart by its name: "a riot in
    Victoria" may be any riot there."""
    for token in clause:
        names = _own_names(token)
        claimed = _where(token) | (_where(token.head) if token.dep_ in SUBJECTS else set())
        if not names or not claimed:
            continue
        stated = [_where(t) for t in tokens if t.lemma_ == token.lemma_ and _own_names(t) == names]
        stated = [places for places in stated if places]
        if stated and not any(claimed & places for places in stated):
            return token.text
    return ""


def _own_names(noun) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The capitalised words that name a common noun's thing ("Lambing Flat" riots)."""
    if noun.pos_ != "NOUN":
        return frozenset()
    return frozenset(
        c.lower_ for c in noun.children if c.dep_ in {"compound", "amod"} and c.is_title
    )


def _where(token) -> set[str]:  # type: ignore[no-untyped-def]
    """The places an "in" or "at" of the word names: a place, or a proper noun that is
    no date (a tagger takes a small town for a person)."""
    return {
        g.lower_
        for c in token.children
        if c.dep_ == "prep" and c.lower_ in _WHERE
        for g in c.children
        if g.dep_ == "pobj"
        and (g.ent_type_ in _PLACES or (g.pos_ == "PROPN" and g.ent_type_ not in _MEASURES))
    }
