"""A scripted OpenAI-compatible model server: a FAKE at the network edge, for gating the
generative path where no real model that writes good answers can run.

For each question of a gold file it writes a faithful answer: the question's evidence,
quoted, cited to the numbered passage of the prompt that holds it; for a question the
gold file marks unanswerable it says the articles don't say. A condense request gets the
follow-up back unchanged. Everything is deterministic, so the gate never flaps.

    python evals/scripted_model.py --gold evals/gold.jsonl --port 8765
    assistant --llm openai --llm-base-url http://127.0.0.1:8765/v1 --llm-model scripted eval
"""

from __future__ import annotations

import argparse
import json
import re
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MODEL = "scripted"
_PASSAGE = re.compile(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)
_QUESTION = re.compile(r"\nQuestion: (.*?)\n\nAnswer, citing passages:\s*$", re.DOTALL)
_FOLLOW_UP = re.compile(r"Follow Up Input: (.*?)\n", re.DOTALL)


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


class Script:
    def __init__(self, gold: Path) -> None:
        items = [json.loads(line) for line in gold.read_text().splitlines() if line.strip()]
        self.by_question = {_plain(item["question"]): item for item in items}

    def reply(self, prompt: str) -> str:
        follow_up = _FOLLOW_UP.search(prompt)
        if follow_up and not _QUESTION.search(prompt):
            return follow_up.group(1).strip()
        asked = _QUESTION.search(prompt)
        item = self.by_question.get(_plain(asked.group(1))) if asked else None
        if item is None or not item["answerable"] or not item.get("evidence"):
            return "The articles don't say."
        passages = [(n, _plain(text)) for n, text in _PASSAGE.findall(prompt)]
        sentences = []
        for evidence in item["evidence"]:
            cited = next((n for n, text in passages if _plain(evidence) in text), None)
            if cited is not None:
                sentences.append(f"{evidence.rstrip('.')}. [{cited}]")
        return " ".join(sentences) or "The articles don't say."


class Handler(BaseHTTPRequestHandler):
    script: Script

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json({"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
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


def _completion(kind: str, choices: list[dict]) -> dict:
    return {
        "id": "scripted",
        "object": kind,
        "created": int(time.time()),
        "model": MODEL,
        "choices": choices,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path("evals/gold.jsonl"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    Handler.script = Script(args.gold)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"scripted model on http://127.0.0.1:{args.port}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
