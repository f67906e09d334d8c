import { Module } from '@nestjs/common';
import { AuditModule } from '@fangxun/audit';
import { AuthModule } from '@fangxun/auth';
import { Clock } from '@fangxun/common';
import { OutboxModule } from '@fangxun/database';
import { FeedsModule } from '@fangxun/feeds';
import { GeoModule } from '@fangxun/geo';
import { RealtimeModule } from '@fangxun/notify';
import { RegistryModule } from '@fangxun/registry';
import { WakeupModule } from '@fangxun/wakeup';
import { CommandStructure } from './groups/command-structure';
import { GroupController } from './groups/group.controller';
import { GroupRepository } from './groups/group.repository';
import { GroupService } from './groups/group.service';
import { IncidentEndGuards } from './incidents/end-guards';
import { IncidentController } from './incidents/incident.controller';
import { IncidentRepository } from './incidents/incident.repository';
import { IncidentService } from './incidents/incident.service';
import { IncidentCommands } from './incidents/incident-commands';
import { IncidentLive } from './incidents/incident-live';
import { TownDirectory } from './incidents/town-directory';
import { ArealProposals } from './levels/areal-proposals';
import { LevelApplier } from './levels/level-applier';
import { MeasureRepository } from './levels/measure.repository';
import { ProposalService } from './levels/proposal.service';
import { ResponseEventsHandler } from './levels/response-events.handler';
import { PlanController } from './plans/plan.controller';
import { PlanRepository } from './plans/plan.repository';
import { PlanService } from './plans/plan.service';
import { StepController } from './steps/step.controller';
import { StepRepository } from './steps/step.repository';
import { StepService } from './steps/step.service';

/**
 * The "1618" response: incidents and their levels (proposed by rules, decided by commanders),
 * the level's obligations applied at once (wake-up deadlines, people woken, checklist, report
 * cadence), the standard steps, the HQ groups and the special plans. Depends on the wake-up
 * (ResponseScope), never the other way round.
 */
@Module({
  imports: [AuditModule, AuthModule, OutboxModule, RealtimeModule, RegistryModule, FeedsModule, GeoModule, WakeupModule],
  controllers: [IncidentController, StepController, GroupController, PlanController],
  providers: [
    Clock,
    IncidentRepository,
    MeasureRepository,
    TownDirectory,
    IncidentLive,
    IncidentEndGuards,
    LevelApplier,
    IncidentCommands,
    IncidentService,
    ProposalService,
    ResponseEventsHandler,
    ArealProposals,
    StepRepository,
    GroupRepository,
    PlanRepository,
    CommandStructure,
    StepService,
    GroupService,
    PlanService,
  ],
  exports: [IncidentService, IncidentEndGuards, IncidentLive, ResponseEventsHandler, ArealProposals],
})
export class ResponseModule {}
