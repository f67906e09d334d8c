import { registerDecorator, ValidationOptions } from 'class-validator';
import { isChineseMobile, normalisePhone } from './phone';

/** A Chinese mobile number (E.164 after normalisation). */
export function IsChineseMobile(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isChineseMobile',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a Chinese mobile number, e.g. +8613912345678', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isChineseMobile(v) },
    });
}

/** Any valid phone number (landlines included), E.164 after normalisation. */
export function IsPhone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a valid phone number (E.164 or a Chinese number)', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && normalisePhone(v) === v },
    });
}
