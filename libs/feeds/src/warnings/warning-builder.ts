import type { CapAlert, CapInfo, CapPair, CapSeverity } from '../cap/cap.types';
import { buildGbtIdentifier } from '../cap/gbt-identifier';
import type { RaiseWarningInput, UpdateWarningInput } from './warning.dto';
import type { WarningLevel } from './warning.types';

/** GB/T 35965.1 pairs the colour levels with CAP severities this way. */
const LEVEL_SEVERITY: Record<WarningLevel, CapSeverity> = { blue: 'Minor', yellow: 'Moderate', orange: 'Severe', red: 'Extreme' };

/** Who we are in the messages we issue (senderName). */
export const HQ_SENDER_NAME = '临海市防汛防台抗旱指挥部';

/** Value name of the geocodes we write: Chinese statistical division codes. */
export const ADMIN_GEOCODE = 'ADCODE';

interface BuildContext {
  adminCode: string;
  sender: string;
  now: Date;
  serial: number;
}

/** kind/level/issuer travel as parameters, so our own messages classify exactly on re-import. */
function ourParameters(kind: string, level: WarningLevel, extra: CapPair[] = []): CapPair[] {
  const ours = new Set(['kind', 'level', 'issuer']);
  return [
    { valueName: 'kind', value: kind },
    { valueName: 'level', value: level },
    { valueName: 'issuer', value: 'hq' },
    ...extra.filter((p) => !ours.has(p.valueName)),
  ];
}

/** A CAP Alert for a warning we raise ourselves (thresholds, the HQ). */
export function buildWarningAlert(input: RaiseWarningInput, ctx: BuildContext): CapAlert {
  const codes = input.divisionCodes ?? [];
  const hasArea = codes.length || input.polygons?.length || input.circles?.length;
  const info: CapInfo = {
    language: 'zh-CN',
    category: [input.kind === 'geo_hazard' ? 'Geo' : 'Met'],
    event: input.event,
    responseType: [],
    urgency: 'Immediate',
    severity: LEVEL_SEVERITY[input.level],
    certainty: input.origin === 'threshold' ? 'Observed' : 'Likely',
    eventCode: [],
    onset: (input.onset ?? ctx.now).toISOString(),
    expires: input.expires?.toISOString(),
    senderName: HQ_SENDER_NAME,
    headline: input.headline,
    description: input.description,
    instruction: input.instruction,
    parameter: ourParameters(input.kind, input.level, input.parameters),
    resource: [],
    area: hasArea
      ? [
          {
            areaDesc: input.areaDesc ?? codes.join(' '),
            polygon: input.polygons ?? [],
            circle: input.circles ?? [],
            geocode: codes.map((value) => ({ valueName: ADMIN_GEOCODE, value })),
          },
        ]
      : [],
  };
  return {
    identifier: buildGbtIdentifier(ctx.adminCode, ctx.now, ctx.serial),
    sender: ctx.sender,
    sent: ctx.now.toISOString(),
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    code: [],
    references: [],
    info: [info],
  };
}

/** A CAP Update or Cancel of one of our warnings: its info carried over, the changes applied. */
export function buildUpdateAlert(
  prev: CapAlert,
  msgType: 'Update' | 'Cancel',
  changes: UpdateWarningInput,
  ctx: Pick<BuildContext, 'now' | 'serial'>,
): CapAlert {
  const info = prev.info.map((i): CapInfo => {
    const level = changes.level;
    const kind = i.parameter.find((p) => p.valueName === 'kind')?.value ?? 'other';
    const oldLevel = (i.parameter.find((p) => p.valueName === 'level')?.value ?? 'blue') as WarningLevel;
    return {
      ...i,
      severity: level ? LEVEL_SEVERITY[level] : i.severity,
      headline: changes.headline ?? i.headline,
      description: changes.description ?? i.description,
      instruction: changes.instruction ?? i.instruction,
      expires: changes.expires ? changes.expires.toISOString() : i.expires,
      responseType: msgType === 'Cancel' ? ['AllClear'] : i.responseType,
      parameter: ourParameters(kind, level ?? oldLevel, changes.parameters ?? i.parameter),
    };
  });
  const adminCode = prev.identifier.slice(0, 6);
  return {
    ...prev,
    identifier: buildGbtIdentifier(/^\d{6}$/.test(adminCode) ? adminCode : '000000', ctx.now, ctx.serial),
    sent: ctx.now.toISOString(),
    msgType,
    // A Cancel's reason travels in its note too: the wake-up tells everyone it called.
    note: msgType === 'Cancel' ? (changes.description ?? prev.note) : prev.note,
    references: [{ sender: prev.sender, identifier: prev.identifier, sent: prev.sent }],
    info,
  };
}
