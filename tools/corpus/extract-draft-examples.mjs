#!/usr/bin/env node
// Copies the example messages of draft-qsip-core-03 section 5 into
// tests/corpus/valid/, and the general format of section 4.1 (a template, not
// a message) into tests/corpus/invalid/. `//` comments are stripped (wire
// profile 8); everything else is kept byte for byte as the draft writes it.
//
// usage: node tools/corpus/extract-draft-examples.mjs [--check] [path/to/draft.md]
//        (default: ../shared/spec/draft-qsip-core-03.md next to the repository)
//   --check: write nothing, exit 1 if a committed file differs from the draft.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const draftPath = process.argv.slice(2).find((a) => a !== '--check') ?? resolve(root, '..', 'shared', 'spec', 'draft-qsip-core-03.md');
const lines = readFileSync(draftPath, 'utf8').split('\n');

// Sections with several examples: the name part of each example, in order.
const whats = {
  '5.7': ['hold', 'start-screenshare'],
  '5.9': ['text', 'file', 'card', 'carousel'],
  '5.41': ['thread-summary', 'bot-output'],
};

// Removes a `//` comment that stands outside a JSON string, and the blanks before it.
function stripComment(line) {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i).replace(/[ \t]+$/, '');
  }
  return line;
}

const examples = [];  // {section, type, text}
let section = null, type = null;
for (let i = 0; i < lines.length; i++) {
  const h = /^### (\d+\.\d+)\. (.*)$/.exec(lines[i]);
  if (h) { section = h[1]; type = h[2].trim(); continue; }
  if (lines[i] === '```json' && section && (section === '4.1' || section.startsWith('5.'))) {
    const body = [];
    for (i++; lines[i] !== '```'; i++) body.push(stripComment(lines[i]));
    examples.push({ section, type, text: body.join('\n') + '\n' });
  }
}

const valid = join(root, 'tests', 'corpus', 'valid');
const invalid = join(root, 'tests', 'corpus', 'invalid');
mkdirSync(valid, { recursive: true });
mkdirSync(invalid, { recursive: true });

let count = 0, differ = 0;
const seen = {};
function write(path, text) {
  if (!check) return writeFileSync(path, text);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) { console.error(`differs: ${path}`); differ++; }
}
for (const ex of examples) {
  if (ex.section === '4.1') {
    write(join(invalid, '4002-envelope-general-format-template.json'), ex.text);
    continue;
  }
  JSON.parse(ex.text);  // every stripped example must be JSON
  const [, minor] = ex.section.split('.');
  const nn = `05.${minor.padStart(2, '0')}`;
  const k = (seen[ex.section] = (seen[ex.section] ?? 0) + 1) - 1;
  const what = whats[ex.section]?.[k];
  if (whats[ex.section] && !what) throw new Error(`section ${ex.section}: more examples than names`);
  const name = what ? `${nn}-${ex.type}-${what}.json` : `${nn}-${ex.type}.json`;
  write(join(valid, name), ex.text);
  count++;
}
if (count !== 52) throw new Error(`expected 52 examples in section 5, found ${count}`);
if (differ) process.exit(1);
console.log(`extract-draft-examples: ${count} examples -> tests/corpus/valid, template -> tests/corpus/invalid${check ? ' (checked)' : ''}`);
