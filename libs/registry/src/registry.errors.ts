import { ErrorKind } from '@fangxun/common';

export const RegistryErrors = {
  DivisionNotFound: { code: 'DIVISION_NOT_FOUND', status: 404 },
  UnknownDivision: { code: 'UNKNOWN_DIVISION', status: 422 },
  DivisionCodeTaken: { code: 'DIVISION_CODE_TAKEN', status: 409 },
  DivisionInUse: { code: 'DIVISION_IN_USE', status: 409 },
  BadParent: { code: 'BAD_PARENT', status: 422 },
  HolderNotFound: { code: 'HOLDER_NOT_FOUND', status: 404 },
  DuplicateAppointment: { code: 'DUPLICATE_APPOINTMENT', status: 409 },
  RoleLevelMismatch: { code: 'ROLE_LEVEL_MISMATCH', status: 422 },
  RuleViolated: { code: 'REGISTRY_RULE_VIOLATED', status: 422 },
  SuperiorCycle: { code: 'SUPERIOR_CYCLE', status: 422 },
  SuperiorOutOfScope: { code: 'SUPERIOR_OUT_OF_SCOPE', status: 422 },
  UnknownHolder: { code: 'UNKNOWN_HOLDER', status: 422 },
  HolderInUse: { code: 'HOLDER_IN_USE', status: 409 },
  RosterNotFound: { code: 'ROSTER_NOT_FOUND', status: 404 },
  RosterExists: { code: 'ROSTER_EXISTS', status: 409 },
} satisfies Record<string, ErrorKind>;
