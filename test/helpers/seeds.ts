// The seed texts the tests compare against: committed copies of ../shared/seeds (see test/fixtures/seeds/README.md),
// so a clean clone is self-contained.
import { join } from 'node:path';

export const SEEDS_DIR = join(import.meta.dirname, '..', 'fixtures', 'seeds');
export const SEED_000 = join(SEEDS_DIR, '000_6f886305d7562347.txt');
export const SEED_001 = join(SEEDS_DIR, '001_b933322c4e90ebb5.txt');
