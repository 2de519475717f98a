"""Smoke test of the team line without the gate: start app.py, send it signed webhooks over
loopback HTTP, check its PerCL and its 401s. Run: python3 -m unittest -v test_app.py

The test waits for the app's "listening on" line, never a fixed time.
"""

import hashlib
import hmac
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
START_TIMEOUT_SEC = 15


def sign(raw, secret, t=None):
    t = int(time.time()) if t is None else t
    return f"t={t},v1=" + hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()


class TeamLineTest(unittest.TestCase):
    def setUp(self):
        self.secret = "sigsec_" + secrets.token_hex(20)
        env = {**os.environ, "PORT": "0", "FREECLIMB_SIGNING_SECRET": self.secret, "LINE_PIN": "1234"}
        self.app = subprocess.Popen([sys.executable, "app.py"], cwd=HERE, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        listening = threading.Event()

        def read():
            for line in self.app.stdout:
                self.output.append(line.rstrip())
                m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
                if m:
                    self.url = m.group(1)
                    listening.set()

        threading.Thread(target=read, daemon=True).start()
        if not listening.wait(START_TIMEOUT_SEC):
            self.app.kill()
            self.fail(f"app.py did not print 'listening on' within {START_TIMEOUT_SEC}s: {self.output[-10:]}")

    def tearDown(self):
        self.app.terminate()
        code = self.app.wait(10)
        self.app.stdout.close()
        self.assertEqual(code, 0, "app.py should exit 0 on SIGTERM")

    def post(self, path, body, signature="good"):
        raw = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "good":
            headers["FreeClimb-Signature"] = sign(raw, self.secret)
        elif signature == "forged":
            headers["FreeClimb-Signature"] = sign(raw, self.secret + "-not")
        elif signature == "stale":
            headers["FreeClimb-Signature"] = sign(raw, self.secret, int(time.time()) - 600)
        request = urllib.request.Request(self.url + path, data=raw, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as res:
                text = res.read().decode()
                return res.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            return e.code, None

    def call(self, call_id):
        status, percl = self.post("/voice", {"requestType": "inboundCall", "callId": call_id, "callStatus": "ringing",
                                            "direction": "inbound", "conferenceId": None})
        self.assertEqual(status, 200)
        self.assertIn("PIN", percl[0]["GetDigits"]["prompts"][0]["Say"]["text"])
        return percl[0]["GetDigits"]["actionUrl"]

    def press(self, action_url, call_id, digits):
        path = action_url.replace(self.url, "")
        return self.post(path, {"requestType": "getDigits", "callId": call_id, "digits": digits, "reason": "finishKey"})

    def test_callers_meet_and_a_terminated_conference_is_replaced(self):
        action = self.call("CA1")
        status, percl = self.press(action, "CA1", "1234")
        create = percl[-1]["CreateConference"]
        self.assertTrue(create["record"])
        self.assertTrue(create["statusCallbackUrl"].startswith(self.url))
        # The creation callback first (one documented order), named conferenceStatus (one reading).
        self.assertEqual(self.post("/conference/status", {"requestType": "conferenceStatus", "conferenceId": "CF1", "status": "empty"})[0], 204)
        status, percl = self.post("/conference/created", {"requestType": "createConference", "callId": "CA1", "conferenceId": "CF1"})
        self.assertEqual(percl[-1]["AddToConference"]["conferenceId"], "CF1")
        self.assertIs(percl[-1]["AddToConference"]["startConfOnEnter"], True)
        self.post("/conference/status", {"requestType": "conferenceStatus", "conferenceId": "CF1", "status": "inProgress"})

        status, percl = self.press(self.call("CA2"), "CA2", "1234")
        self.assertEqual(percl[-1]["AddToConference"]["conferenceId"], "CF1", "the second caller joins the same conference")

        for body in ({"requestType": "conferenceStatus", "conferenceId": "CF1", "status": "empty",
                      "recordingId": "RE1", "recordingUrl": "https://r.invalid/1", "recordingDurationSec": 3},
                     {"requestType": "conferenceRecordingEnded", "conferenceId": "CF1", "status": "empty", "recordingId": "RE1"},
                     {"requestType": "conferenceStatus", "conferenceId": "CF1", "status": "terminated"},
                     {"requestType": "callStatus", "callId": "CA1", "callStatus": "completed", "conferenceId": "CF1"}):
            self.assertEqual(self.post("/conference/status" if body["requestType"] != "callStatus" else "/status", body)[0], 204, body)

        status, percl = self.press(self.call("CA3"), "CA3", "1234")
        self.assertIn("CreateConference", percl[-1], "after terminated, a new conference is created")

    def test_a_wrong_pin_is_asked_again_then_released(self):
        action = self.call("CA9")
        for _ in range(2):
            status, percl = self.press(action, "CA9", "9999")
            self.assertIn("not right", percl[0]["GetDigits"]["prompts"][0]["Say"]["text"])
        status, percl = self.press(action, "CA9", "")
        self.assertEqual(percl[-1], {"Hangup": {}})

    def test_unsigned_forged_and_stale_webhooks_get_401(self):
        body = {"requestType": "inboundCall", "callId": "CA7", "callStatus": "ringing"}
        for signature in ("none", "forged", "stale"):
            self.assertEqual(self.post("/voice", body, signature)[0], 401, signature)

    def test_the_reference_test_vector_verifies(self):
        sys.path.insert(0, HERE)
        from app import verify_signature
        raw = (b'{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213",'
               b'"callStatus":"ringing","conferenceId":null,"direction":"inbound","from":"+13121000109","parentCallId":null,'
               b'"queueId":null,"requestType":"inboundCall","to":"+13121000096"}')
        header = "t=1679944186,v1=c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120"
        self.assertIsNone(verify_signature(raw, header, "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793", now=1679944186))
        self.assertIsNotNone(verify_signature(raw, header, "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793", now=1679944186 + 301))


if __name__ == "__main__":
    unittest.main()
