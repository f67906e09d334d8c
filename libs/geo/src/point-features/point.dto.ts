import { ApiProperty } from '@nestjs/swagger';
import { IsIn, registerDecorator, ValidationOptions } from 'class-validator';

/** [longitude, latitude] in WGS 84 / CGCS2000 degrees, in range. Altitude is not kept (2D points). */
function IsLonLat(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLonLat',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be [longitude, latitude]: longitude -180..180, latitude -90..90', ...options },
      validator: {
        validate: (v: unknown) =>
          Array.isArray(v) &&
          v.length === 2 &&
          v.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
          Math.abs(v[0] as number) <= 180 &&
          Math.abs(v[1] as number) <= 90,
      },
    });
}

/** An RFC 7946 Point: where a shelter, a team's base or a depot is. */
export class PointDto {
  @ApiProperty({ enum: ['Point'] }) @IsIn(['Point']) type!: 'Point';

  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, example: [121.1315, 28.8456], description: '[longitude, latitude], WGS 84' })
  @IsLonLat()
  coordinates!: [number, number];
}
