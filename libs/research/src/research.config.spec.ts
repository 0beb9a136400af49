import { resolve } from 'node:path';
import { readResearchConfig } from './research.config';

describe('research configuration', () => {
  it('keeps exports under DATA_DIR for 72 hours, swept every 5 minutes, by default', () => {
    expect(readResearchConfig({})).toEqual({
      exportDir: resolve('./data/exports'),
      exportTtlMs: 72 * 3_600_000,
      sweepIntervalMs: 300_000,
    });
    expect(readResearchConfig({ DATA_DIR: '/srv/kinship' }).exportDir).toBe('/srv/kinship/exports');
  });

  it('reads EXPORT_DIR, fractional hours and the sweep period', () => {
    expect(
      readResearchConfig({
        EXPORT_DIR: '/mnt/exports',
        EXPORT_TTL_HOURS: '0.5',
        EXPORT_SWEEP_SECONDS: '60',
      }),
    ).toEqual({
      exportDir: '/mnt/exports',
      exportTtlMs: 1_800_000,
      sweepIntervalMs: 60_000,
    });
  });

  it.each([
    ['EXPORT_TTL_HOURS', '0'],
    ['EXPORT_TTL_HOURS', 'soon'],
    ['EXPORT_TTL_HOURS', '9000'],
    ['EXPORT_SWEEP_SECONDS', '0'],
    ['EXPORT_SWEEP_SECONDS', '1.5'],
  ])('refuses %s=%s naming it', (name, value) => {
    expect(() => readResearchConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
