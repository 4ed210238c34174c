#!/usr/bin/env python3
"""A stand-in CRM for the demo: receives LeadRelay's assignment webhooks on loopback.

It checks each signature as docs/webhooks.md says (HMAC-SHA256 over "t.body", at most five
minutes old), answers 401 to a bad one, and is flaky on purpose: the first attempt of every
fifth delivery gets a 503, so the demo shows retries. Each accepted delivery is one JSON
line on standard output.

usage: crm_receiver.py PORT_FILE   (the secret comes from LEADRELAY_WEBHOOK_SECRET)
"""
import hashlib, hmac, http.server, json, os, sys, time

secret = os.environ["LEADRELAY_WEBHOOK_SECRET"].encode()
seen = set()


def signed(header: str, body: bytes) -> bool:
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - t) <= 300 and hmac.compare_digest(expected, parts.get("v1", ""))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        delivery = self.headers.get("LeadRelay-Delivery", "")
        if not signed(self.headers.get("LeadRelay-Signature", ""), body):
            return self.answer(401)
        first_attempt = delivery not in seen
        seen.add(delivery)
        if first_attempt and delivery.isdigit() and int(delivery) % 5 == 0:
            return self.answer(503)
        event = json.loads(body)
        print(json.dumps({"delivery": delivery, "lead": event["lead"]["email"], "rep": event["assignment"]["rep_id"],
                          "activities": len(event["activities"])}), flush=True)
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
