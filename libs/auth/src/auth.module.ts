import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@fangxun/audit';
import { Clock } from '@fangxun/common';
import { APP_CONFIG, AppConfig } from '@fangxun/config';
import { RegistryModule } from '@fangxun/registry';
import { AccessGuard } from './access/access.guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AccessTokenService } from './login/access-token.service';
import { AuthController } from './login/auth.controller';
import { AuthService } from './login/auth.service';
import { LoginThrottlerGuard, loginThrottlerOptions } from './login/login-throttler.guard';
import { PasswordHasher } from './login/password-hasher.service';
import { UsersController } from './users/users.controller';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/**
 * Logins, access tokens, API keys and the global access guard. Importing this module is
 * what turns authentication on: it registers AccessGuard as APP_GUARD.
 */
@Module({
  imports: [
    AuditModule,
    RegistryModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: config.auth.jwtIssuer, expiresIn: config.auth.jwtTtlSeconds },
        // Pinning the algorithm refuses `alg: none` and RS/HS confusion whatever a token claims.
        verifyOptions: { algorithms: ['HS256'], issuer: config.auth.jwtIssuer },
      }),
    }),
    // Only LoginThrottlerGuard uses these limits; no APP_GUARD applies them to other routes.
    ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: loginThrottlerOptions }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    Clock,
    PasswordHasher,
    UsersRepository,
    UsersService,
    ApiKeysRepository,
    ApiKeysService,
    AccessTokenService,
    AuthService,
    LoginThrottlerGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [UsersService, AccessTokenService, ApiKeysService],
})
export class AuthModule {}
