import type { CapInfo, CapSeverity } from '../cap/cap.types';
import type { WarningIssuer, WarningKind, WarningLevel } from './warning.types';

/**
 * How a CAP message becomes a kind, a colour level and an issuer (README § Warnings):
 *
 * - kind: a parameter `kind` (our own value names) wins; else the event text, checked in this
 *   order: 山洪 / flash flood → flash_flood; 地质灾害 / 滑坡 / 泥石流 / landslide / debris → geo_hazard;
 *   台风 / typhoon / tropical cyclone / hurricane → typhoon; 暴雨 / rainstorm / heavy rain → rainstorm;
 *   洪水 / 江河 / 河道 / flood → river_flood; otherwise other. (Flash flood before flood, so
 *   "山洪灾害气象预警" is not a river flood.)
 * - level: a parameter `level` / `color` / `colour` / `预警级别` / `预警等级` (blue/yellow/orange/red
 *   or 蓝/黄/橙/红, also Ⅳ/Ⅲ/Ⅱ/Ⅰ 级) wins; else the colour a headline changes to (升级为 / 降级为 /
 *   调整为 X, `headlineAction`); else a colour named in the event or headline
 *   (蓝色 / 黄色 / 橙色 / 红色, blue … red); else CAP severity as GB/T 35965.1 pairs them:
 *   Minor → blue, Moderate → yellow, Severe → orange, Extreme → red; Unknown → no level.
 * - issuer: a parameter `issuer` wins; else sender and senderName: 气象 / meteorolog / weather
 *   / CMA / NWS → meteorology; 水利 / 水文 / water → water_resources; 自然资源 / 国土 / geolog →
 *   natural_resources; 防汛 / 防指 / 指挥部 / headquarters → hq; else by kind (rainstorm and
 *   typhoon: meteorology, floods: water_resources, geo_hazard: natural_resources); else other.
 */
export interface Classification {
  kind: WarningKind;
  level: WarningLevel | null;
  issuer: WarningIssuer;
  /** The message lifts a warning (解除, all clear): it wakes nobody and ends what it refers to. */
  lifted: boolean;
}

/**
 * What a Chinese headline says is done with the signal: 发布 (issue), 继续发布 (renew), 升级为 X
 * (upgrade to X), 降级为 X / 调整为 X (downgrade or change to X), 解除 (lift). The colour after
 * 为 is the new level: "将暴雨红色预警信号降级为橙色" is an orange warning, though red comes first.
 */
export interface HeadlineAction {
  action: 'issue' | 'renew' | 'upgrade' | 'downgrade' | 'change' | 'lift' | null;
  /** The level the message stands at after the action (the colour lifted, for a lift). */
  level: WarningLevel | undefined;
}

const COLOUR: Record<string, WarningLevel> = { 蓝: 'blue', 黄: 'yellow', 橙: 'orange', 红: 'red' };
const TO_COLOUR = /(升级|提升|升|降级|降低|降|调整|变更|更改|改|调)\s*[为成至到]\s*(蓝|黄|橙|红)色?/;
const TO_COLOUR_EN = /\b(upgraded|raised|downgraded|lowered|changed|adjusted)\s+to\s+(blue|yellow|orange|red)\b/i;
const LIFT = /解除|取消.{0,12}预警|\blift(ed|s)?\b|\ball[\s-]*clear\b|\bcancell?ed\b/i;

export function headlineAction(text: string | undefined): HeadlineAction {
  if (!text) return { action: null, level: undefined };
  if (LIFT.test(text)) return { action: 'lift', level: levelFromText(text) };
  const zh = TO_COLOUR.exec(text);
  if (zh) return { action: /升/.test(zh[1]) ? 'upgrade' : /降/.test(zh[1]) ? 'downgrade' : 'change', level: COLOUR[zh[2]] };
  const en = TO_COLOUR_EN.exec(text);
  if (en) {
    const verb = en[1].toLowerCase();
    const action =
      verb === 'upgraded' || verb === 'raised' ? 'upgrade' : verb === 'downgraded' || verb === 'lowered' ? 'downgrade' : 'change';
    return { action, level: en[2].toLowerCase() as WarningLevel };
  }
  if (/继续发布|继续生效|维持/.test(text)) return { action: 'renew', level: levelFromText(text) };
  if (/发布|issued?\b/i.test(text)) return { action: 'issue', level: levelFromText(text) };
  return { action: null, level: undefined };
}

const KIND_RULES: Array<[RegExp, WarningKind]> = [
  [/山洪|flash[\s_-]*flood/i, 'flash_flood'],
  [/地质灾害|滑坡|泥石流|崩塌|landslide|debris|geo[\s_-]*hazard|mudslide/i, 'geo_hazard'],
  [/台风|热带气旋|typhoon|tropical\s*(cyclone|storm)|hurricane/i, 'typhoon'],
  [/暴雨|大暴雨|rainstorm|heavy\s*rain/i, 'rainstorm'],
  [/洪水|江河|河道|水位|flood/i, 'river_flood'],
];

const LEVEL_WORDS: Array<[RegExp, WarningLevel]> = [
  [/红|\bred\b|(?<![IVⅠⅡⅢ])(Ⅰ|I)级|一级/i, 'red'],
  [/橙|\borange\b|(?<![IV])(Ⅱ|II)级|二级/i, 'orange'],
  [/黄|\byellow\b|(Ⅲ|III)级|三级/i, 'yellow'],
  [/蓝|\bblue\b|(Ⅳ|IV)级|四级/i, 'blue'],
];

const SEVERITY_LEVEL: Record<CapSeverity, WarningLevel | null> = {
  Minor: 'blue',
  Moderate: 'yellow',
  Severe: 'orange',
  Extreme: 'red',
  Unknown: null,
};

const ISSUER_RULES: Array<[RegExp, WarningIssuer]> = [
  [/防汛|防指|指挥部|headquarters|fangxun|^hq$/i, 'hq'],
  [/气象|meteorolog|weather|\bcma\b|\bnws\b|noaa/i, 'meteorology'],
  [/水利|水文|water/i, 'water_resources'],
  [/自然资源|国土|geolog|natural\s*resources/i, 'natural_resources'],
];

const KIND_ISSUER: Partial<Record<WarningKind, WarningIssuer>> = {
  rainstorm: 'meteorology',
  typhoon: 'meteorology',
  flash_flood: 'water_resources',
  river_flood: 'water_resources',
  geo_hazard: 'natural_resources',
};

function param(info: CapInfo, ...names: string[]): string | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  return info.parameter.find((p) => wanted.includes(p.valueName.toLowerCase()))?.value;
}

function firstMatch<V>(rules: Array<[RegExp, V]>, text: string): V | undefined {
  return rules.find(([re]) => re.test(text))?.[1];
}

export function levelFromText(text: string): WarningLevel | undefined {
  return firstMatch(LEVEL_WORDS, text);
}

/** The info a duty officer reads: the first in Chinese, else the first. */
export function primaryInfo(infos: CapInfo[]): CapInfo | undefined {
  return infos.find((i) => /^zh/i.test(i.language)) ?? infos[0];
}

export function classify(info: CapInfo | undefined, sender: string): Classification {
  if (!info) return { kind: 'other', level: null, issuer: firstMatch(ISSUER_RULES, sender) ?? 'other', lifted: false };
  const said = headlineAction(info.headline);
  const lifted = said.action === 'lift' || info.responseType.includes('AllClear');
  const kindParam = param(info, 'kind', 'warningKind');
  const kind =
    (kindParam && firstMatch(KIND_RULES, kindParam.replace(/_/g, ' '))) ||
    (kindParam === 'other' ? 'other' : undefined) ||
    firstMatch(KIND_RULES, info.event) ||
    'other';
  const levelParam = param(info, 'level', 'color', 'colour', '预警级别', '预警等级');
  // A change of colour in the headline (降级为橙色) outranks the colour the event text still names.
  const changed = said.action === 'upgrade' || said.action === 'downgrade' || said.action === 'change' ? said.level : undefined;
  const level =
    (levelParam && levelFromText(levelParam)) ||
    changed ||
    levelFromText(info.event) ||
    (info.headline && /预警|warning|signal/i.test(info.headline) ? levelFromText(info.headline) : undefined) ||
    SEVERITY_LEVEL[info.severity];
  const issuerParam = param(info, 'issuer');
  const issuer =
    (issuerParam && (firstMatch(ISSUER_RULES, issuerParam.replace(/_/g, ' ')) ?? (issuerParam === 'other' ? 'other' : undefined))) ||
    firstMatch(ISSUER_RULES, `${info.senderName ?? ''} ${sender}`) ||
    KIND_ISSUER[kind] ||
    'other';
  return { kind, level, issuer, lifted };
}
