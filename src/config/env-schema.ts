import { z } from 'zod';

/** Environment values are strings; these helpers turn them into typed values with clear errors. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envPort = z.coerce.number().int().min(0).max(65535);

export const envNumber = (min: number, max: number) => z.coerce.number().min(min).max(max);
