import { AppError } from '@fangxun/common';
import { GeoErrors } from '../geo.errors';

export function riskObjectNotFound(code: string): AppError {
  return new AppError(GeoErrors.RiskObjectNotFound, `risk object ${code} not found`, [{ field: 'code', problem: 'no such risk object' }]);
}
