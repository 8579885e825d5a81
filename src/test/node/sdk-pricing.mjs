// Makes the calls issue 3 prices, through Tollgate, with the official openai SDK, and prints what
// the SDK saw (bodies, stream chunks, Tollgate's request ids). SdkPricingTest checks the prices.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'sk-test-key', baseURL: process.argv[2], maxRetries: 0, timeout: 20_000 });
const messages = [{ role: 'user', content: 'What is the answer?' }];
const out = {};

async function call(name, promise) {
  const { data, response } = await promise.withResponse();
  out[name] = { id: response.headers.get('x-tollgate-request-id'), body: data };
}

await call('chatO3', client.chat.completions.create({ model: 'o3', messages }));
await call('responsesFlex', client.responses.create({ model: 'o3', input: 'Summarise', service_tier: 'flex' }));
const { data: stream, response } = await client.chat.completions
  .create({ model: 'gpt-4o-mini', messages, stream: true })
  .withResponse();
const chunks = [];
for await (const chunk of stream) {
  chunks.push(chunk);
}
out.streamNoUsage = { id: response.headers.get('x-tollgate-request-id'), chunks };
await call('unknownModel', client.chat.completions.create({ model: 'acme-llm-7b', messages }));

process.stdout.write(JSON.stringify(out));
