import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { GeometryCheckRepository } from '@fangxun/database';
import { DivisionController } from './divisions/division.controller';
import { DivisionRepository } from './divisions/division.repository';
import { DivisionService } from './divisions/division.service';
import { HolderController } from './holders/holder.controller';
import { HolderRepository } from './holders/holder.repository';
import { HolderService } from './holders/holder.service';
import { HolderImportController } from './import/holder-import.controller';
import { HolderImportService } from './import/holder-import.service';
import { RosterController } from './rosters/roster.controller';
import { RosterRepository } from './rosters/roster.repository';
import { RosterService } from './rosters/roster.service';

/** Divisions, responsibility holders and duty rosters. Exports services only. */
@Module({
  imports: [AuditModule],
  controllers: [DivisionController, HolderController, HolderImportController, RosterController],
  providers: [
    GeometryCheckRepository,
    DivisionRepository,
    DivisionService,
    HolderRepository,
    HolderService,
    HolderImportService,
    RosterRepository,
    RosterService,
  ],
  exports: [DivisionService, HolderService, RosterService],
})
export class RegistryModule {}
