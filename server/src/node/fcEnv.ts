/**
 * The FC_* environment variables read exactly as KrakenD CE reads them: FC_ENABLE set to any
 * non-empty value (even `0`) turns Flexible Configuration on; FC_SETTINGS, FC_PARTIALS,
 * FC_TEMPLATES and FC_OUT are used when non-empty, as written (relative paths are relative to
 * the working folder, KrakenD's and the CLI's).
 */
import type { FlexibleSetup } from '../core/flexible';

export function flexibleFromEnv(env: Readonly<Record<string, string | undefined>>): FlexibleSetup | undefined {
  if (!env.FC_ENABLE) return undefined;
  const options: { settings?: string; partials?: string; templates?: string } = {};
  if (env.FC_SETTINGS) options.settings = env.FC_SETTINGS;
  if (env.FC_PARTIALS) options.partials = env.FC_PARTIALS;
  if (env.FC_TEMPLATES) options.templates = env.FC_TEMPLATES;
  return env.FC_OUT ? { options, out: env.FC_OUT } : { options };
}
