// Records js-v3-h2-converse.json: a converse request as the AWS SDK for JavaScript v3 signs it for HTTP/2 (frozen
// clock, known secret), captured before it is sent. Run: NODE_PATH=<its node_modules> node record-js-v3.cjs > js-v3-h2-converse.json
const FIXED = Date.parse("2026-12-04T00:30:00Z");
Date.now = () => FIXED;
const { BedrockRuntimeClient, ConverseCommand } = require("@aws-sdk/client-bedrock-runtime");
const pkg = require("@aws-sdk/client-bedrock-runtime/package.json");
const client = new BedrockRuntimeClient({ endpoint: "http://localhost:8123", region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIAFIXTURE000000001", secretAccessKey: "fixture-secret-key" } });
client.middlewareStack.add((next) => async (args) => {
  const r = args.request;
  // Over HTTP/2 :authority travels as a pseudo-header, not among the headers.
  const headers = Object.entries(r.headers).filter(([k]) => k !== ":authority");
  console.log(JSON.stringify({ client: "@aws-sdk/client-bedrock-runtime " + pkg.version + " (HTTP/2)", secret: "fixture-secret-key",
    now: "2026-12-04T00:31:00Z", method: r.method, authority: r.headers[":authority"], rawPath: r.path, rawQuery: null,
    headers, body: Buffer.from(r.body).toString("utf8") }, null, 2));
  process.exit(0);
}, { step: "finalizeRequest", priority: "low" });
client.send(new ConverseCommand({ modelId: "anthropic.claude-3-haiku-20240307-v1:0", messages: [{ role: "user", content: [{ text: "Hello from JS" }] }] }));
