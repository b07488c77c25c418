import type { Environment } from '../../common/environments.ts';

/**
 * When to look at a request again. Soon after submission (a refusal for bad data can come back
 * fast), then sparser: Patronato work is done by people and takes hours to days. Prova's
 * simulator finishes in seconds, so it is polled every couple of seconds.
 */
export function nextPollDelay(options: {
  environment: Environment;
  /** Time since the request was accepted. */
  ageMs: number;
  /** The office's polling preference, for requests older than an hour. */
  baseMinutes: number;
  /** 0..1, for ±20% jitter: many PCs of one office must not poll in step. */
  random: number;
}): number {
  const { ageMs, baseMinutes, random } = options;
  let delay: number;
  if (options.environment === 'prova') delay = 2_000;
  else if (ageMs < 2 * 60_000) delay = 20_000;
  else if (ageMs < 15 * 60_000) delay = 60_000;
  else if (ageMs < 60 * 60_000) delay = 5 * 60_000;
  else if (ageMs < 3 * 86_400_000) delay = baseMinutes * 60_000;
  else delay = Math.max(baseMinutes, 60) * 60_000;
  return Math.round(delay * (0.8 + 0.4 * random));
}

/** After a failed check: back off, but never beyond the normal cadence for that age. */
export function retryDelay(failures: number, normal: number): number {
  return Math.min(normal * 2 ** Math.min(failures, 5), Math.max(normal, 30 * 60_000));
}
