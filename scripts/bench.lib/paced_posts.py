#!/usr/bin/env python3
"""Single-lead POST /v1/leads at a steady rate, open loop, for scripts/bench.d/http and e2e.

Each request has a scheduled time (start + n / rate); a request waits for a free
keep-alive connection, so a slow server shows up as latency from the scheduled time
instead of slowing the load down. One line per answer on standard output:

    <scheduled unix time> <answered unix time> <HTTP status> <e-mail>

and `cpu <seconds>` (this process's own CPU) on standard error at the end.

usage: paced_posts.py PORT KEY RATE SECONDS CONNECTIONS plain|hot
  plain: a bare sign-up (name, company);
  hot:   a VP Analytics at a 5,000-employee US software company with $500M revenue, whose
         fit alone makes an MQL under examples/rules.yaml.
"""
import asyncio, resource, sys, time

port, key, rate, seconds, connections, kind = sys.argv[1:7]
port, rate, seconds, connections = int(port), int(rate), int(seconds), int(connections)


def lead(n):
    if kind == "hot":
        email = "vp%d@account%d.example" % (n, n % 997)
        body = ('{"email": "%s", "first_name": "Ada", "last_name": "Lovelace", "title": "VP Analytics",'
                ' "company": "Account %d", "industry": "software", "employees": "5,000", "annual_revenue": "$500M",'
                ' "country": "United States", "source": "website"}' % (email, n % 997))
    else:
        email = "paced%d@acme.io" % n
        body = '{"email": "%s", "first_name": "Ada", "company": "Acme"}' % email
    return email, body.encode()


answers = []


async def client(queue):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while True:
        item = await queue.get()
        if item is None:
            break
        n, scheduled = item
        email, body = lead(n)
        writer.write(b"POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                     + key.encode() + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        status = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        code = status.split()[1].decode() if len(status.split()) > 1 else "000"
        answers.append((scheduled, time.time(), code, email))


async def main():
    queue = asyncio.Queue()
    tasks = [asyncio.create_task(client(queue)) for _ in range(connections)]
    start = time.time() + 0.2
    for n in range(rate * seconds):
        scheduled = start + n / rate
        delay = scheduled - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((n, scheduled))
    for _ in tasks:
        queue.put_nowait(None)
    await asyncio.gather(*tasks)


asyncio.run(main())
sys.stdout.writelines(f"{s:.6f} {a:.6f} {code} {email}\n" for s, a, code, email in answers)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"cpu {usage.ru_utime + usage.ru_stime:.1f}", file=sys.stderr)
