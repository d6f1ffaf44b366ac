// The shape of the code base, as the structure issue counts it: files over 500 lines, functions over
// 100 lines, and copies of the restricted-information signal's text. `npx tsx test/tools/structure.ts`
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('server/drizzle/'));

const longFiles: string[] = [];
const longFunctions: string[] = [];
let signalCopies = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length;
  if (lines > 500) longFiles.push(`${file} (${lines})`);
  if (!file.startsWith('test/')) signalCopies += (text.match(/holds restricted information/g) ?? []).length;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > 100) {
        let name = ts.isFunctionDeclaration(node) && node.name ? node.name.text : '';
        if (!name && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name))
          name = node.parent.name.text;
        if (!name && ts.isPropertyAssignment(node.parent)) name = node.parent.name.getText();
        if (!name && ts.isCallExpression(node.parent))
          name = `${node.parent.expression.getText().slice(0, 30)}(…)`;
        longFunctions.push(`${file}:${start + 1} ${name || '(anonymous)'} (${end - start + 1})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
const src = (l: string[]) => l.filter((x) => !x.startsWith('test/'));
console.log(`files over 500 lines: ${longFiles.length} (${src(longFiles).length} outside test/)`);
for (const f of longFiles) console.log(`  ${f}`);
console.log(`functions over 100 lines: ${longFunctions.length} (${src(longFunctions).length} outside test/)`);
for (const f of longFunctions) console.log(`  ${f}`);
console.log(`copies of the signal text outside test/: ${signalCopies}`);
