/**
 * Whether a configuration is checked as a Flexible Configuration, and with which folders: the
 * editor's `krakend.flexibleConfig.*` settings (auto-detection included) turned into the
 * FC_SETTINGS/FC_PARTIALS/FC_TEMPLATES/FC_OUT that KrakenD would be given. Pure: the file
 * system is asked only through the injected `hasDir` and `resolve`.
 */
import type { FlexibleEnable } from '../../../../shared/settings';
import type { ConfigFormat } from '../types';
import { formatOf } from '../types';
import type { FlexibleOptions } from './project';

/** The folder settings as the user wrote them; empty means "the conventional one, if present". */
export interface FlexibleFolderSettings {
  readonly settings: string;
  readonly partials: string;
  readonly templates: string;
  readonly out: string;
}

export interface FlexibleSetupInput {
  /** The configuration's text (auto-detection looks for a template action in it). */
  readonly text: string;
  readonly enable: FlexibleEnable;
  readonly folders: FlexibleFolderSettings;
  /** The configuration's own format (by its file name). */
  readonly configFormat?: ConfigFormat;
  /** A setting's path made absolute: relative paths are relative to the configuration's folder. */
  resolve(path: string): string;
  hasDir(path: string): boolean;
}

/** How the configuration is rendered; absolute paths, as KrakenD's FC_* variables would hold. */
export interface FlexibleSetup {
  readonly options: FlexibleOptions;
  /** FC_OUT, when set: it decides whether the output is parsed as JSON or YAML. */
  readonly out?: string;
  /**
   * How the output is parsed when that is not what `out` says: a YAML configuration without
   * FC_OUT is read as YAML (KrakenD needs an FC_OUT ending in `.yml`/`.yaml` to run it).
   */
  readonly format?: ConfigFormat;
}

/** The format the rendered output of a setup is parsed in. */
export function setupFormat(setup: FlexibleSetup): ConfigFormat {
  return setup.format ?? (setup.out ? formatOf(setup.out) : 'json');
}

const FOLDERS = ['settings', 'partials', 'templates'] as const;
const ENV = { settings: 'FC_SETTINGS', partials: 'FC_PARTIALS', templates: 'FC_TEMPLATES' } as const;

/**
 * The setup for one configuration, or undefined when it is read as plain JSON/YAML.
 * `off`: never. `on`: always, with the configured folders, else the conventional ones that
 * exist. `auto`: when the text has a template action (`{{`) or one of those folders exists;
 * the options then carry the `template/detected` note saying what was found and how to run it.
 */
export function flexibleSetup(input: FlexibleSetupInput): FlexibleSetup | undefined {
  if (input.enable === 'off') return undefined;
  const paths: { settings?: string; partials?: string; templates?: string } = {};
  const shown: string[] = [];
  const found: string[] = [];
  for (const key of FOLDERS) {
    const configured = input.folders[key];
    const path = input.resolve(configured || key);
    const exists = input.hasDir(path);
    // A configured folder is used even when missing: KrakenD then fails, and so must the check.
    if (!configured && !exists) continue;
    paths[key] = path;
    const name = configured || key;
    shown.push(`${ENV[key]}=${name}`);
    if (exists) found.push(`${name.replace(/[/\\]+$/, '')}/`);
  }
  const out = input.folders.out ? input.resolve(input.folders.out) : undefined;
  const actions = input.text.includes('{{');
  if (input.enable === 'auto' && !actions && found.length === 0) return undefined;
  const yaml = out === undefined && input.configFormat === 'yaml';
  let options: FlexibleOptions = paths;
  if (input.enable === 'auto') {
    const what = [...(actions ? ['template actions ({{ }})'] : []), ...found].join(', ');
    const env = ['FC_ENABLE=1', ...shown, ...(input.folders.out ? [`FC_OUT=${input.folders.out}`] : yaml ? ['FC_OUT=<file>.yml'] : [])].join(' ');
    const message = `Flexible Configuration detected: ${what}. Checked as KrakenD renders it with ${env}; set krakend.flexibleConfig.enable to "off" to check the file as plain JSON/YAML.`;
    options = { ...paths, detected: message };
  }
  return { options, ...(out !== undefined ? { out } : {}), ...(yaml ? { format: 'yaml' as const } : {}) };
}

/** The FC_* variables of a setup (absolute paths), for the gateway and `krakend/checkResult`. */
export function flexibleEnv(setup: FlexibleSetup): { settings?: string; partials?: string; templates?: string; out?: string } {
  const { settings, partials, templates } = setup.options;
  return {
    ...(settings ? { settings } : {}),
    ...(partials ? { partials } : {}),
    ...(templates ? { templates } : {}),
    ...(setup.out ? { out: setup.out } : {}),
  };
}
