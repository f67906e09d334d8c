import type { WakeupConfig, WakeupReasonKind } from '@fangxun/config';
import type { CallReason } from '../wakeup.types';

type Rule = WakeupConfig['rules'][number];

/** The first rule naming this warning kind and level, or null: nobody is woken. */
export function matchRule(rules: readonly Rule[], kind: string, level: string): Rule | null {
  return rules.find((r) => (r.kinds as readonly string[]).includes(kind) && (r.levels as readonly string[]).includes(level)) ?? null;
}

export interface ReasonedPerson {
  holderId: string;
  reasons: Array<{ kind: string; text: string; via: Record<string, string | undefined> }>;
}

/**
 * Keeps the people with at least one included reason, each with only those reasons. A 包保
 * superior who is nothing else is left out on purpose: silence reaches them by escalation.
 */
export function selectByReasons<P extends ReasonedPerson>(
  people: readonly P[],
  include: readonly WakeupReasonKind[],
): Array<P & { kept: CallReason[] }> {
  const out: Array<P & { kept: CallReason[] }> = [];
  for (const p of people) {
    const kept = p.reasons
      .filter((r) => (include as readonly string[]).includes(r.kind))
      .map((r) => ({ kind: r.kind as WakeupReasonKind, text: r.text, via: definedOnly(r.via) }));
    if (kept.length) out.push({ ...p, kept });
  }
  return out;
}

function definedOnly(via: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(via).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
