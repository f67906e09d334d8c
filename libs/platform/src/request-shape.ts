import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
// The storage @Type() writes to; class-transformer exports it only from its cjs build (types under types/).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { ArrayMaxSize, getMetadataStorage, ValidationOptions } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { ErrorDetail } from '@fangxun/common';

/** At most this many problems are listed in one 400; the message says how many more there were. */
export const MAX_REPORTED_PROBLEMS = 50;

/**
 * An array sent where the DTO declares none (a string, a number, a GeoJSON point's two numbers)
 * is refused above this length before class-transformer copies it item by item; the property's
 * own validator then refuses the shorter ones.
 */
export const UNDECLARED_ARRAY_MAX = 1000;

/**
 * An array property's bound, in both places it must be: class-validator's `ArrayMaxSize` (read
 * by the pre-check below before any item is looked at) and the OpenAPI schema's `maxItems`.
 * Put it next to the property's own `@ApiProperty` (it merges into it).
 */
export function MaxItems(max: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(ArrayMaxSize(max, options), ApiProperty({ maxItems: max }));
}

type Ctor = abstract new (...args: never[]) => unknown;

interface ClassShape {
  /** Every property class-validator knows about (the whitelist). */
  known: Set<string>;
  maxItems: Map<string, number>;
  /** Properties validated as one nested object (ValidateNested without `each`). */
  nestedOne: Set<string>;
  /** Nested objects without `@IsOptional` (class-validator's ValidateNested lets `undefined` through). */
  nestedRequired: Set<string>;
  /** IsNumber({maxDecimalPlaces}) properties, with the bound (class-validator throws on 1e-7: it splits the text at '.'). */
  decimals: Map<string, number>;
  /** Properties whose OpenAPI schema says `nullable: true`: null clears them; elsewhere null is refused. */
  nullable: Set<string>;
  /** Nested DTO class of a property (one object or each item), from class-transformer's `@Type`. */
  nestedType: Map<string, (value: Record<string, unknown>) => Ctor | undefined>;
}

/** Where @nestjs/swagger keeps `@ApiProperty` options (PartialType/OmitType copy them). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

const shapes = new WeakMap<Ctor, ClassShape | null>();

/** What the pre-check needs of a DTO class, read once from the validation metadata (null: not a DTO). */
function shapeOf(cls: Ctor): ClassShape | null {
  if (shapes.has(cls)) return shapes.get(cls) ?? null;
  const metas: ValidationMetadata[] = getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false);
  let shape: ClassShape | null = null;
  if (metas.length) {
    shape = {
      known: new Set(),
      maxItems: new Map(),
      nestedOne: new Set(),
      nestedRequired: new Set(),
      decimals: new Map(),
      nullable: new Set(),
      nestedType: new Map(),
    };
    const optional = new Set(metas.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
    for (const m of metas) {
      shape.known.add(m.propertyName);
      if (m.name === 'arrayMaxSize' && typeof m.constraints?.[0] === 'number') {
        const prev = shape.maxItems.get(m.propertyName);
        shape.maxItems.set(m.propertyName, Math.min(prev ?? Infinity, m.constraints[0] as number));
      }
      if (m.type === 'nestedValidation' && !m.each) shape.nestedOne.add(m.propertyName);
      const places = (m.constraints?.[0] as { maxDecimalPlaces?: unknown } | undefined)?.maxDecimalPlaces;
      if (m.name === 'isNumber' && typeof places === 'number') shape.decimals.set(m.propertyName, places);
    }
    for (const prop of shape.nestedOne) if (!optional.has(prop)) shape.nestedRequired.add(prop);
    for (const prop of shape.known) {
      const api = Reflect.getMetadata(API_MODEL_PROPERTIES, (cls as unknown as { prototype: object }).prototype, prop) as
        { nullable?: boolean } | undefined;
      if (api?.nullable) shape.nullable.add(prop);
    }
    for (const prop of shape.known) {
      const t = defaultMetadataStorage.findTypeMetadata(cls as never, prop);
      if (!t) continue;
      const discriminator = t.options?.discriminator;
      shape.nestedType.set(prop, (value) => {
        if (discriminator) {
          const name = value[discriminator.property];
          return discriminator.subTypes.find((s) => s.name === name)?.value as Ctor | undefined;
        }
        try {
          return t.typeFunction() as Ctor;
        } catch {
          return undefined;
        }
      });
    }
  }
  shapes.set(cls, shape);
  return shape;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Bounded work before per-item work: walks the raw body along the DTO's metadata and reports
 * (stopping at MAX_REPORTED_PROBLEMS) arrays longer than their `ArrayMaxSize`, a JSON array where an
 * object is expected, and unknown properties, without descending into anything it refused. The
 * walk visits each value once and stops at the cap, so a 2 MiB body of 500,000 items costs one
 * `length` read instead of 500,000 item validations (class-validator validates every item of an
 * over-long array and every unknown key of an object). Returns [] when class-validator may run.
 */
export function requestShapeProblems(value: unknown, cls: Ctor): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  // Unknown keys alone are left to class-validator (which names them with every other bad field)
  // unless there are so many that listing them is the work to avoid.
  const unknown: ErrorDetail[] = [];
  const add = (field: string, problem: string) => {
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ field, problem });
  };
  // An explicit stack (the body's depth is already capped by the JSON reader, but recursion is not needed).
  const stack: Array<{ value: unknown; cls: Ctor; field: string }> = [{ value, cls, field: '' }];
  while (stack.length && problems.length < MAX_REPORTED_PROBLEMS && unknown.length <= MAX_REPORTED_PROBLEMS) {
    const { value: v, cls: c, field } = stack.pop()!;
    const shape = shapeOf(c);
    if (!shape) continue;
    if (!isPlainObject(v)) {
      if (Array.isArray(v)) add(field || '(body)', 'must be a JSON object, not an array');
      continue;
    }
    const at = (k: string) => (field ? `${field}.${k}` : k);
    for (const k of shape.nestedRequired) if (v[k] === undefined || v[k] === null) add(at(k), 'is required');
    for (const k in v) {
      if (problems.length >= MAX_REPORTED_PROBLEMS) break;
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      if (!shape.known.has(k)) {
        if (unknown.length <= MAX_REPORTED_PROBLEMS) unknown.push({ field: at(k), problem: `property ${k} should not exist` });
        if (unknown.length > MAX_REPORTED_PROBLEMS) break;
        continue;
      }
      const item = v[k];
      if (item === null && !shape.nullable.has(k)) {
        // `null` reaches a service only where the document says it clears the field; IsOptional
        // would let it through to a NOT NULL column or a function that expects a string.
        add(at(k), 'cannot be null');
        continue;
      }
      const places = shape.decimals.get(k);
      if (places !== undefined && typeof item === 'number' && !Number.isInteger(item) && /e/i.test(String(item))) {
        add(at(k), `must have at most ${places} decimal places`);
        continue;
      }
      const max = shape.maxItems.get(k) ?? UNDECLARED_ARRAY_MAX;
      if (Array.isArray(item) && item.length > max) {
        add(at(k), `must hold at most ${max} items (got ${item.length})`);
        continue;
      }
      if (shape.nestedOne.has(k) && Array.isArray(item)) {
        add(at(k), 'must be a JSON object, not an array');
        continue;
      }
      const typeOf = shape.nestedType.get(k);
      if (!typeOf) continue;
      if (Array.isArray(item)) {
        // Bounded: an array reaches here only within its maxItems (or, without one, the test
        // that every DTO array declares a bound fails).
        for (let i = item.length - 1; i >= 0; i--) {
          const el = item[i];
          // class-validator would validate every item of an array nested in the array: refused here.
          if (Array.isArray(el)) add(`${at(k)}[${i}]`, 'must be a JSON object, not an array');
          const t = isPlainObject(el) ? typeOf(el) : undefined;
          if (t) stack.push({ value: el, cls: t, field: `${at(k)}[${i}]` });
        }
      } else if (isPlainObject(item)) {
        const t = typeOf(item);
        if (t) stack.push({ value: item, cls: t, field: at(k) });
      }
    }
  }
  if (problems.length || unknown.length > MAX_REPORTED_PROBLEMS) return [...problems, ...unknown].slice(0, MAX_REPORTED_PROBLEMS);
  return [];
}
