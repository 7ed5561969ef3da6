"""A scripted OpenAI-compatible model server: a FAKE at the network edge, standing in for a
model that writes good answers, which no machine of ours can run.

It replays hand-written replies (`evals/model_replies.jsonl`, or a test's own file), one
JSON object a line:

    {"question": "Who is NATO's Secretary-General?",
     "reply": [{"say": "NATO's Secretary-General is Mark Rutte.",
                "cite": ["NATO's Secretary-General, Mark Rutte"]}]}
    {"question": "Did he visit Kyiv?", "after": "Who is NATO's Secretary-General?",
     "standalone": "Did Mark Rutte visit Kyiv?"}

A sentence cites the numbered passage of the prompt that holds each of its `cite` words,
as a model cites what it read; a sentence whose words are in none of the passages it was
given is not written (a good model states only what it sees), and one with an empty
`cite` list is written without markers. A reply with no sentence left, or a question not
in the script, gets "The articles don't say." A condense request gets the row's
`standalone` question (`after`, when given, must be the conversation's last question),
or the follow-up unchanged. Asked for a second opinion (whether a passage states a
statement), it says what its verdicts say of that statement (the verification suite's
file: `claim` and `faithful`), "no" for one they do not list, or always "yes" when told
to agree (a model that vouches for anything, to measure what the checks still stop).
Replies stream a word at a time. Everything is deterministic, so what it gates never
flaps.

    python evals/scripted_model.py --replies evals/model_replies.jsonl --port 8765
    assistant --llm openai --llm-base-url http://127.0.0.1:8765/v1 --llm-model scripted eval
    python evals/scripted_model.py --verdicts evals/verify.jsonl --port 8765
    assistant --llm openai --llm-base-url http://127.0.0.1:8765/v1 --llm-model scripted \
        --second-opinion eval --suite verify
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MODEL = "scripted"
NOT_IN_PASSAGES = "The articles don't say."
_PASSAGE = re.compile(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)
_QUESTION = re.compile(r"\nQuestion: (.*?)\n\nAnswer, citing passages:\s*$", re.DOTALL)
# llama-index's condense-question prompt
_FOLLOW_UP = re.compile(r"<Follow Up Message>\n(.*?)\n\n<Standalone question>", re.DOTALL)
_HISTORY = re.compile(r"^Human: (.*)$", re.MULTILINE)
# assistant/answer/prompt.py's second-opinion question
_STATEMENT = re.compile(r"\nStatement: (.*?)\n\nDoes the passage state it\?", re.DOTALL)
_MARKERS = re.compile(r"\s*\[\d+\]")


def _plain(text: str) -> str:
    folded = text.casefold().translate(str.maketrans("’‘“”", "''\"\""))
    return " ".join(folded.split())


@dataclass(frozen=True)
class Sentence:
    say: str
    cite: tuple[str, ...]  # words of the passages it cites


@dataclass(frozen=True)
class Row:
    question: str
    reply: tuple[Sentence, ...] = ()
    standalone: str | None = None  # a follow-up, made to stand alone
    after: str | None = None  # the question the follow-up follows

    @classmethod
    def of(cls, raw: dict) -> Row:
        return cls(
            question=raw["question"],
            reply=tuple(Sentence(s["say"], tuple(s.get("cite", ()))) for s in raw.get("reply", [])),
            standalone=raw.get("standalone"),
            after=raw.get("after"),
        )


class Script:
    def __init__(
        self,
        rows: Iterable[Row],
        verdicts: Mapping[str, bool] | None = None,
        agree: bool = False,
    ) -> None:
        self.rows = list(rows)
        self._answers = {_plain(row.question): row for row in self.rows if row.reply}
        self.verdicts = {_plain(_MARKERS.sub("", k)): v for k, v in (verdicts or {}).items()}
        self.agree = agree  # vouch for every statement

    @classmethod
    def load(cls, path: Path, verdicts: Path | None = None, agree: bool = False) -> Script:
        rows = (Row.of(raw) for raw in _json_lines(path))
        judged = (
            {raw["claim"]: raw["faithful"] for raw in _json_lines(verdicts)} if verdicts else {}
        )
        return cls(rows, judged, agree)

    def reply(self, prompt: str) -> str:
        asked = _QUESTION.search(prompt)
        if asked:
            return self._answer(asked.group(1), prompt)
        statement = _STATEMENT.search(prompt)
        if statement:
            return "yes" if self.agree or self.verdicts.get(_plain(statement.group(1))) else "no"
        follow_up = _FOLLOW_UP.search(prompt)
        return self._condense(follow_up.group(1), prompt) if follow_up else NOT_IN_PASSAGES

    def _answer(self, question: str, prompt: str) -> str:
        row = self._answers.get(_plain(question))
        if row is None:
            return NOT_IN_PASSAGES
        passages = [(number, _plain(text)) for number, text in _PASSAGE.findall(prompt)]
        written = []
        for sentence in row.reply:
            numbers = [
                next((n for n, text in passages if _plain(words) in text), None)
                for words in sentence.cite
            ]
            if None in numbers:
                continue  # what it would cite is not in front of it
            markers = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
            written.append(f"{sentence.say} {markers}".rstrip())
        return " ".join(written) or NOT_IN_PASSAGES

    def _condense(self, follow_up: str, prompt: str) -> str:
        earlier = [_plain(q) for q in _HISTORY.findall(prompt)]
        for row in self.rows:
            follows = row.after is None or (earlier and earlier[-1] == _plain(row.after))
            if row.standalone and _plain(row.question) == _plain(follow_up) and follows:
                return row.standalone
        return follow_up.strip()


class _Handler(BaseHTTPRequestHandler):
    script: Script

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json({"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if "messages" in body:
            prompt = "\n".join(str(m.get("content", "")) for m in body["messages"])
        else:  # the completions endpoint
            prompt = str(body.get("prompt", ""))
        reply = self.script.reply(prompt)
        if not body.get("stream"):
            message = {"role": "assistant", "content": reply}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            self._json(_completion("chat.completion", [choice]))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in re.findall(r"\S+\s*", reply):  # a word at a time, as a model streams
            choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
            self._event(_completion("chat.completion.chunk", [choice]))
        done = {"index": 0, "delta": {}, "finish_reason": "stop"}
        self._event(_completion("chat.completion.chunk", [done]))
        self.wfile.write(b"data: [DONE]\n\n")

    def _json(self, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _event(self, payload: dict) -> None:
        self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
        self.wfile.flush()

    def log_message(self, *args: object) -> None:
        pass


def _json_lines(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _completion(kind: str, choices: list[dict]) -> dict:
    return {
        "id": "scripted",
        "object": kind,
        "created": int(time.time()),
        "model": MODEL,
        "choices": choices,
    }


class ScriptedServer:
    """The scripted model on 127.0.0.1, in a thread of this process, for tests."""

    def __init__(self, script: Script, port: int = 0) -> None:
        handler = type("Handler", (_Handler,), {"script": script})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Until the process is stopped (the command line's way of running it)."""
        self._thread.join()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=Path, default=Path("evals/model_replies.jsonl"))
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--verdicts", type=Path, help="second opinions: claim and faithful")
    parser.add_argument("--always-agree", action="store_true", help="vouch for any statement")
    args = parser.parse_args()
    script = Script.load(args.replies, args.verdicts, args.always_agree)
    server = ScriptedServer(script, args.port)
    print(f"scripted model on {server.url}", flush=True)
    server.wait()


if __name__ == "__main__":
    main()
