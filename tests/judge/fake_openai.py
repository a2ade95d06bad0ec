"""A scripted OpenAI-compatible chat endpoint for fastchat-judge's tests (Python 3 standard
library only): POST /v1/chat/completions answers as the test's `respond(request)` says, on
127.0.0.1 and a port the kernel picks. It runs on threads of the test's own process and is
stopped by stop() (or the with-block), so nothing outlives the test.

respond(body) returns either a string (the assistant's content, HTTP 200) or a tuple
(status, headers, body_text) for an error answer. Every request body is kept in `requests`.
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections of a --parallel 8 burst, and the
    # client's SYN retry then costs a second: room for every request in flight.
    request_queue_size = 128
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that went away (the interrupted-run test) is not the fake's error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class FakeOpenAI:
    def __init__(self, respond):
        self.respond = respond
        self.requests = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: the test prints what matters
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path != "/v1/chat/completions":
                    self._send(404, {}, json.dumps({"error": {"message": "no route", "type": "not_found_error"}}))
                    return
                with fake.lock:
                    fake.requests.append(body)
                try:
                    answer = fake.respond(body)
                except Exception as e:  # a bug in the script: make it visible, not a hang
                    answer = (500, {}, json.dumps({"error": {"message": f"fake: {e!r}", "type": "internal_error"}}))
                if isinstance(answer, tuple):
                    self._send(*answer)
                    return
                self._send(200, {}, json.dumps({
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
                    "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": answer}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }))

            def _send(self, status, headers, text):
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
