// The shell blocks of a Markdown document, in order, with how the docs test is to treat each: an HTML
// comment on the line before a block (blank lines between allowed) says
// `<!-- docs-test: skip (why) -->` or `<!-- docs-test: exit 3 (why) -->`.

export type ShellBlock = {
  /** 1-based, counting the document's shell blocks only. */
  number: number;
  /** The document line of the block's first line of code. */
  firstLine: number;
  code: string;
  /** Why the block is not run, when it is marked so. */
  skip?: string;
  /** The exit status the block is documented to end with, when it is not 0. */
  expectExit?: number;
};

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);
const MARKER = /^<!--\s*docs-test:\s*(skip|exit\s+(\d+))\b\s*(.*?)\s*-->$/;

export const extractShellBlocks = (markdown: string): ShellBlock[] => {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '```', language = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim().startsWith(fence)) {
      const line = lines[j]!;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
      j++;
    }
    if (SHELL_LANGUAGES.has(language)) {
      let k = i - 1;
      while (k >= 0 && lines[k]!.trim() === '') k--;
      const marker = k >= 0 ? MARKER.exec(lines[k]!.trim()) : null;
      blocks.push({
        number: blocks.length + 1,
        firstLine: i + 2,
        code: body.join('\n'),
        ...(marker?.[1] === 'skip' ? { skip: marker[3] || 'marked skip' } : {}),
        ...(marker?.[2] ? { expectExit: Number(marker[2]) } : {}),
      });
    }
    i = j;
  }
  return blocks;
};
