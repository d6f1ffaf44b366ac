// Every relative link and image in the README and docs/ points at a file that exists: a renamed guide or
// a screenshot not yet made fails here, not in a reader's browser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/hub-process.js';

const documents = [
  'README.md',
  ...readdirSync(path.join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f)),
];

/** The targets of [text](target) and ![alt](target), outside code blocks and code spans. */
const targetsOf = (markdown: string): string[] =>
  [
    ...markdown
      .replace(/```[\s\S]*?```/g, '')
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g),
  ].map((m) => m[1]!);

describe('links in the documentation', () => {
  it.each(documents)('%s links only to files that exist', (doc) => {
    const text = readFileSync(path.join(repoRoot, doc), 'utf8');
    const broken = targetsOf(text)
      .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
      .map((t) => decodeURIComponent(t.split('#')[0]!))
      .filter((t) => !existsSync(path.resolve(path.dirname(path.join(repoRoot, doc)), t)));
    expect(broken).toEqual([]);
  });
});
