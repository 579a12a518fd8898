"""Time to a stream's first event, one kept-alive HTTP/1.1 connection, calls one after the other: from sending the
request to the first bytes of the response body (Bedrock's first event-stream frame, or an OpenAI-format gateway's
first `data:` line), each stream then read to its end; for a Converse call, the time to its answer. Prints the
median and the 99th percentile over the calls after WARMUP, in microseconds.

    python3 bench/first-event.py HOST PORT PATH BODY_FILE HEADERS_FILE CALLS WARMUP
"""
import http.client
import statistics
import sys
import time

host, port, path, body_file, headers_file = sys.argv[1:6]
calls, warmup = int(sys.argv[6]), int(sys.argv[7])
body = open(body_file, "rb").read()
headers = dict(line.rstrip("\n").split(": ", 1) for line in open(headers_file) if ": " in line)
connection = http.client.HTTPConnection(host, int(port))
firsts = []
for i in range(warmup + calls):
    start = time.perf_counter_ns()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"status {response.status}: {response.read()[:300]!r}")
    first = response.read1(65536)
    firsts.append(time.perf_counter_ns() - start)
    if not first:
        sys.exit("empty stream")
    response.read()  # the rest (read1 alone never closes a response whose length it has read exactly)
measured = sorted(firsts[warmup:])
print(f"{statistics.median(measured) / 1000:.0f} {measured[int(0.99 * (len(measured) - 1))] / 1000:.0f}")
