import { AppError, ErrorKind } from '@fangxun/common';

export const StationErrors = {
  StationNotFound: { code: 'STATION_NOT_FOUND', status: 404 },
  StationCodeTaken: { code: 'STATION_CODE_TAKEN', status: 409 },
  StationInUse: { code: 'STATION_IN_USE', status: 409 },
  BadStationDivision: { code: 'BAD_STATION_DIVISION', status: 422 },
} satisfies Record<string, ErrorKind>;

export function stationNotFound(code: string, field = 'code'): AppError {
  return new AppError(StationErrors.StationNotFound, `station ${code} not found`, [{ field, problem: 'no such station' }]);
}
