import { Injectable } from '@nestjs/common';

/** The one source of "now", so that time-dependent rules can be tested. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
