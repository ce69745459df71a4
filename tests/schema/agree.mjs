#!/usr/bin/env node
// Schema agreement: the JSON Schemas of docs/schemas/ (checked by ajv, JSON
// Schema draft 2020-12) must say the same as the C++ validators on every file
// of the conformance corpora.
//
// usage: node tests/schema/agree.mjs --schemas docs/schemas --corpus tests/corpus --cpp-verdicts FILE
//
// FILE holds one JSON object a line, written by the C++ side:
//   {"file": "<path relative to the corpus dir>", "valid": true|false, "code": <number or null>}
//
// For every file of <corpus>/valid and <corpus>/invalid this script decides by
// itself, first with the wire-level checks that JSON Schema cannot express
// (exactly as the C++ side makes them: more than 65,536 bytes, invalid UTF-8
// or a byte order mark, not JSON, nesting deeper than 64, an envelope id of
// more than 256 bytes), then with ajv against the envelope schema. It reports, one line each:
//   - a file whose verdict here differs from the C++ verdict (DISAGREE);
//   - a file of valid/ found invalid, or of invalid/ found valid, here (CORPUS)
//     or by the C++ side (CPP);
//   - an invalid file whose C++ code is not the code its name starts with (CODE);
//   - a corpus file with no C++ verdict, or a verdict for no corpus file (MISSING, UNKNOWN).
// Exit status 1 if anything was reported, else 0 after a summary line.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_FRAME_BYTES = 65536;  // wire profile 2
const MAX_DEPTH = 64;           // src/core/wire_limits.hpp kMaxJsonDepth
const MAX_ID_BYTES = 256;       // wire profile 6
const ENVELOPE_ID = 'https://schemas.qsip.invalid/1.0/envelope.schema.json';

function usage(message) {
  if (message) console.error(`agree.mjs: ${message}`);
  console.error('usage: node tests/schema/agree.mjs --schemas DIR --corpus DIR --cpp-verdicts FILE');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(schemas|corpus|cpp-verdicts)(?:=(.*))?$/.exec(a);
    if (!m) usage(`unknown argument ${a}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) usage(`${a} needs a value`);
    opts[m[1]] = value;
  }
  for (const k of ['schemas', 'corpus', 'cpp-verdicts']) if (!opts[k]) usage(`--${k} is required`);
  return opts;
}

// ajv lives in node/node_modules (installed by scripts/install-deps).
function loadAjv() {
  const require = createRequire(join(repo, 'node', 'package.json'));
  try {
    const mod = require('ajv/dist/2020');
    return mod.default ?? mod.Ajv2020 ?? mod;
  } catch (e) {
    console.error(`agree.mjs: cannot load ajv from node/node_modules (run scripts/install-deps): ${e.message}`);
    process.exit(2);
  }
}

function loadSchemas(dir) {
  const Ajv2020 = loadAjv();
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (!files.length) usage(`no *.json schema in ${dir}`);
  for (const f of files) {
    let schema;
    try {
      schema = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch (e) {
      console.error(`agree.mjs: ${join(dir, f)}: ${e.message}`);
      process.exit(2);
    }
    ajv.addSchema(schema);
  }
  let validate;
  try {
    validate = ajv.getSchema(ENVELOPE_ID);
  } catch (e) {
    console.error(`agree.mjs: cannot compile ${ENVELOPE_ID}: ${e.message}`);
    process.exit(2);
  }
  if (!validate) usage(`no schema with $id ${ENVELOPE_ID} in ${dir}`);
  return { validate, count: files.length };
}

// Nesting depth of objects and arrays, the top-level value counting as 1.
// Iterative over the parsed value, so that 10,000 levels cost no stack.
function depthOf(value) {
  let max = 0;
  const stack = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

// Bracket depth of the raw text, outside strings: JSON.parse itself recurses,
// so text nested too deep is refused before it is parsed.
function textDepth(text) {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;            // backslash
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) { if (++depth > max) max = depth; }
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

// Ids are 1 to 256 *bytes* of UTF-8 (wire profile 6); JSON Schema's maxLength
// counts characters, so the byte bound of the envelope's ids is checked here.
// (The schemas' maxLength 256 still bounds them in characters.)
function overlongEnvelopeId(msg) {
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return null;
  const long = (v) => typeof v === 'string' && Buffer.byteLength(v, 'utf8') > MAX_ID_BYTES;
  if (long(msg.message_id)) return 'message_id';
  if (long(msg.session_id)) return 'session_id';
  for (const part of ['from', 'to']) {
    const o = msg[part];
    if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
    for (const k of part === 'from' ? ['user_id', 'device_id'] : ['user_id', 'group_id', 'call_center_id', 'server_id', 'channel_id', 'device_id'])
      if (long(o[k])) return `${part}.${k}`;
  }
  return null;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// {valid, why}: this script's own verdict on the bytes of one file.
function judge(bytes, validate) {
  if (bytes.length > MAX_FRAME_BYTES) return { valid: false, why: `${bytes.length} bytes, more than ${MAX_FRAME_BYTES}` };
  let text;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { valid: false, why: 'invalid UTF-8' };
  }
  if (textDepth(text) > MAX_DEPTH) return { valid: false, why: `nested deeper than ${MAX_DEPTH}` };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { valid: false, why: `not JSON (${e.message})` };
  }
  const depth = depthOf(value);
  if (depth > MAX_DEPTH) return { valid: false, why: `nested ${depth} deep, more than ${MAX_DEPTH}` };
  const longId = overlongEnvelopeId(value);
  if (longId) return { valid: false, why: `${longId}: more than ${MAX_ID_BYTES} bytes` };
  if (validate(value)) return { valid: true, why: '' };
  const e = validate.errors?.[0];
  return { valid: false, why: e ? `schema: ${e.instancePath || '/'} ${e.message} (${e.schemaPath})` : 'schema' };
}

function corpusFiles(corpus) {
  const out = [];
  for (const sub of ['valid', 'invalid']) {
    const dir = join(corpus, sub);
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isFile() && (f.endsWith('.json') || f.endsWith('.bin')))
        out.push({ rel: `${sub}/${f}`, path: p, expectValid: sub === 'valid', name: f });
    }
  }
  return out;
}

function loadVerdicts(file) {
  const verdicts = new Map();
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let v;
    try {
      v = JSON.parse(line);
    } catch (e) {
      console.error(`agree.mjs: ${file}:${i + 1}: ${e.message}`);
      process.exit(2);
    }
    if (typeof v.file !== 'string' || typeof v.valid !== 'boolean') {
      console.error(`agree.mjs: ${file}:${i + 1}: needs "file" (string) and "valid" (boolean)`);
      process.exit(2);
    }
    verdicts.set(v.file.split(sep).join('/').replace(/^\.\//, ''), v);
  });
  return verdicts;
}

const opts = parseArgs(process.argv.slice(2));
const { validate, count: schemaCount } = loadSchemas(resolve(opts.schemas));
const corpus = resolve(opts.corpus);
const verdicts = loadVerdicts(resolve(opts['cpp-verdicts']));
const files = corpusFiles(corpus);

const problems = [];
const seen = new Set();
let agreeCount = 0;
for (const f of files) {
  seen.add(f.rel);
  const mine = judge(readFileSync(f.path), validate);
  const word = (v) => (v ? 'valid' : 'invalid');
  if (mine.valid !== f.expectValid)
    problems.push(`CORPUS    ${f.rel}: schemas say ${word(mine.valid)}${mine.why ? ` (${mine.why})` : ''}`);
  const cpp = verdicts.get(f.rel);
  if (!cpp) {
    problems.push(`MISSING   ${f.rel}: no C++ verdict`);
    continue;
  }
  if (cpp.valid !== mine.valid)
    problems.push(`DISAGREE  ${f.rel}: schemas say ${word(mine.valid)}${mine.why ? ` (${mine.why})` : ''}, C++ says ${word(cpp.valid)}` +
                  (cpp.code != null ? ` (${cpp.code})` : ''));
  else agreeCount++;
  if (cpp.valid !== f.expectValid) problems.push(`CPP       ${f.rel}: C++ says ${word(cpp.valid)}`);
  if (!f.expectValid && !cpp.valid) {
    const expected = Number(f.name.slice(0, 4));
    if (cpp.code !== expected) problems.push(`CODE      ${f.rel}: C++ answers ${cpp.code}, the file name says ${expected}`);
  }
}
for (const rel of verdicts.keys())
  if (!seen.has(rel)) problems.push(`UNKNOWN   ${rel}: C++ verdict for a file not in the corpus`);

for (const p of problems) console.log(p);
const nValid = files.filter((f) => f.expectValid).length;
if (problems.length) {
  console.log(`agree: ${problems.length} problem(s) over ${files.length} files (${nValid} valid, ${files.length - nValid} invalid), ${schemaCount} schemas`);
  process.exit(1);
}
console.log(`agree: schemas and C++ agree on all ${files.length} files (${nValid} valid, ${files.length - nValid} invalid), ${schemaCount} schemas`);
