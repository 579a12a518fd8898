"""N concurrent idle ConverseStreams through the proxy (bench/idle-streams.sh): opens them all, each on its own
connection, waits until every one has received its first event (the simulator then pauses for minutes), holds
them, and reports how many made it and how long that took. Raw HTTP/1.1 on asyncio: thousands of SDK clients would
measure the client, not the proxy.

    python3 bench/idle-streams.py <port> <streams> <hold seconds>
"""
import asyncio
import sys
import time

BODY = b'{"messages":[{"role":"user","content":[{"text":"Hi [[sim:events=2]] [[sim:pause-ms=600000]]"}]}]}'
REQUEST = (b"POST /model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream HTTP/1.1\r\n"
           b"Host: 127.0.0.1\r\nX-Tenant-Id: soak\r\nContent-Type: application/json\r\n"
           b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)


async def stream(port, opened, first_events, failures, hold):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as e:
        failures.append("connect: %s" % e)
        return
    opened.append(1)
    try:
        writer.write(REQUEST)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 120)
        if not head.startswith(b"HTTP/1.1 200"):
            failures.append(head.split(b"\r\n")[0].decode())
            return
        await asyncio.wait_for(reader.read(64), 120)  # (a chunk of the first event)
        first_events.append(time.monotonic())
        await hold.wait()
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
        failures.append(type(e).__name__)
    finally:
        writer.close()


async def main(port, n, hold_seconds):
    opened, first_events, failures = [], [], []
    hold = asyncio.Event()
    start = time.monotonic()
    tasks = []
    for i in range(n):  # 500 a batch, so that the listen backlog is not the limit measured
        tasks.append(asyncio.create_task(stream(port, opened, first_events, failures, hold)))
        if i % 500 == 499:
            await asyncio.sleep(0.2)
    while len(first_events) + len(failures) < n and time.monotonic() - start < 300:
        await asyncio.sleep(0.5)
    took = time.monotonic() - start
    print("streams %d: connected %d, first event %d, failed %d; all in %.1f s"
          % (n, len(opened), len(first_events), len(failures), took), flush=True)
    for failure in sorted(set(failures))[:5]:
        print("  failure: %s (%d)" % (failure, failures.count(failure)), flush=True)
    print("holding", flush=True)  # (the script samples the proxy now)
    await asyncio.sleep(hold_seconds)
    hold.set()
    await asyncio.gather(*tasks)
    return 0 if len(first_events) == n else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))))
