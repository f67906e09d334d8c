import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_ROLES, Public, Roles, UserPrincipal } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CurrentUser } from '../access/current-user.decorator';
import { UserDto } from '../users/user.dto';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './login.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @ApiOperation({ summary: 'Exchange username and password for a bearer access token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 429)
  login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(dto);
  }

  @Get('me')
  @Roles(ALL_ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors()
  me(@CurrentUser() user: UserPrincipal): Promise<UserDto> {
    return this.users.me(user);
  }
}
