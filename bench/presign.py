"""Signs one Bedrock Runtime POST as the simulator's caller (SigV4, botocore): prints the headers to send with it,
one "Name: value" a line, for load generators that cannot sign (wrk). A signature is good for 15 minutes.

    python3 bench/presign.py URL BODY_FILE
"""
import hashlib
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

url, body_file = sys.argv[1], sys.argv[2]
with open(body_file, "rb") as f:
    body = f.read()
# The body's hash signed as a header, as the Java SDK sends it: the simulator's verifier needs it (botocore alone
# leaves it out, and the verifier then refuses the signature).
request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": "application/json",
                                                                 "X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()})
SigV4Auth(Credentials("AKIASIMULATOR0000001", "simulator-secret-key"), "bedrock", "us-east-1").add_auth(request)
for name in ("Content-Type", "X-Amz-Content-SHA256", "X-Amz-Date", "Authorization"):
    print(f"{name}: {request.headers[name]}")
