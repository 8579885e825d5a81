// Runs the same calls with the official Anthropic SDK against one base URL and prints what the
// SDK returned as JSON. AnthropicSdkTest runs it directly against a fake Anthropic and through
// Tollgate (/anthropic), and requires the two outputs to be identical.
import Anthropic from '@anthropic-ai/sdk';

const baseURL = process.argv[2];
const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL, maxRetries: 0, timeout: 20_000 });
const request = { model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] };
const out = {};

out.message = await client.messages.create(request);

out.events = [];
for await (const event of await client.messages.create({ ...request, stream: true })) {
  out.events.push(event);
}

const stream = client.messages.stream(request);
out.final = await stream.finalMessage();

out.count = await client.messages.countTokens({ model: request.model, messages: request.messages });

process.stdout.write(JSON.stringify(out));
