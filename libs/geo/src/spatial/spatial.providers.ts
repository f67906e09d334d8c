import { AreaResolver } from './area-resolver.service';
import { CapacityCheckRepository } from './capacity-check.repository';
import { CapacityCheckService } from './capacity-check.service';
import { IntersectingService } from './intersecting.service';
import { InvariantsRepository } from './invariants.repository';
import { InvariantsService } from './invariants.service';
import { NearestSheltersService } from './nearest-shelters.service';
import { ShelterSearchRepository } from './shelter-search.repository';
import { SpatialRepository } from './spatial.repository';
import { WhoMustAnswerRepository } from './who-must-answer.repository';
import { WhoMustAnswerService } from './who-must-answer.service';

/** Everything the spatial folder provides, so GeoModule lists it in one line. */
export const SPATIAL_PROVIDERS = [
  AreaResolver,
  SpatialRepository,
  IntersectingService,
  WhoMustAnswerRepository,
  WhoMustAnswerService,
  ShelterSearchRepository,
  NearestSheltersService,
  CapacityCheckRepository,
  CapacityCheckService,
  InvariantsRepository,
  InvariantsService,
];
