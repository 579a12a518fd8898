// One application's calls through the AWS SDK for JavaScript v3 (HTTP/2, also to an http:// endpoint), from a
// fresh process: as bench/sdk/cold-boto3.py, same arguments and output. NODE_PATH names the SDK's node_modules.
const { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } = require("@aws-sdk/client-bedrock-runtime");

const [endpoint, calls, intervalMs, streamEvery, tenant] = [process.argv[2], ...process.argv.slice(3, 7).map(Number)];
const modelId = "anthropic.claude-3-haiku-20240307-v1:0";
const converse = [{ role: "user", content: [{ text: "Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]]" }] }];
const stream = [{ role: "user", content: [{ text: "Hello [[sim:input-tokens=120]] [[sim:output-tokens=40]] [[sim:events=20]]" }] }];

const client = new BedrockRuntimeClient({
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIASIMULATOR0000001", secretAccessKey: "simulator-secret-key" },
});
client.middlewareStack.add((next) => (args) => {
  if (tenant) args.request.headers["x-tenant-id"] = "acme";
  return next(args);
}, { step: "build" });

const now = () => process.hrtime.bigint();
const sleep = (ns) => new Promise((resolve) => setTimeout(resolve, Number(ns) / 1e6));
(async () => {
  const lines = [];
  let nextCall = now();
  for (let i = 1; i <= calls; i++) {
    const delay = nextCall - now();
    if (delay > 0n) await sleep(delay);
    const start = now();
    let end;
    if (i % streamEvery === 0) {
      let first;
      const response = await client.send(new ConverseStreamCommand({ modelId, messages: stream }));
      for await (const _ of response.stream) first ??= now();
      end = now();
      lines.push(`${i} stream ${(end - start) / 1000n} ${(first - start) / 1000n}`);
    } else {
      await client.send(new ConverseCommand({ modelId, messages: converse }));
      end = now();
      lines.push(`${i} converse ${(end - start) / 1000n} ${(end - start) / 1000n}`);
    }
    nextCall = start + BigInt(intervalMs) * 1000000n > end ? start + BigInt(intervalMs) * 1000000n : end;
  }
  console.log(lines.join("\n"));
  client.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
