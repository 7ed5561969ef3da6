"""Nothing lost, nothing duplicated: ingests killed midway, and ingests while the page answers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from gradio_client import Client

from assistant import Assistant, Settings
from assistant.bench import write_synthetic
from assistant.ui.app import serve
from tests.crash import run_trial
from tests.helpers import free_port

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_ingests_killed_at_random_leave_exactly_a_clean_build(tmp_path: Path):
    trial = run_trial(tmp_path, articles=40, kills=3, within=1.0)
    assert trial.kills, "every ingest finished before its kill: nothing was tested"
    assert trial.ok, asdict(trial)


def test_chunks_of_an_article_the_crashed_ingest_never_recorded_are_removed(
    settings: Settings,
):
    """The state a kill leaves between storing an article's chunks and recording them,
    after which the user deletes the article: its chunks must not linger as orphans."""
    extra = settings.corpus_dir / "extra.txt"
    extra.write_text("Harbour report\n\nThe ferry to Tbilisi was cancelled on Monday.\n")
    assistant = Assistant(settings)
    assistant.ingest()
    docstore = assistant.store.load_docstore()
    docstore.delete_document("extra.txt", raise_error=False)
    assistant.store.save_docstore(docstore)
    settings.journal_path.touch()
    extra.unlink()

    report = assistant.ingest()
    ids = assistant.store.collection.get(include=[])["ids"]
    assert not [i for i in ids if i.startswith("extra.txt#")]
    assert report.chunks == len(ids) and not settings.journal_path.exists()
    assert "Tbilisi" not in assistant.ask("Which ferry was cancelled on Monday?").text


def _lantern(colour: str) -> str:
    paragraphs = [
        f"Operation Lantern briefing, part {n}. The codeword for Operation Lantern is {colour}. "
        f"Officers reviewed logistics item {n} at length, covering convoys, fuel depots, "
        f"radio schedules and the weather outlook for sector {n} over the coming weeks."
        for n in range(1, 7)
    ]
    return "Operation Lantern\n\n" + "\n\n".join(paragraphs) + "\n"


def test_questions_during_an_ingest_see_the_old_or_the_new_article_never_half(
    tmp_path: Path,
):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "lantern.txt").write_text(_lantern("amber"))
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", port=free_port())
    app = serve(Assistant(settings), block=False)
    try:
        client = Client(f"http://127.0.0.1:{settings.port}/", verbose=False)
        # The new version, and enough other new articles that the ingest takes a while.
        (corpus / "lantern.txt").write_text(_lantern("violet"))
        write_synthetic(30, corpus)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "--corpus-dir", str(corpus),
             "--index-dir", str(settings.index_dir), "ingest"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        seen: list[set[str]] = []
        while ingest.poll() is None or len(seen) < 5:
            reply = client.predict("What is the codeword for Operation Lantern?", api_name="/ask")
            assert "error" not in reply, reply
            cited = [c["text"] for c in reply["citations"] + reply["related"]]
            seen.append({w for w in ("amber", "violet") for text in cited if w in text})
            if ingest.returncode is not None:
                time.sleep(0.2)
        assert ingest.returncode == 0, ingest.stderr.read()
        final = client.predict("What is the codeword for Operation Lantern?", api_name="/ask")
    finally:
        app.close()
    assert all(versions in ({"amber"}, {"violet"}) for versions in seen), seen
    assert seen[0] == {"amber"} and "violet" in final["answer"]
