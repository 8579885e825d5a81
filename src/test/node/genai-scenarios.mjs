// Runs the same calls with Google's GenAI SDK against one base URL and prints what the SDK
// returned as JSON. GeminiSdkTest runs it directly against a fake Gemini and through Tollgate
// (/gemini), and requires the two outputs to be identical.
import { GoogleGenAI } from '@google/genai';

const baseUrl = process.argv[2];
const ai = new GoogleGenAI({ apiKey: 'goog-test', httpOptions: { baseUrl } });
const model = 'gemini-2.5-pro';
const contents = 'Hello';
const out = {};

const json = await ai.models.generateContent({ model, contents });
out.message = { text: json.text, usageMetadata: json.usageMetadata, modelVersion: json.modelVersion, candidates: json.candidates };

out.chunks = [];
for await (const chunk of await ai.models.generateContentStream({ model, contents })) {
  out.chunks.push({ text: chunk.text, usageMetadata: chunk.usageMetadata, modelVersion: chunk.modelVersion });
}

const counted = await ai.models.countTokens({ model, contents });
out.count = { totalTokens: counted.totalTokens };

process.stdout.write(JSON.stringify(out));
