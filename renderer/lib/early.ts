import type { BridgeApi, ChannelArgs, ChannelName } from '../../common/api.ts';
import type { Outcome } from '../../common/errors.ts';

/*
 * What the opening screen needs from main, asked by early.js (renderer/early.ts, a script of its own
 * that runs before the app's module is compiled): the answers travel meanwhile, and the screen's
 * first queries take them instead of asking again. Each answer is used once, and only in the first
 * seconds: later queries always ask main. The two scripts share them through `window.sportelloEarly`.
 */

const FRESH_MS = 10_000;

export interface EarlyAnswers {
  askedAt: number;
  /** The channels asked: any other call goes to main without a look at its arguments. */
  channels: Set<string>;
  answers: Map<string, Promise<Outcome<unknown>>>;
}

/**
 * Where the two scripts meet (declared here, not in env.d.ts: the tests compile this file alone).
 * `sportelloAsked`: the channels the app asked main itself before early.js ran (it arrived late, on
 * a slow load): early.js does not ask them twice.
 */
const shared = () => window as Window & { sportelloEarly?: EarlyAnswers; sportelloAsked?: Set<string> };

const keyOf = (channel: string, args: readonly unknown[]) => `${channel} ${JSON.stringify(args)}`;

export type EarlyCall = { [C in ChannelName]: readonly [C, ...ChannelArgs<C>] }[ChannelName];

export function askEarly(bridge: BridgeApi, calls: readonly EarlyCall[]): void {
  const answers = new Map<string, Promise<Outcome<unknown>>>();
  const channels = new Set<string>();
  const asked = shared().sportelloAsked ?? new Set<string>();
  delete shared().sportelloAsked;
  shared().sportelloEarly = { askedAt: performance.now(), channels, answers };
  const tree = bridge as unknown as Record<
    string,
    Record<string, (...args: unknown[]) => Promise<Outcome<unknown>>>
  >;
  for (const [channel, ...args] of calls) {
    if (asked.has(channel)) continue;
    const [ns, method] = channel.split('.') as [string, string];
    const call = tree[ns]?.[method];
    if (!call) continue;
    let answer: Promise<Outcome<unknown>>;
    try {
      answer = Promise.resolve(call(...args));
    } catch {
      // Nothing asked early: the query asks main itself, and reports what goes wrong.
      continue;
    }
    // A failed call is the query's to report when it takes the answer, not an unhandled rejection.
    answer.catch(() => undefined);
    answers.set(keyOf(channel, args), answer);
    channels.add(channel);
  }
}

/**
 * The early answer to `channel(args)`, once; undefined when none (or too old): then ask main. Every
 * call of the app passes here: the arguments (a scan's bytes, say) are serialised only for a
 * channel that was asked early, and only until its answers are used or stale.
 */
export function takeEarly(channel: string, args: readonly unknown[]): Promise<Outcome<unknown>> | undefined {
  const early = shared().sportelloEarly;
  // Before early.js ran, in the first seconds only: the channel's name, never its arguments.
  if (!early && performance.now() < FRESH_MS) (shared().sportelloAsked ??= new Set()).add(channel);
  if (!early?.channels.has(channel)) return undefined;
  if (performance.now() - early.askedAt >= FRESH_MS) {
    early.channels.clear();
    early.answers.clear();
    return undefined;
  }
  const key = keyOf(channel, args);
  const answer = early.answers.get(key);
  early.answers.delete(key);
  if (early.answers.size === 0) early.channels.clear();
  return answer;
}
