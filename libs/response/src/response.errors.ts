import type { ErrorKind } from '@fangxun/common';

/**
 * The response's errors. Every 409 names the rule that refused the move (in the message and in
 * `details[].problem`), so a commander reads why, not just that.
 */
export const ResponseErrors = {
  VersionConflict: { code: 'INCIDENT_VERSION_CONFLICT', status: 409 },
  NotActive: { code: 'INCIDENT_NOT_ACTIVE', status: 409 },
  NotProposed: { code: 'INCIDENT_NOT_PROPOSED', status: 409 },
  LevelNotHigher: { code: 'LEVEL_NOT_HIGHER', status: 409 },
  LevelNotLower: { code: 'LEVEL_NOT_LOWER', status: 409 },
  LevelNotForKind: { code: 'LEVEL_NOT_FOR_KIND', status: 409 },
  ScopeNotWider: { code: 'SCOPE_NOT_WIDER', status: 409 },
  OpenWork: { code: 'INCIDENT_HAS_OPEN_WORK', status: 409 },
  AlreadyOpen: { code: 'INCIDENT_ALREADY_OPEN', status: 409 },
  UnknownTown: { code: 'RESPONSE_UNKNOWN_TOWN', status: 422 },
  MeasureNotFound: { code: 'RESPONSE_MEASURE_NOT_FOUND', status: 404 },
  StepNotFound: { code: 'COMMAND_STEP_NOT_FOUND', status: 404 },
  StepOrder: { code: 'COMMAND_STEP_STATE_RULE', status: 409 },
  GroupNotFound: { code: 'COMMAND_GROUP_NOT_FOUND', status: 404 },
  PlanNotFound: { code: 'SPECIAL_PLAN_NOT_FOUND', status: 404 },
  PlanAlreadyActive: { code: 'SPECIAL_PLAN_ALREADY_ACTIVE', status: 409 },
} satisfies Record<string, ErrorKind>;
