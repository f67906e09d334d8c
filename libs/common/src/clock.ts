import { Injectable } from '@nestjs/common';

/** Injectable time source: deadline and threshold logic takes it so tests can set the time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
