/**
 * Which library owns which table (issue 15): the owner is the only library whose SQL may name
 * it, except for what the owner exports on purpose (READABLE_BY_OTHERS). Every table the
 * migrations create must have exactly one owner here (table-ownership.spec.ts checks both).
 */
export const TABLE_OWNERS: Record<string, readonly string[]> = {
  database: ['outbox_events', 'outbox_consumers', 'outbox_deliveries'],
  registry: ['divisions', 'division_boundary_parts', 'responsibility_holders', 'duty_rosters', 'duty_roster_officers'],
  auth: ['users', 'api_keys'],
  geo: [
    'risk_objects',
    'risk_object_parts',
    'risk_object_indicators',
    'risk_object_shelters',
    'risk_object_vulnerable_people',
    'risk_object_status_changes',
    'shelters',
    'rescue_teams',
    'supply_depots',
    'supply_stock',
    'supply_stock_movements',
    'vessel_positions',
  ],
  feeds: [
    'stations',
    'readings',
    'reading_revisions',
    'feed_health_alerts',
    'feed_cursors',
    'feed_poll_alerts',
    'threshold_states',
    'threshold_events',
    'warnings',
    'warning_areas',
  ],
  notify: ['sms_messages', 'sms_replies', 'sms_daily_counts', 'sms_early_receipts', 'realtime_events', 'realtime_cursors'],
  'public-warnings': ['public_contacts', 'public_campaigns'],
  wakeup: [
    'wakeup_campaigns',
    'wakeup_calls',
    'wakeup_steps',
    'wakeup_acks',
    'wakeup_escalations',
    'wakeup_board_tallies',
    'wakeup_board_deltas',
  ],
  response: [
    'response_incidents',
    'response_level_changes',
    'response_measures',
    'response_steps',
    'response_groups',
    'response_group_members',
    'response_plan_activations',
    'response_control_points',
    'response_orders',
    'response_order_targets',
    'response_order_recipients',
    'response_sheet_chains',
    'response_sheets',
  ],
  evacuation: ['evac_households', 'evac_household_vulnerable', 'evac_orders', 'evac_tasks', 'evac_reports'],
  audit: ['audit_log', 'audit_head'],
};

/**
 * What an owner lets every other library name in SQL, on purpose; everything else goes through
 * the owner's exported service. registry exports `registry_divisions`, a view of its divisions
 * (code, name, level, parent, ltree path, boundary: division scope and ancestry), made by
 * migration RegistryDivisionsView, and `registry_division_parts`, its boundaries' small parts for
 * GiST probes; others join these, never the `divisions` / `division_boundary_parts` tables.
 */
export const READABLE_BY_OTHERS: Record<string, readonly string[]> = {
  registry: ['registry_divisions', 'registry_division_parts'],
};

/** Views the migrations create, each with its owner (a view is not a table: no ownership of its own rows). */
export const VIEW_OWNERS: Record<string, string> = { registry_divisions: 'registry', registry_division_parts: 'registry' };
