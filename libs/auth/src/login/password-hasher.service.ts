import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { hashPassword, parseHash, ScryptParams, verifyPassword } from './scrypt-hash';

/**
 * Slow, memory-hard password hashing (scrypt, OWASP parameters by default, cheaper in tests).
 * Parameters travel inside each hash, so raising them only affects new hashes; `needsRehash`
 * lets login upgrade old ones.
 */
@Injectable()
export class PasswordHasher {
  private readonly params: ScryptParams;
  private dummy?: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.params = config.auth.passwordHash;
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.params);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return verifyPassword(hash, password);
  }

  /**
   * Spends the same time as a real verification when the username is unknown, so response
   * time does not reveal which usernames exist. The dummy hash is made once, on first use.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(await this.dummy, password);
    return false;
  }

  needsRehash(hash: string): boolean {
    const parsed = parseHash(hash);
    return !parsed || parsed.params.costLog2 < this.params.costLog2 || parsed.params.blockSize !== this.params.blockSize;
  }
}
