"""A sales team at work: for each assigned lead, the rep logs a call and an e-mail, then
reports how it went, through the feedback API. Each rep's luck is seeded, so runs repeat.

usage: sales.py BASE_URL API_KEY < "lead_id|stage|rep" lines"""
import random, sys

import leadrelay_api

base, key = sys.argv[1], sys.argv[2]
random.seed(5)

def post(path, body):
    return leadrelay_api.post(base, key, path, body)

outcomes = {}
for line in sys.stdin:
    lead, stage, rep = line.strip().split("|")
    post(f"/v1/leads/{lead}/activities", {"type": "call", "rep": rep, "note": "intro call"})
    post(f"/v1/leads/{lead}/activities", {"type": "email", "rep": rep, "note": "follow-up with the deck"})
    luck = random.random()
    steps = [] if stage == "sal" else [{"outcome": "accepted"}]
    if luck < 0.15:
        steps = [{"outcome": "junk", "reason": "junk"}]
    elif luck < 0.35:
        steps.append({"outcome": "recycled", "reason": "not_ready"})
    elif luck < 0.85:
        steps.append({"outcome": "qualified"})
        if luck > 0.55: steps.append({"outcome": "opportunity"})
        if luck > 0.70: steps.append({"outcome": "won", "revenue": random.choice([12000, 24000, 48000, 90000])})
    for step in steps:
        status = post(f"/v1/leads/{lead}/feedback", dict(step, rep=rep))
        name = step["outcome"] + ("" if status == 200 else f" ({status})")
        outcomes[name] = outcomes.get(name, 0) + 1
print("  sales: " + ", ".join(f"{count}× {name}" for name, count in sorted(outcomes.items())))
