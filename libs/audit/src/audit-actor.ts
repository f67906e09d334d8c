import type { Principal, Role } from '@fangxun/common';

/** A scheduled job or an outbox consumer acting on its own (no person or key behind it). */
export interface SystemActor {
  kind: 'system';
  /** The job's name, e.g. `wakeup.escalation` (stored as actor_name). */
  job: string;
}

/** A person answering through a signed SMS link or an SMS reply: known only as the called holder. */
export interface LinkActor {
  kind: 'link';
  holderId: string;
  /** Channel that carried the answer (`link`, `sms_reply`). */
  via: string;
}

/** Who did it: a typed principal from the controller, a job, or a holder answering by link. */
export type AuditActor = Principal | SystemActor | LinkActor;

export const systemActor = (job: string): SystemActor => ({ kind: 'system', job });

export interface ActorColumns {
  actorKind: 'user' | 'api_key' | 'system' | 'link';
  actorId: string;
  actorName: string;
  role: Role | null;
}

/** The columns an actor is stored as (user id/username and role; key id/name; 'system'/job). */
export function actorColumns(a: AuditActor): ActorColumns {
  switch (a.kind) {
    case 'user':
      return { actorKind: 'user', actorId: a.userId, actorName: a.username, role: a.role };
    case 'api_key':
      return { actorKind: 'api_key', actorId: a.keyId, actorName: a.name, role: null };
    case 'system':
      return { actorKind: 'system', actorId: 'system', actorName: a.job, role: null };
    case 'link':
      return { actorKind: 'link', actorId: a.holderId, actorName: a.via, role: null };
  }
}
