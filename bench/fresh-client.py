#!/usr/bin/env python3
"""A simple kept-alive client for bench/startup-footprint.sh: Converse calls one at a time over one
http.client connection, as an application at a sidecar's typical rate makes them.

  fresh-client.py PORT CALLS INTERVAL_MS [sign]

Prints one line per call: its number and its latency in microseconds (send to full body read). With
"sign" every request is signed with the simulator's key (botocore's SigV4, done before the clock
starts) for calls straight to the simulator; without, it carries X-Tenant-Id as the proxy expects.
An answer other than 200 stops the run with its status on stderr: a figure over errors is no figure.
"""
import http.client
import sys
import time

port, calls, interval_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sign = len(sys.argv) > 4 and sys.argv[4] == "sign"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
PATH = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
BODY = b'{"messages":[{"role":"user","content":[{"text":"Hello from a fresh-proxy bench"}]}],' \
       b'"inferenceConfig":{"maxTokens":64}}'

signer = None
if sign:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    import hashlib
    BODY_SHA256 = hashlib.sha256(BODY).hexdigest()  # signed, as the AWS SDK for Java v2 does
    signer = SigV4Auth(Credentials("AKIASIMULATOR0000001", "simulator-secret-key"), "bedrock", "us-east-1")


def headers():
    if signer is None:
        return {"Content-Type": "application/json", "X-Tenant-Id": "acme"}
    req = AWSRequest(method="POST", url=f"http://127.0.0.1:{port}{PATH}", data=BODY,
                     headers={"Content-Type": "application/json", "X-Amz-Content-Sha256": BODY_SHA256})
    signer.add_auth(req)
    return dict(req.headers.items())


conn = http.client.HTTPConnection("127.0.0.1", port)
out = sys.stdout
next_at = time.perf_counter()
for i in range(1, calls + 1):
    h = headers()
    if interval_ms > 0:
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        next_at = max(next_at + interval_ms / 1000, time.perf_counter())
    start = time.perf_counter_ns()
    conn.request("POST", PATH, body=BODY, headers=h)
    response = conn.getresponse()
    response_body = response.read()
    micros = (time.perf_counter_ns() - start) // 1000
    if response.status != 200:
        sys.stderr.write(f"call {i}: HTTP {response.status} {response_body[:200]!r}\n")
        sys.exit(1)
    out.write(f"{i} {micros}\n")
out.flush()
