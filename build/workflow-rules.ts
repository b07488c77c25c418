import { load } from 'js-yaml';

/*
 * The house's rules for GitHub Actions workflows, beyond what actionlint checks (lint-workflows.ts
 * runs both): every action pinned by commit, and the release key kept in a job of its own that
 * installs nothing from a registry, in a workflow that runs only for tags.
 */

/** The secret that signs the update lists (README, "Rilascio"). */
export const SIGNING_SECRET = 'SPORTELLO_UPDATE_SIGNING_KEY';

/** What the signing job may use: Node's own setup, the checkout and the artifacts; nothing that installs. */
const SIGNING_ACTIONS = new Set([
  'actions/checkout',
  'actions/setup-node',
  'actions/download-artifact',
  'actions/upload-artifact',
]);

/** A command that installs or runs packages from a registry. */
const INSTALLS = /(^|[\s;&|(])(npm|npx|pnpm|pnpx|yarn|corepack|bun|bunx|pip|pip3|gem|cargo)(\s|$)/m;

export interface WorkflowProblem {
  line: number;
  message: string;
}

interface Step {
  uses?: unknown;
  run?: unknown;
  with?: Record<string, unknown>;
}

interface Job {
  uses?: unknown;
  needs?: unknown;
  steps?: Step[];
}

/** The problems of one workflow's text; [] when it keeps the rules. */
export function workflowProblems(text: string): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const lines = text.split('\n');
  const lineOf = (needle: string, from = 0) => {
    const at = lines.findIndex((l, i) => i >= from && l.includes(needle));
    return at < 0 ? 1 : at + 1;
  };
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch {
    // actionlint reports the syntax error with its place; nothing more to say here.
    return problems;
  }
  const workflow = (parsed ?? {}) as { on?: unknown; jobs?: Record<string, Job> };
  const jobs = Object.entries(workflow.jobs ?? {});

  let cursor = 0;
  for (const [name, job] of jobs) {
    const uses = [job.uses, ...(job.steps ?? []).map((s) => s.uses)].filter(
      (u): u is string => typeof u === 'string',
    );
    for (const action of uses) {
      // The same action twice in a file: each at its own line, in order.
      cursor = lineOf(`uses: ${action}`, cursor);
      if (!pinned(action))
        problems.push({
          line: cursor,
          message: `${name}: «${action}» non è fissata a un commit: usate lo SHA di 40 caratteri, con il tag in un commento`,
        });
    }
  }

  const signing = jobs.filter(([, job]) => JSON.stringify(job).includes(`secrets.${SIGNING_SECRET}`));
  for (const [name, job] of signing) {
    const at = lineOf(`${name}:`);
    for (const step of job.steps ?? []) {
      if (typeof step.run === 'string' && INSTALLS.test(step.run))
        problems.push({
          line: lineOf(step.run.split('\n')[0]!, at),
          message: `${name}: il job che firma con ${SIGNING_SECRET} non installa né esegue pacchetti da un registro (${step.run.split('\n')[0]})`,
        });
      if (typeof step.uses === 'string') {
        const action = step.uses.replace(/@.*$/, '');
        if (!SIGNING_ACTIONS.has(action))
          problems.push({
            line: lineOf(step.uses, at),
            message: `${name}: il job che firma usa solo ${[...SIGNING_ACTIONS].join(', ')}, non ${action}`,
          });
        if (step.with && 'cache' in step.with)
          problems.push({
            line: lineOf(step.uses, at),
            message: `${name}: il job che firma non usa cache (${action} con cache)`,
          });
      }
    }
    if (typeof job.uses === 'string')
      problems.push({ line: at, message: `${name}: il job che firma non richiama altri workflow` });
  }
  if (signing.length) {
    const on = typeof workflow.on === 'object' && workflow.on ? (workflow.on as Record<string, unknown>) : {};
    const push = (on.push ?? {}) as Record<string, unknown>;
    const triggers = Object.keys(on).filter((t) => t !== 'push' && t !== 'workflow_dispatch');
    if (
      typeof workflow.on !== 'object' ||
      triggers.length ||
      !push.tags ||
      push.branches ||
      push['branches-ignore']
    )
      problems.push({
        line: lineOf('on:'),
        message: `il workflow che firma con ${SIGNING_SECRET} parte solo da un tag (push: tags) o a mano, mai da un ramo o da una pull request`,
      });
  }
  return problems;
}

/** owner/repo[/path]@<40 hex>, a local action, or a Docker image by digest. */
function pinned(action: string): boolean {
  if (action.startsWith('./')) return true;
  if (action.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(action);
  return /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(action);
}
