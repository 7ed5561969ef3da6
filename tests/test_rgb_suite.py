"""The RGB suite scores exactly as RGB's evalue.py does, and runs end to end.

The data here is a few items written in RGB's format for the test; the real benchmark is
read from ../shared/benchmarks/rgb/ and never copied into the project.
"""

import json
from pathlib import Path

from assistant import Settings
from assistant.evaluate.rgb import rgb_correct, run_rgb


def test_a_string_answer_must_occur_in_the_lowercased_response():
    assert rgb_correct("It was played in Tampa, Florida.", ["Tampa, Florida"])
    assert not rgb_correct("It was played in Tampa.", ["Tampa, Florida"])


def test_a_list_entry_is_met_by_any_one_alternative_and_every_entry_is_needed():
    dates = ["July 21 2017", "Jul 21, 2017", "21 July 2017"]
    assert rgb_correct("Released on 21 July 2017 worldwide.", [dates])
    assert not rgb_correct("Released in July.", [dates])
    assert not rgb_correct("Norway", ["Norway", "Germany"])


def test_the_suite_ingests_its_passages_and_reports_accuracy(tmp_path: Path):
    items = [
        {
            "id": 0,
            "query": "Which city hosted the 2031 Lunar Games?",
            "answer": "Reykjavik",
            "fakeanswer": "Lisbon",
            "positive": ["Reykjavik hosted the 2031 Lunar Games, drawing record crowds."],
            "positive_wrong": ["Lisbon hosted the 2031 Lunar Games, drawing record crowds."],
            "negative": ["The 2029 Lunar Games were held in Osaka after a long bidding war."],
        },
        {
            "id": 1,
            "query": "Who won the 2031 Lunar Games marathon?",
            "answer": [["Ana Duarte", "A. Duarte"]],
            "fakeanswer": "Mia Berg",
            "positive": ["Ana Duarte won the 2031 Lunar Games marathon in record time."],
            "positive_wrong": ["Mia Berg won the 2031 Lunar Games marathon in record time."],
            "negative": ["The 2031 marathon route passed the old harbour twice."],
        },
    ]
    data = tmp_path / "en_fact.json"
    data.write_text("\n".join(json.dumps(item) for item in items))
    settings = Settings(index_dir=tmp_path / "index")

    plain = run_rgb(settings, data)
    assert plain.summary["questions"] == 2
    assert plain.summary["accuracy"] == 1.0
    assert plain.summary["retrieval_hit"] == 1.0

    rival = run_rgb(settings, data, with_counterfactual=True)
    assert rival.summary["disagreement_shown"] == 1.0
    assert rival.summary["fake_answer_stated_as_fact"] == 0.0
