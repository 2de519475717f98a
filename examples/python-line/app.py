"""Team line: one FreeClimb conference behind a PIN, in Python 3 with the standard library only.

Callers dial in and key the PIN followed by #. The first caller opens the conference with PerCL
CreateConference (recorded); later callers join it while it exists and is not terminated. Every
webhook's FreeClimb-Signature is verified over the raw body before anything else reads it.

Environment: PORT (0 picks a free port), FREECLIMB_SIGNING_SECRET (required), LINE_PIN (default
1234), APP_PUBLIC_URL (default http://127.0.0.1:$PORT). The other FREECLIMB_* variables the gate
passes are not needed: this line makes no REST calls.
"""

import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOLERANCE_SEC = 5 * 60  # only the past is bounded, as in FreeClimb's SDKs
MAX_BODY_BYTES = 64 * 1024
MAX_ATTEMPTS = 3
# Seeded bugs for the explorer's self-test (bugs.json); APP_BUG=<name> switches one on.
BUG_NAMES = ["star-kills-process"]

PROMPT = "Welcome to the team line. Please enter the meeting PIN, then press pound."
RETRY = "Sorry, that PIN is not right. Please enter the meeting PIN, then press pound."
GOODBYE = "No valid PIN was entered. Goodbye."


def log(line):
    print(f"python-line {time.strftime('%Y-%m-%dT%H:%M:%S')} {line}", flush=True)


def verify_signature(raw, header, secret, now=None):
    """Returns None when authentic, else the reason (never the secret or a digest)."""
    if not header:
        return "no FreeClimb-Signature header"
    t, candidates = None, []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            return "malformed FreeClimb-Signature header"
        if key == "t" and value.isdigit():
            t = int(value)
        elif key == "v1":
            candidates.append(value.lower())
    if t is None or not candidates:
        return "FreeClimb-Signature lacks t= or v1="
    age = (now if now is not None else int(time.time())) - t
    if age > TOLERANCE_SEC:
        return f"signature is {age}s old (limit {TOLERANCE_SEC}s)"
    expected = hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()
    # compare_digest against every candidate so that timing reveals nothing.
    matched = [hmac.compare_digest(expected, c) for c in candidates]
    return None if any(matched) else "no v1 signature matches the body"


class Line:
    """The one conference, learnt from FreeClimb's callbacks. Guarded by a lock: requests run on threads."""

    def __init__(self, pin):
        self.pin = pin
        self.lock = threading.Lock()
        self.conference_id = None
        self.status = None
        self.creating_call = None
        self.attempts = {}

    def joinable(self):
        return self.conference_id if self.conference_id and self.status != "terminated" else None

    def conference_report(self, body):
        # The creation callback may be createConference or conferenceStatus, the recording report
        # conferenceRecordingStatus or conferenceRecordingEnded, with fields on either: accept all.
        conference_id, status = body.get("conferenceId"), body.get("status")
        if body.get("recordingId"):
            log(f"recording {body['recordingId']} of {conference_id}")
        if body.get("requestType") not in ("createConference", "conferenceStatus") or not status:
            return
        if conference_id != self.conference_id:
            if self.conference_id is None or self.status == "terminated" or self.creating_call:
                self.conference_id, self.status, self.creating_call = conference_id, None, None
            else:
                return  # a late report about an older conference
        if self.status != "terminated":  # terminated is final
            self.status = status


class Handler(BaseHTTPRequestHandler):
    line = None
    secret = None
    base_url = None
    bug = ""

    def log_message(self, *args):  # one line per webhook comes from do_POST instead
        pass

    def answer(self, status, payload=None):
        body = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def text(self, status, message):
        body = f"{message}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.text(405, "webhooks are POST")

    def do_POST(self):
        url = urlsplit(self.path)
        route = ROUTES.get(url.path)
        if route is None:
            return self.text(404, "not found")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            return self.text(413, "body too large")
        raw = self.rfile.read(length)
        problem = verify_signature(raw, self.headers.get("FreeClimb-Signature"), self.secret)
        if problem:
            log(f"POST {url.path} rejected: {problem} -> 401")
            return self.text(401, f"unauthorized: {problem}")
        try:
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("not a JSON object")
        except ValueError as e:
            log(f"POST {url.path} bad body: {e} -> 400")
            return self.text(400, "the body must be a JSON object")
        try:
            with self.line.lock:
                percl = route(self, body)
        except Exception as e:  # answer 500 and keep serving the other calls
            log(f"POST {url.path} {body.get('requestType')} -> 500 {e!r}")
            return self.text(500, "internal error")
        commands = ",".join(next(iter(c)) for c in percl) if percl else ""
        log(f"POST {url.path} {body.get('requestType')} call={body.get('callId')} "
            f"status={body.get('status', '-')} -> {200 if percl is not None else 204} {commands}")
        self.answer(200 if percl is not None else 204, percl)

    # ---------------------------------------------------------------- webhooks

    def ask_pin(self, retry=False):
        return [{"GetDigits": {
            "actionUrl": f"{self.base_url}/pin",
            "finishOnKey": "#",
            "minDigits": 1,
            "maxDigits": 12,
            "initialTimeoutMs": 8000,
            "digitTimeoutMs": 5000,
            "flushBuffer": True,
            "prompts": [{"Say": {"text": RETRY if retry else PROMPT}}],
        }}]

    def add_to_conference(self, conference_id):
        return [{"AddToConference": {
            "conferenceId": conference_id,
            "startConfOnEnter": True,
            "leaveConferenceUrl": f"{self.base_url}/conference/left",
            "notificationUrl": f"{self.base_url}/conference/joined",
        }}]

    def voice(self, body):
        self.line.attempts[body.get("callId")] = 1
        return self.ask_pin()

    def pin(self, body):
        call_id, line = body.get("callId"), self.line
        # BUG star-kills-process: a PIN is checked by a helper that calls sys.exit on a key it does
        # not expect (as a CLI script would); in a server thread that ends the whole process.
        if self.bug == "star-kills-process" and "*" in str(body.get("digits", "")):
            log(f"PIN {body.get('digits')!r} has a key the checker does not know; exiting")
            os._exit(1)
        if body.get("digits") != line.pin:
            attempts = line.attempts.get(call_id, 1) + 1
            if attempts > MAX_ATTEMPTS:
                line.attempts.pop(call_id, None)
                return [{"Say": {"text": GOODBYE}}, {"Hangup": {}}]
            line.attempts[call_id] = attempts
            return self.ask_pin(retry=True)
        line.attempts.pop(call_id, None)
        conference_id = line.joinable()
        if conference_id:
            return [{"Say": {"text": "Joining the team line."}}] + self.add_to_conference(conference_id)
        if line.creating_call:
            # Someone else's CreateConference is in flight: wait a second, then decide again.
            return [{"Pause": {"length": 1000}}, {"Redirect": {"actionUrl": f"{self.base_url}/pin/retry"}}]
        line.creating_call = call_id
        return [{"CreateConference": {
            "actionUrl": f"{self.base_url}/conference/created",
            "statusCallbackUrl": f"{self.base_url}/conference/status",
            "alias": "team-line",
            "record": True,
        }}]

    def pin_retry(self, body):
        return self.pin({**body, "digits": self.line.pin})

    def conference_created(self, body):
        line = self.line
        if line.conference_id is None or line.status == "terminated" or line.creating_call:
            line.conference_id, line.status, line.creating_call = body["conferenceId"], None, None
        return self.add_to_conference(body["conferenceId"])

    def conference_status(self, body):
        self.line.conference_report(body)
        return None

    def notification(self, body):
        return None

    def left(self, body):
        return [{"Say": {"text": "You have left the team line. Goodbye."}}, {"Hangup": {}}]

    def call_status(self, body):
        self.line.attempts.pop(body.get("callId"), None)
        if self.line.creating_call == body.get("callId"):
            self.line.creating_call = None
        return None

    def connect(self, body):
        return []  # the line places no calls


ROUTES = {
    "/voice": Handler.voice,
    "/pin": Handler.pin,
    "/pin/retry": Handler.pin_retry,
    "/conference/created": Handler.conference_created,
    "/conference/status": Handler.conference_status,
    "/conference/joined": Handler.notification,
    "/conference/left": Handler.left,
    "/status": Handler.call_status,
    "/connect": Handler.connect,
}


def main():
    secret = os.environ.get("FREECLIMB_SIGNING_SECRET")
    port_text = os.environ.get("PORT", "3000")
    problems = []
    if not secret:
        problems.append("FREECLIMB_SIGNING_SECRET is not set")
    if not port_text.isdigit() or int(port_text) > 65535:
        problems.append(f'PORT must be a port number, got "{port_text}"')
    # The gate's self-test switches seeded bugs on with APP_BUG; this line has none, so any name is a
    # typo, and running the correct app under it would prove nothing.
    app_bug = os.environ.get("APP_BUG", "").strip()
    if app_bug and app_bug not in BUG_NAMES:
        problems.append(f'APP_BUG="{app_bug}" is not a seeded bug; known: {", ".join(BUG_NAMES)}')
    if problems:
        print("python-line cannot start:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        sys.exit(2)

    server = ThreadingHTTPServer(("127.0.0.1", int(port_text)), Handler)
    port = server.server_address[1]
    Handler.line = Line(os.environ.get("LINE_PIN", "1234"))
    Handler.bug = app_bug
    Handler.secret = secret
    Handler.base_url = os.environ.get("APP_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/")
    # The gate stops the app with SIGTERM; exit 0 rather than die on the signal.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log(f"listening on http://127.0.0.1:{port}, webhooks at {Handler.base_url}")
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
