// Where the package's data directories are, whether running from src/ (tsx, vitest) or dist/ (built).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('pia: パッケージのルートディレクトリが見つかりません');
}

export const PROJECT_ROOT = findRoot();
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');
export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');
export const ASSESSMENTS_DIR = join(PROJECT_ROOT, 'assessments');
