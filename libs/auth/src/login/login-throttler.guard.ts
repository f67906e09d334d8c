import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppError, CommonErrors } from '@fangxun/common';
import type { AppConfig } from '@fangxun/config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Attempts per (client IP, username): slows guessing one account's password. */
export const LOGIN_PER_USER = 'login-user';
/** Attempts per client IP over all usernames: slows spraying one password over many accounts. */
export const LOGIN_PER_IP = 'login-ip';
/** How much looser the per-IP limit is: an office behind one NAT address logs many people in. */
export const LOGIN_IP_FACTOR = 10;

/**
 * The login limits. The throttler module is registered by AuthModule only for this guard;
 * nothing applies it globally, so other routes are not rate limited by it. With Redis
 * configured (`REDIS_URL`, as for several api replicas) the counters live there and every
 * replica shares them; otherwise in this process's memory.
 */
export function loginThrottlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const ttl = config.auth.login.windowSeconds * 1000;
  const limit = config.auth.login.maxAttempts;
  const database = new URL(config.database.url).pathname.slice(1);
  return {
    throttlers: [
      { name: LOGIN_PER_USER, ttl, limit },
      { name: LOGIN_PER_IP, ttl, limit: limit * LOGIN_IP_FACTOR },
    ],
    ...(config.realtime.redisUrl ? { storage: new RedisThrottlerStorage(config.realtime.redisUrl, `fx-login:${database}`) } : {}),
  };
}

/**
 * Rate limits POST /auth/login. It runs before validation, so the username is read from the
 * raw body defensively. Every attempt counts, successful ones included: the throttler cannot
 * know the outcome beforehand.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  // getTracker (inherited) is the client IP, IPv6 reduced to its /64, honouring `trust proxy`.

  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    const suffix = throttlerName === LOGIN_PER_USER ? `${tracker}|${usernameOf(context.switchToHttp().getRequest<Request>())}` : tracker;
    return createHash('sha256').update(`login|${throttlerName}|${suffix}`).digest('hex');
  }

  /** 429 in the common error body, with a plain Retry-After (the base class names it per throttler). */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new AppError(CommonErrors.TooManyRequests, `too many login attempts; try again in ${retryAfter} s`, [
      { field: 'username', problem: 'too many attempts' },
    ]);
  }
}

function usernameOf(req: Request): string {
  const raw: unknown = (req.body as { username?: unknown } | undefined)?.username;
  return typeof raw === 'string' ? raw.trim().toLowerCase().slice(0, 64) : '';
}
