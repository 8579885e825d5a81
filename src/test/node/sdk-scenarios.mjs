// Runs the same calls with the official openai SDK against one base URL and prints what the
// SDK returned as JSON. OpenAiSdkTest runs it directly against a fake upstream and through
// Tollgate, and requires the two outputs to be identical.
import OpenAI from 'openai';

const baseURL = process.argv[2];
const client = new OpenAI({ apiKey: 'sk-test-key', baseURL, maxRetries: 0, timeout: 20_000 });
const messages = [{ role: 'user', content: 'Say hi' }];
const out = {};

out.chat = await client.chat.completions.create({ model: 'gpt-4o', messages });

out.chatStream = [];
for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true })) {
  out.chatStream.push(chunk);
}

out.responses = await client.responses.create({ model: 'o3', input: 'Say hi' });

out.responsesStream = [];
for await (const event of await client.responses.create({ model: 'o3', input: 'Say hi', stream: true })) {
  out.responsesStream.push(event);
}

const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
out.embeddings = { ...embedding, data: embedding.data.map((d) => ({ ...d, embedding: Array.from(d.embedding) })) };

try {
  await client.chat.completions.create({ model: 'rate-limited', messages });
  out.rateLimited = 'no error raised';
} catch (e) {
  out.rateLimited = { name: e.constructor.name, status: e.status, error: e.error, code: e.code, type: e.type, requestID: e.requestID };
}

process.stdout.write(JSON.stringify(out));
