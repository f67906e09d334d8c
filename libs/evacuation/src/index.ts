export * from './evacuation.module';
export * from './evacuation.errors';
export { HouseholdService } from './households/household.service';
