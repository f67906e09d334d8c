import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, systemActor } from '@fangxun/audit';
import { AppError, assertInScope, CITY_WIDE_ROLES, decodeCursor, encodeCursor, Page, Role, UserPrincipal } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { inTransaction, PG_UNIQUE_VIOLATION, pgError } from '@fangxun/database';
import { DivisionRef, DivisionService, RegistryErrors } from '@fangxun/registry';
import { AuthErrors } from '../auth.errors';
import { PasswordHasher } from '../login/password-hasher.service';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto } from './user.dto';
import { toUserDto } from './user.mapper';
import { assertMayManage, assertRoleFitsDivision } from './user-rules';
import { UserRow, UserSessionFacts, UsersRepository } from './users.repository';

export type { UserSessionFacts } from './users.repository';

/** What the seed and the CLI pass to create a user without a logged-in actor. */
export interface NewUserSpec {
  username: string;
  displayName: string;
  role: Role;
  divisionCode: string;
  password: string;
}

const SORT = 'username';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly divisions: DivisionService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates a user. With an actor (HTTP), the actor's area and assignable roles apply; without
   * one (seed, CLI) only the role/division rule does. 409 when the username is taken.
   */
  async createUser(actor: UserPrincipal | null, spec: NewUserSpec | CreateUserDto): Promise<UserDto> {
    const username = spec.username.trim().toLowerCase();
    const division = await this.division(spec.divisionCode);
    if (actor) assertMayManage(actor, spec.role, division.path);
    assertRoleFitsDivision(spec.role, division);
    const passwordHash = await this.hasher.hash(spec.password);
    let id: string;
    try {
      id = await inTransaction(this.ds, async (m) => {
        const displayName = spec.displayName.trim();
        const newId = await this.users.insert({ username, displayName, passwordHash, role: spec.role, divisionId: division.id }, m);
        await this.audit.append(m, {
          // Without an HTTP actor the seed or the user:create CLI made it.
          actor: actor ?? systemActor('user-cli'),
          action: 'user.create',
          entity: 'user',
          entityId: newId,
          after: { username, displayName, role: spec.role, divisionCode: division.code, active: true },
        });
        return newId;
      });
    } catch (err) {
      if (pgError(err)?.code === PG_UNIQUE_VIOLATION) {
        throw new AppError(AuthErrors.UsernameTaken, `username ${username} is taken`, [{ field: 'username', problem: 'already taken' }]);
      }
      throw err;
    }
    return toUserDto(await this.row(id));
  }

  /**
   * Idempotent creation for the seed: returns the existing user untouched when the username
   * exists (its password is not reset), otherwise creates it.
   */
  async ensureUser(spec: NewUserSpec): Promise<UserDto> {
    const existing = await this.users.findByUsername(spec.username.trim().toLowerCase());
    if (existing) return toUserDto(existing);
    try {
      return await this.createUser(null, spec);
    } catch (err) {
      // Two seeds racing: the other one created it between our read and our insert.
      if (err instanceof AppError && err.kind === AuthErrors.UsernameTaken) return this.getByUsername(spec.username);
      throw err;
    }
  }

  /**
   * Active users among `ids`, by id, with the facts their open sessions were authorised from
   * (the live channel drops a socket whose user is gone or changed).
   */
  async activeSessions(ids: string[]): Promise<Map<string, UserSessionFacts>> {
    if (!ids.length) return new Map();
    const rows = await this.users.activeSessions(ids);
    return new Map(rows.map(({ id, ...facts }) => [id, facts]));
  }

  async getByUsername(username: string): Promise<UserDto> {
    const row = await this.users.findByUsername(username.trim().toLowerCase());
    if (!row) throw notFound(username, 'username');
    return toUserDto(row);
  }

  async get(actor: UserPrincipal, id: string): Promise<UserDto> {
    const row = await this.row(id);
    assertInScope(actor, row.divisionPath, 'id');
    return toUserDto(row);
  }

  /** The user a token belongs to (GET /auth/me). */
  async me(actor: UserPrincipal): Promise<UserDto> {
    return toUserDto(await this.row(actor.userId));
  }

  async list(actor: UserPrincipal, query: ListUsersQuery): Promise<Page<UserDto>> {
    // City-wide roles see everyone; the others only their own subtree. Asking for a
    // division outside it is refused (403), never answered with a silently empty page.
    let withinPath = CITY_WIDE_ROLES.includes(actor.role) ? undefined : actor.divisionPath;
    if (query.withinCode) {
      const division = await this.division(query.withinCode, 'withinCode');
      assertInScope(actor, division.path, 'withinCode');
      withinPath = division.path;
    }
    const limit = query.limit ?? this.config.registry.pageSizeDefault;
    const rows = await this.users.list({
      withinPath,
      role: query.role,
      active: query.active,
      q: query.q,
      desc: query.order === 'desc',
      after: query.cursor ? (decodeCursor(query.cursor, SORT, 2) as [string, string]) : undefined,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toUserDto),
      nextCursor: rows.length > limit && last ? encodeCursor(SORT, [last.username, last.id]) : null,
    };
  }

  async update(actor: UserPrincipal, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const target = await this.row(id);
    // The actor must be allowed to manage the user as it is now...
    assertMayManage(actor, target.role, target.divisionPath, 'id');
    if (target.id === actor.userId) assertNoSelfLockout(target, dto);
    const role = dto.role ?? target.role;
    const division = dto.divisionCode ? await this.division(dto.divisionCode) : divisionOf(target);
    // ...and as it will be.
    if (role !== target.role || division.id !== target.divisionId) {
      assertMayManage(actor, role, division.path);
      assertRoleFitsDivision(role, division);
    }
    const passwordHash = dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
    await inTransaction(this.ds, async (m) => {
      await this.users.update(
        id,
        {
          displayName: dto.displayName,
          active: dto.active,
          role: dto.role,
          divisionId: dto.divisionCode ? division.id : undefined,
          passwordHash,
        },
        m,
      );
      const fields = (u: { displayName: string; role: Role; divisionCode: string; active: boolean }, passwordChanged: boolean) => ({
        displayName: u.displayName,
        role: u.role,
        divisionCode: u.divisionCode,
        active: u.active,
        // The hash is never recorded; that the password changed is.
        passwordChanged,
      });
      const after = {
        displayName: dto.displayName ?? target.displayName,
        role,
        divisionCode: division.code,
        active: dto.active ?? target.active,
      };
      await this.audit.append(m, {
        actor,
        action: 'user.update',
        entity: 'user',
        entityId: id,
        before: fields(target, false),
        after: fields(after, passwordHash !== undefined),
      });
    });
    return toUserDto(await this.row(id));
  }

  private async row(id: string): Promise<UserRow> {
    const row = await this.users.findById(id);
    if (!row) throw notFound(id, 'id');
    return row;
  }

  private async division(code: string, field = 'divisionCode'): Promise<DivisionRef> {
    const division = await this.divisions.findRefByCode(code);
    if (!division) {
      throw new AppError(RegistryErrors.UnknownDivision, `division ${code} does not exist`, [{ field, problem: 'no such division' }]);
    }
    return division;
  }
}

function divisionOf(row: UserRow): DivisionRef {
  return { id: row.divisionId, code: row.divisionCode, name: row.divisionName, level: row.divisionLevel, path: row.divisionPath };
}

function assertNoSelfLockout(self: UserRow, dto: UpdateUserDto): void {
  const field = dto.active === false ? 'active' : dto.role !== undefined && dto.role !== self.role ? 'role' : undefined;
  if (field) {
    throw new AppError(AuthErrors.SelfLockout, 'you cannot deactivate your own account or change your own role', [
      { field, problem: 'ask another administrator' },
    ]);
  }
}

function notFound(value: string, field: string): AppError {
  return new AppError(AuthErrors.UserNotFound, `user ${value} not found`, [{ field, problem: 'no such user' }]);
}
