// A Realtime voice session with the `ws` library (the client the openai SDK's OpenAIRealtimeWS
// and most Node voice agents use; it offers permessage-deflate, as they do). Prints the types of
// the events it got and the usage of each response.done, as JSON. WebSocketNodeClientTest runs it
// directly against a fake upstream and through Tollgate, and requires the same session both ways.
import { WebSocket } from 'ws';

const [url] = process.argv.slice(2);
const socket = new WebSocket(url, 'realtime', { headers: { Authorization: 'Bearer sk-test-key' } });
const out = { subprotocol: null, extensions: null, types: [], usage: [] };
let done = 0;

socket.on('open', () => {
  out.subprotocol = socket.protocol;
  out.extensions = socket.extensions;
});
socket.on('message', (data) => {
  const event = JSON.parse(data.toString());
  out.types.push(event.type);
  if (event.type === 'session.created') {
    socket.send(JSON.stringify({ type: 'response.create', response: { output_modalities: ['audio'] } }));
  } else if (event.type === 'response.done') {
    out.usage.push(event.response.usage);
    done += 1;
    if (done === 1) {
      socket.send(JSON.stringify({ type: 'input_audio_buffer.commit' }));
    } else {
      socket.close(1000, 'bye');
    }
  }
});
socket.on('close', (code) => {
  out.closeCode = code;
  console.log(JSON.stringify(out));
  clearTimeout(deadline);
});
socket.on('error', (err) => {
  console.error(err);
  process.exit(1);
});
const deadline = setTimeout(() => {
  console.error('timed out', JSON.stringify(out));
  process.exit(2);
}, 20_000);
