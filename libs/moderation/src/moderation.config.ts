import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { CountryCode } from 'libphonenumber-js';
import { getCountries } from 'libphonenumber-js';
import { ConfigurationError, validateEnv } from '@kinship/common';
import type { CrisisResource } from './screening/screening.types';

class ModerationEnv {
  @IsOptional()
  @IsString()
  CRISIS_RESOURCES_JSON?: string;

  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be a two-letter country code such as GB or US' })
  PRIVACY_DEFAULT_REGION?: string;
}

/** International guidance that is right anywhere; deployments set their national lines. */
export const DEFAULT_CRISIS_RESOURCES: CrisisResource[] = [
  {
    name: 'Emergency services',
    contact:
      'Call your local emergency number (112 in the EU, 911 in North America, 999 in the UK)',
  },
  { name: 'Find a helpline', contact: 'findahelpline.com', url: 'https://findahelpline.com' },
];

export interface ModerationConfig {
  crisisResources: CrisisResource[];
  /** Region whose national phone formats the privacy detector reads (numbers without +). */
  privacyRegion: CountryCode;
}

export const moderationConfig = registerAs('moderation', (): ModerationConfig => {
  const env = validateEnv(ModerationEnv);
  const region = env.PRIVACY_DEFAULT_REGION ?? 'GB';
  if (!getCountries().includes(region as CountryCode)) {
    throw new ConfigurationError([`PRIVACY_DEFAULT_REGION: unknown region ${region}`]);
  }
  return {
    crisisResources: env.CRISIS_RESOURCES_JSON
      ? parseResources(env.CRISIS_RESOURCES_JSON)
      : DEFAULT_CRISIS_RESOURCES,
    privacyRegion: region as CountryCode,
  };
});

/** A non-empty JSON array of {name, contact, url?}; anything else stops the process at start. */
export function parseResources(json: string): CrisisResource[] {
  const fail = (why: string): never => {
    throw new ConfigurationError([`CRISIS_RESOURCES_JSON: ${why}`]);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('is not valid JSON');
  }
  if (!Array.isArray(value) || value.length === 0) fail('must be a non-empty JSON array');
  return (value as unknown[]).map((r, i) => {
    const item = r as Record<string, unknown>;
    const text = (v: unknown) => typeof v === 'string' && v.trim() !== '' && v.length <= 300;
    if (!item || typeof item !== 'object' || !text(item.name) || !text(item.contact)) {
      fail(`item ${i} needs a "name" and a "contact" (non-empty strings)`);
    }
    if (
      item.url !== undefined &&
      (typeof item.url !== 'string' || !/^https?:\/\//.test(item.url))
    ) {
      fail(`item ${i}: "url" must be an http(s) URL`);
    }
    return {
      name: item.name as string,
      contact: item.contact as string,
      ...(item.url ? { url: item.url as string } : {}),
    };
  });
}
