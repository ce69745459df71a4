#!/usr/bin/env node
// Interop with a QUIC stack no one here wrote: Cloudflare's quiche, through
// the npm package @matrixai/quic, against a running qsipd.
//   node quiche-interop.mjs HOST PORT
// Checks: the handshake with ALPN qsip/1; a framed PRESENCE sent before
// REGISTER is answered with ERROR 4015 on the same stream; a DATAGRAM on the
// echo flow (wire-format.md 7) goes to the server and comes back.
// Exits 0 when all hold; prints what failed and exits 1 otherwise.
import { webcrypto } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The package is installed project-locally (tools/node) by scripts/install-deps.
const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', '..', 'node', 'node_modules', '@matrixai', 'quic', 'dist', 'index.js');
const { QUICClient } = await import(pathToFileURL(entry).href);

const [host = '127.0.0.1', portText = '4433'] = process.argv.slice(2);
const port = Number(portText);
const ECHO_FLOW = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];  // varint 2^62-1

function fail(what) {
  console.error(`quiche-interop: FAIL: ${what}`);
  process.exit(1);
}
function varint(n) {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}
function readVarint(buf) {
  const len = 1 << (buf[0] >> 6);
  if (buf.length < len) return null;
  let v = buf[0] & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + buf[i];
  return { value: v, size: len };
}

const crypto = {
  ops: {
    async randomBytes(data) {
      webcrypto.getRandomValues(new Uint8Array(data));
    },
  },
};

const timeout = setTimeout(() => fail('timed out after 20 s'), 20000);
let client;
try {
  client = await QUICClient.createQUICClient({
    host,
    port,
    crypto,
    config: {
      applicationProtos: ['qsip/1'],
      verifyPeer: false,
      maxIdleTimeout: 10000,
      enableDgram: [true, 64, 64],
    },
  });
} catch (e) {
  fail(`handshake: ${e?.message ?? e}`);
}
console.log('quiche-interop: handshake with ALPN qsip/1 done');

// A framed message, answered on the same stream.
const stream = client.connection.newStream('bidi');
const presence = JSON.stringify({
  qsip_version: '1.0',
  message_id: 'interop-presence-1',
  timestamp: new Date().toISOString(),
  from: { user_id: 'u-interop', device_id: 'd-quiche' },
  to: {},
  type: 'PRESENCE',
  payload: { status: 'available' },
});
const body = Buffer.from(presence, 'utf8');
const writer = stream.writable.getWriter();
await writer.write(Buffer.concat([varint(body.length), body]));
const reader = stream.readable.getReader();
let received = Buffer.alloc(0);
let answer;
while (!answer) {
  const { value, done } = await reader.read();
  if (done) fail('stream ended before an answer');
  received = Buffer.concat([received, Buffer.from(value)]);
  const head = readVarint(received);
  if (head && received.length >= head.size + head.value) {
    answer = JSON.parse(received.subarray(head.size, head.size + head.value).toString('utf8'));
  }
}
if (answer.type !== 'ERROR' || answer.payload?.code !== 4015 || answer.payload?.target_message_id !== 'interop-presence-1')
  fail(`unexpected answer ${JSON.stringify(answer)}`);
console.log('quiche-interop: framed PRESENCE answered with ERROR 4015 RegistrationRequired');

// A datagram each way, on the echo flow.
const conn = client.connection.conn;  // quiche's connection under the wrapper
const payload = Buffer.concat([Buffer.from(ECHO_FLOW), Buffer.from('qsip-interop-datagram')]);
let echoed = null;
for (let attempt = 0; attempt < 50 && !echoed; attempt++) {
  if (attempt % 10 === 0) {
    conn.dgramSend(payload);
    await client.connection.send();
  }
  await new Promise((r) => setTimeout(r, 100));
  const got = conn.dgramRecvVec();
  if (got) echoed = Buffer.from(got);
}
if (!echoed) fail('no datagram came back on the echo flow');
if (!echoed.equals(payload)) fail(`datagram changed on the way: ${echoed.toString('hex')}`);
console.log('quiche-interop: datagram sent and echoed back');

await writer.close().catch(() => {});
await client.destroy({ force: true });
clearTimeout(timeout);
console.log('quiche-interop: OK');
process.exit(0);
