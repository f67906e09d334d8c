export * from './divisions/division-codes';
export * from './divisions/division-rules';
export * from './divisions/division.service';
export * from './divisions/division-level';
export * from './holders/holder-role';
export * from './holders/holder.service';
export * from './holders/phone';
// The 包保 chain's rules, for the demo seed's check that its plan obeys them (libs/registry/seed).
export { backupProblem, superiorProblem } from './holders/holder-rules';
export { RosterService } from './rosters/roster.service';
export * from './registry.errors';
export * from './registry.module';
