/**
 * Faults the simulator can inject, to prove the client against what real networks do.
 * "after" faults let the request take effect first: the client sees a failure although the
 * server committed, which is exactly the case that must never lead to a second charge.
 */
export const faultKinds = [
  /** Wait `ms` before handling; the request is then handled normally. */
  'latency',
  /** Answer `status` (default 503) with an error envelope, without handling. */
  'status',
  /** Destroy the connection before handling. */
  'reset-before',
  /** Handle (and commit), then answer `status` (default 502): a gateway that gave up too soon. */
  'status-after',
  /** Handle (and commit), then destroy the connection without answering. */
  'reset-after',
  /** Handle, then never answer: the client times out. */
  'hang-after',
  /** Handle, then answer 200 with a body that is not JSON. */
  'malformed',
  /** Handle, then send half of the body and close. */
  'truncated',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultRule {
  kind: FaultKind;
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path prefix to match, e.g. "/richiesta"; a string starting with "^" is a regular expression. */
  path?: string;
  /** How many matching calls it affects (default 1). */
  times?: number;
  /** Let this many matching calls through first (e.g. the two `test:true` price checks before the real POST). */
  skip?: number;
  ms?: number;
  status?: number;
  /** The envelope's `error` code for `status` faults: a Visengine code (e.g. 229) makes it the service's own refusal. */
  error?: number;
}

interface ArmedFault extends FaultRule {
  remaining: number;
  toSkip: number;
}

export class Faults {
  private armed: ArmedFault[] = [];

  add(...rules: FaultRule[]): void {
    for (const rule of rules)
      this.armed.push({ ...rule, remaining: rule.times ?? 1, toSkip: rule.skip ?? 0 });
  }

  clear(): void {
    this.armed = [];
  }

  pending(): number {
    return this.armed.reduce((n, f) => n + f.remaining, 0);
  }

  /** The first armed fault matching this call, consumed by one use. */
  take(method: string, path: string): FaultRule | null {
    const index = this.armed.findIndex((f) => matches(f, method, path));
    if (index < 0) return null;
    const fault = this.armed[index]!;
    if (fault.toSkip > 0) {
      fault.toSkip -= 1;
      return null;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(index, 1);
    return fault;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (!rule.path) return true;
  return rule.path.startsWith('^') ? new RegExp(rule.path).test(path) : path.startsWith(rule.path);
}
