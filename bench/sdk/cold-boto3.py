"""One application's calls through boto3 (bedrock-runtime), from a fresh process: CALLS calls, one every INTERVAL_MS
(none sooner; a late call starts at once), every STREAM_EVERY-th a ConverseStream, the rest Converse. Prints one line
per call: its number, converse|stream, microseconds to the whole answer, and to the stream's first event.

    python3 bench/sdk/cold-boto3.py ENDPOINT CALLS INTERVAL_MS STREAM_EVERY TENANT_HEADER(0|1)
"""
import sys
import time

import boto3
from botocore.config import Config

endpoint, calls, interval_ms, stream_every, tenant = sys.argv[1], *map(int, sys.argv[2:6])
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
CONVERSE = [{"role": "user", "content": [{"text": "Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]]"}]}]
STREAM = [{"role": "user", "content": [{"text": "Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:events=20]]"}]}]

client = boto3.client("bedrock-runtime", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIASIMULATOR0000001", aws_secret_access_key="simulator-secret-key",
                      config=Config(retries={"total_max_attempts": 1}))


def before_sign(request, **_):
    if tenant:
        request.headers["X-Tenant-Id"] = "acme"


client.meta.events.register("before-sign.bedrock-runtime.*", before_sign)
lines = []
next_call = time.perf_counter_ns()
for i in range(1, calls + 1):
    delay = next_call - time.perf_counter_ns()
    if delay > 0:
        time.sleep(delay / 1e9)
    start = time.perf_counter_ns()
    if i % stream_every == 0:
        first = None
        for _ in client.converse_stream(modelId=MODEL, messages=STREAM)["stream"]:
            first = first or time.perf_counter_ns()
        end = time.perf_counter_ns()
        lines.append(f"{i} stream {(end - start) // 1000} {(first - start) // 1000}")
    else:
        client.converse(modelId=MODEL, messages=CONVERSE)
        end = time.perf_counter_ns()
        lines.append(f"{i} converse {(end - start) // 1000} {(end - start) // 1000}")
    next_call = max(start + interval_ms * 1_000_000, end)
print("\n".join(lines))
