"""Feeds the running LeadRelay API the way a web site does: new sign-ups and a stream of
behaviour events for known leads, in small batches, with a progress line.

usage: feed.py BASE_URL API_KEY < emails.txt"""
import random, sys, time
from datetime import datetime, timedelta, timezone

import leadrelay_api

base, key = sys.argv[1], sys.argv[2]
emails = [line.strip() for line in sys.stdin if line.strip()]
random.seed(11)
now = datetime.now(timezone.utc)
pages = ["/pricing", "/pricing/enterprise", "/blog/lead-scoring-101", "/docs/api/leads", "/careers", "/customers/acme"]
content = ["case-study-northwind.pdf", "buyers-guide-2026.pdf", "comparison-leadrelay-vs-spreadsheets.pdf", "ebook-funnel.pdf"]
signups = [("maya.lindqvist@fabrikam-nordic.example", "Head of Data", "SE"), ("raj.patel@contoso-analytics.example", "VP Analytics", "US"),
           ("chloe.martin@tailspin.example", "Marketing Operations Manager", "FR"), ("sam.okafor@gmail.com", "Student", "NG")]

def post(path, body):
    return leadrelay_api.post(base, key, path, body)

def stamp(days_ago):
    return (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")

statuses = {}
for email, title, country in signups:
    status = post("/v1/leads", {"email": email, "title": title, "country": country, "source": "web_form"})
    statuses[status] = statuses.get(status, 0) + 1
    emails.append(email)

events = []
for i, email in enumerate(emails):
    keen = i % 4 == 0
    for _ in range(random.randint(2, 14 if keen else 6)):
        kind = random.choices(["page_view", "content_download", "webinar_registered", "webinar_attended", "email_click"], [6, 2, 1, 1, 2])[0]
        event = {"email": email, "type": kind, "occurred_at": stamp(random.uniform(0, 30))}
        if kind == "page_view": event["url"] = "https://example.com" + random.choice(pages)
        if kind == "content_download": event["content"] = random.choice(content)
        events.append(event)
    if i % 9 == 4:
        events.append({"email": email, "type": "demo_request", "occurred_at": stamp(0)})
random.shuffle(events)

sent = 0
for start in range(0, len(events), 20):
    batch = events[start:start + 20]
    status = post("/v1/activities", batch)
    statuses[status] = statuses.get(status, 0) + 1
    sent += len(batch)
    print(f"\r  feed: {sent}/{len(events)} events posted", end="", flush=True)
    time.sleep(0.02)
print(f"\n  feed: HTTP answers {dict(sorted(statuses.items()))}")
