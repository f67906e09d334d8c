import { Clock } from '@fangxun/common';

/** The clock the app sees; tests move it. */
export class FakeClock extends Clock {
  constructor(private at: Date) {
    super();
  }
  set(at: string | Date): void {
    this.at = new Date(at);
  }
  advance(minutes: number): void {
    this.at = new Date(this.at.getTime() + minutes * 60_000);
  }
  override now(): Date {
    return new Date(this.at);
  }
}
