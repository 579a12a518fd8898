# Records botocore-converse.json: a converse request as boto3 signs it (frozen signing time, known secret),
# captured before it is sent. Run: python3 record-botocore.py > botocore-converse.json
import datetime, json, sys
from unittest import mock
from urllib.parse import urlsplit
import boto3, botocore

FIXED = datetime.datetime(2026, 12, 4, 0, 30, 0, tzinfo=datetime.timezone.utc)
out = {}

def capture(request, **kw):
    u = urlsplit(request.url)
    out.update(client="botocore " + botocore.__version__, secret="fixture-secret-key", now="2026-12-04T00:31:00Z",
               method=request.method, authority=u.netloc, rawPath=u.path, rawQuery=u.query or None,
               headers=[[k, v.decode() if isinstance(v, bytes) else v] for k, v in request.headers.items()],
               body=request.body.decode() if isinstance(request.body, bytes) else request.body)
    raise SystemExit(0)

c = boto3.client("bedrock-runtime", endpoint_url="http://localhost:8123", aws_access_key_id="AKIAFIXTURE000000001",
                 aws_secret_access_key="fixture-secret-key", region_name="us-east-1")
c.meta.events.register("before-send", capture)
with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
    try:
        c.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0",
                   messages=[{"role": "user", "content": [{"text": "Hello from boto3"}]}])
    except SystemExit:
        pass
json.dump(out, sys.stdout, indent=2)
