"""Local stand-ins for the outside services goingsolo talks to, over real network sockets."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TRANSLATION_API_KEY = "local-test-key"


class FakeTranslateHandler(BaseHTTPRequestHandler):
    """A LibreTranslate look-alike. POST /translate prefixes the text with "[target] ", or
    misbehaves as the server's `mode` says: "slow", "close", "error_500", "error_400",
    "invalid_json"."""

    def do_POST(self):
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append(body)
        mode = server.mode
        if mode == "slow":
            server.release.wait(10)
            self.answer(200, {"translatedText": "too late"})
        elif mode == "close":
            self.close_connection = True
        elif mode == "error_500":
            self.answer(500, {"error": "Internal error"})
        elif mode == "error_400":
            self.answer(400, {"error": "Invalid request: missing q parameter"})
        elif mode == "invalid_json":
            self.answer_raw(200, b"<html>Bad gateway</html>")
        elif self.path != "/translate":
            self.answer(404, {"error": "Not found"})
        elif body.get("api_key") != TRANSLATION_API_KEY:
            self.answer(403, {"error": "Invalid API key"})
        else:
            self.answer(200, {"translatedText": server.translate(body)})

    def answer(self, status, data):
        self.answer_raw(status, json.dumps(data).encode())

    def answer_raw(self, status, payload):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


def _prefix_with_target(body):
    return f"[{body['target']}] {body['q']}"


class FakeTranslationService:
    """The fake on a free local port, in a thread, configured in SETTINGS while it runs.

    `requests` lists the JSON bodies received; set `mode` to make it misbehave, and
    `translate` (a function of the request body) to change what it answers.
    """

    def __init__(self, settings, *, timeout=0.5):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTranslateHandler)
        self.server.mode = "ok"
        self.server.requests = []
        self.server.release = threading.Event()
        self.server.translate = _prefix_with_target
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.settings = settings
        self.timeout = timeout

    def __getattr__(self, name):
        return getattr(self.server, name)

    def __setattr__(self, name, value):
        if name in ("mode", "translate"):
            setattr(self.server, name, value)
        else:
            super().__setattr__(name, value)

    def start(self):
        self.thread.start()
        self.settings.GOINGSOLO_TRANSLATION_URL = f"http://127.0.0.1:{self.server.server_port}/"
        self.settings.GOINGSOLO_TRANSLATION_API_KEY = TRANSLATION_API_KEY
        self.settings.GOINGSOLO_TRANSLATION_TIMEOUT = self.timeout
        return self

    def stop(self):
        self.server.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
