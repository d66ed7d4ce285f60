/**
 * Reads environment files in the Teams Toolkit convention: `env/.env.<name>` (committed, no
 * secrets) and `env/.env.<name>.user` (local secrets, git-ignored). Variables already present in
 * the process environment win, so a deployment's real environment always overrides the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export const DEFAULT_ENV_NAME = 'local';

export function envFilePaths(envName: string, envDir: string): string[] {
  return [path.join(envDir, `.env.${envName}`), path.join(envDir, `.env.${envName}.user`)];
}

/**
 * Returns the merged variables: files in order (later files override earlier ones), then `base`
 * on top. Missing files are fine; an unreadable one throws with its path.
 */
export function loadEnvFiles(
  envName: string,
  envDir: string,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) {
    throw new Error(`TEAMSFX_ENV "${envName}" is not a valid environment name (letters, digits, - and _ only)`);
  }
  const merged: Record<string, string | undefined> = {};
  for (const file of envFilePaths(envName, envDir)) {
    if (!existsSync(file)) continue;
    Object.assign(merged, parseEnv(readFileSync(file, 'utf8')));
  }
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined) merged[k] = v;
  }
  return merged;
}
