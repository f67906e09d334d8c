import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthModule, NewUserSpec, UsersService } from '@fangxun/auth';
import { beijingDate } from '@fangxun/common';
import { APP_CONFIG, AppConfig, ConfigModule } from '@fangxun/config';
import { DatabaseModule, runMigrationsLocked } from '@fangxun/database';
// Households (一户一策) over the geo seed's risk objects.
import { EvacuationSeedModule, EvacuationSeedResult, EvacuationSeedService } from '@fangxun/evacuation/seed';
// The gauge network (no readings) is drawn inside the villages and near the geo seed's flash-flood zones.
import { GaugeSeedModule, GaugeSeedResult, GaugeSeedService } from '@fangxun/feeds/seed';
// The geo seed: risk lists, shelters, teams, supplies.
import { GeoSeedModule, GeoSeedResult, GeoSeedService } from '@fangxun/geo/seed';
import { RegistryModule } from '@fangxun/registry';
// The demo seeds live beside the libraries (libs/<lib>/seed), outside their production code: they use
// faker (a devDependency), and only scripts and tests may import them (lint; tsconfig.build.json leaves them out).
import { RegistrySeedModule, RegistrySeedResult, RegistrySeedService } from '@fangxun/registry/seed';

/**
 * `npm run seed`: migrations, then the deterministic Linhai registry (idempotent), then the demo
 * users when seed.demoPassword is set (scripts/start sets it), then the geo seed (risk lists,
 * shelters, teams, supplies; idempotent too), then the households over its risk objects, then the gauge network (idempotent, no readings). Duty rosters start today in
 * Asia/Shanghai, or on `--roster-from=YYYY-MM-DD`. Refuses to run in production.
 */
@Module({
  imports: [
    ConfigModule.forRoot(),
    DatabaseModule,
    RegistryModule,
    AuthModule,
    RegistrySeedModule,
    GeoSeedModule,
    EvacuationSeedModule,
    GaugeSeedModule,
  ],
})
class SeedModule {}

const CITY = '331082';

interface DemoUsers {
  total: number;
  created: number;
  ms: number;
}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const config = app.get<AppConfig>(APP_CONFIG);
    if (config.env === 'production') throw new Error('the Linhai demo seed writes invented people and places: not in production');
    const ds = app.get<DataSource>(getDataSourceToken());
    const migrated = await runMigrationsLocked(ds);
    if (migrated.length) console.log(`migrations applied: ${migrated.map((m) => m.name).join(', ')}`);

    const registry = await app.get(RegistrySeedService).run(rosterFrom());
    const users = config.seed.demoPassword ? await seedDemoUsers(app.get(UsersService), ds, config.seed.demoPassword) : undefined;
    printSummary(registry, users);
    printGeoSummary(await app.get(GeoSeedService).run());
    printHouseholdSummary(await app.get(EvacuationSeedService).run());
    printGaugeSummary(await app.get(GaugeSeedService).run());
  } finally {
    await app.close();
  }
}

/** Demo logins, one per role; ensureUser leaves an existing user (and its password) alone. */
async function seedDemoUsers(users: UsersService, ds: DataSource, password: string): Promise<DemoUsers> {
  const towns: Array<{ code: string; name: string }> = await ds.query(
    `select t.code, t.name from divisions t join divisions c on c.id = t.parent_id where c.code = $1 order by t.code`,
    [CITY],
  );
  const [village]: Array<{ code: string; name: string }> = await ds.query(
    `select v.code, v.name from divisions v where v.level = 'village' and v.path <@ $1::ltree order by v.code limit 1`,
    [CITY],
  );
  const specs: NewUserSpec[] = [
    { username: 'commander', displayName: '临海市防指指挥长', role: 'commander', divisionCode: CITY, password },
    { username: 'duty', displayName: '临海市防指值班员', role: 'duty_officer', divisionCode: CITY, password },
    { username: 'auditor', displayName: '临海市防指审计员', role: 'auditor', divisionCode: CITY, password },
    ...towns.map((t) => ({
      username: `admin-${t.code}`,
      displayName: `${t.name}管理员`,
      role: 'town_admin' as const,
      divisionCode: t.code,
      password,
    })),
  ];
  if (village) {
    specs.push(
      {
        username: `village-${village.code}`,
        displayName: `${village.name}管理员`,
        role: 'village_admin',
        divisionCode: village.code,
        password,
      },
      { username: `warden-${village.code}`, displayName: `${village.name}网格员`, role: 'warden', divisionCode: village.code, password },
    );
  }
  const count = async () =>
    Number((await ds.query('select count(*)::int as n from users where username = any($1)', [specs.map((s) => s.username)]))[0].n);
  const before = await count();
  const started = Date.now();
  // Side by side: argon2 hashes on libuv's thread pool, so 24 new users take a few seconds, not 24 hash times.
  await Promise.all(specs.map((spec) => users.ensureUser(spec)));
  return { total: specs.length, created: (await count()) - before, ms: Date.now() - started };
}

function rosterFrom(): string {
  const arg = process.argv.find((a) => a.startsWith('--roster-from='));
  if (arg) return arg.slice('--roster-from='.length);
  // Duty days are Beijing days whatever the host's zone.
  return beijingDate(new Date());
}

function printSummary(r: RegistrySeedResult, users: DemoUsers | undefined): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const c = r.counts;
  const ch = r.changes;
  console.log(
    [
      `Linhai seed (临海市 ${CITY})`,
      `  towns ${n(c.towns)}, villages ${n(c.villages)}, grids ${n(c.grids)}`,
      `  holders: administrative ${n(c.administrativeHolders)}, grid ${n(c.gridHolders)}, city leaders ${n(c.cityHolders)}`,
      `  duty rosters ${n(c.rosters)} (this seed: ${r.rosterFrom} … ${r.rosterTo})`,
      users
        ? `  demo users ${n(users.total)} (${n(users.created)} new, ${(users.ms / 1000).toFixed(1)} s)`
        : '  demo users: skipped (seed.demoPassword / SEED_DEMO_PASSWORD not set)',
      `  this run: divisions +${n(ch.divisions.inserted)} ~${n(ch.divisions.updated)}, holders +${n(ch.holders.inserted)} ~${n(ch.holders.updated)}, ` +
        `backups set ${n(ch.backupsSet)}, rosters +${n(ch.rostersAdded)}`,
      `  registry seed took ${(r.timings.total / 1000).toFixed(1)} s (` +
        Object.entries(r.timings)
          .filter(([k]) => k !== 'total')
          .map(([k, ms]) => `${k} ${ms} ms`)
          .join(', ') +
        ')',
    ].join('\n'),
  );
}

function printGeoSummary(r: GeoSeedResult): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const c = r.counts;
  const ch = r.changes;
  const t = c.riskObjects;
  const w = (x: { inserted: number; updated: number }) => `+${n(x.inserted)} ~${n(x.updated)}`;
  console.log(
    [
      `Linhai geo seed`,
      `  risk objects: flash-flood ${n(t.flash_flood_zone ?? 0)}, geo-hazard ${n(t.geo_hazard_zone ?? 0)}, reservoirs ${n(t.reservoir ?? 0)}, ` +
        `seawalls ${n(t.seawall ?? 0)}, low-lying ${n(t.low_lying_point ?? 0)}, dilapidated houses ${n(t.dilapidated_house ?? 0)}, ` +
        `sites ${n(t.construction_site ?? 0)}, fishing boats ${n(t.fishing_boat ?? 0)}, offshore ${n(t.offshore_project ?? 0)}`,
      `  threatened on land ${n(c.threatenedOnLand)} people, ${n(c.vulnerablePeople)} vulnerable with named helpers`,
      `  shelters ${n(c.shelters)} for ${n(c.shelterCapacity)} people; teams: city ${n(c.cityTeams)} (${n(c.cityTeamMembers)}), town ${n(c.townTeams)} (${n(c.townTeamMembers)})`,
      `  depots ${n(c.depots)}: rescue boats ${n(c.rescueBoats)}, satellite phones ${n(c.satellitePhones)}, lighting ${n(c.lighting)}`,
      `  this run: risk objects ${w(ch.riskObjects)}, lists replaced ${n(ch.indicatorLists + ch.vulnerableLists + ch.shelterLists)}, ` +
        `shelters ${w(ch.shelters)}, teams ${w(ch.teams)}, depots ${w(ch.depots)}, stock items +${n(ch.stockItemsAdded)}, boat reports +${n(ch.vesselReports)}`,
      `  geo seed took ${(r.timings.total / 1000).toFixed(1)} s (` +
        Object.entries(r.timings)
          .filter(([k]) => k !== 'total')
          .map(([k, ms]) => `${k} ${ms} ms`)
          .join(', ') +
        ')',
    ].join('\n'),
  );
}

function printHouseholdSummary(r: EvacuationSeedResult): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const c = r.changes;
  console.log(
    [
      `Linhai households (一户一策)`,
      `  ${n(r.totals.households)} households, ${n(r.totals.people)} people, ${n(r.totals.vulnerable)} vulnerable with named helpers`,
      `  this run: +${n(c.inserted)} ~${n(c.updated)} (${n(c.unchanged)} unchanged), ${(r.ms / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}

function printGaugeSummary(r: GaugeSeedResult): void {
  const c = r.counts;
  console.log(
    [
      `Linhai gauge seed`,
      `  rain ${c.rain ?? 0} (${r.guards} placed near the ${r.zones} flash-flood zones), river level ${c.water_level ?? 0}, reservoir level ${c.reservoir_level ?? 0}`,
      `  this run: stations +${r.changes.inserted} ~${r.changes.updated}, ${(r.ms / 1000).toFixed(1)} s`,
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  new Logger('seed').error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
