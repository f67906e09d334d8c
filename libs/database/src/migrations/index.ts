import { Extensions1764300000000 } from './1764300000000-Extensions';
import { Registry1764300000100 } from './1764300000100-Registry';
import { Auth1764300000200 } from './1764300000200-Auth';
import { Geo1764300000300 } from './1764300000300-Geo';

/** Every migration in order. New ones are appended here (generated, then read and edited). */
export const MIGRATIONS = [Extensions1764300000000, Registry1764300000100, Auth1764300000200, Geo1764300000300];
