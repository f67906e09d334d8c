import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Page, Roles, UserPrincipal } from '@fangxun/common';
import { ApiErrors } from '@fangxun/platform';
import { CurrentUser } from '../access/current-user.decorator';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserDto, UserIdParams, UserPageDto } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('auth: users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles(['commander', 'town_admin'])
  @ApiOperation({ summary: 'Create a login. A town admin may create village admins and wardens inside its town only.' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 409, 422)
  create(@CurrentUser() actor: UserPrincipal, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.createUser(actor, dto);
  }

  @Get()
  @Roles(['commander', 'auditor', 'town_admin'])
  @ApiOperation({ summary: 'List logins (a town admin sees its town only), by username' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(400, 422)
  list(@CurrentUser() actor: UserPrincipal, @Query() query: ListUsersQuery): Promise<Page<UserDto>> {
    return this.users.list(actor, query);
  }

  @Get(':id')
  @Roles(['commander', 'auditor', 'town_admin'])
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() actor: UserPrincipal, @Param() params: UserIdParams): Promise<UserDto> {
    return this.users.get(actor, params.id);
  }

  @Patch(':id')
  @Roles(['commander', 'town_admin'])
  @ApiOperation({ summary: 'Change display name, password, role, division or active flag, under the same rules as creation' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404, 422)
  update(@CurrentUser() actor: UserPrincipal, @Param() params: UserIdParams, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(actor, params.id, dto);
  }
}
