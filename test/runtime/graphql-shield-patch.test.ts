import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// graphql-shield 7.6.5 imports `isUndefined` from 'util', which Node 23 removed; the upstream fix
// (maticzav/graphql-shield#1552) was never released, so patches/ carries it and `npm ci` applies it.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIELD = join(ROOT, 'node_modules/graphql-shield');

// chain() and race() are the rules whose evaluation went through util.isUndefined.
const EVALUATE_BOTH_BUILDS = `
import { createRequire } from 'node:module';
const builds = { esm: await import('graphql-shield'), cjs: createRequire(import.meta.url)('graphql-shield') };
const results = {};
for (const [name, { allow, deny, chain, race }] of Object.entries(builds)) {
  const resolve = (rule) => rule.resolve({}, {}, { _shield: { cache: {} } }, {}, {});
  results[name] = {
    chainAllowed: await resolve(chain(allow, allow)),
    chainDenied: await resolve(chain(allow, deny)),
    raceAllowed: await resolve(race(deny, allow)),
    raceDenied: await resolve(race(deny, deny)),
  };
}
process.stdout.write(JSON.stringify(results));
`;

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(dir, file));
}

describe('graphql-shield on this Node', () => {
  it(`loads and evaluates chain and race rules as ESM and as CommonJS (${process.version})`, async () => {
    // --throw-deprecation: on Node 22 the util type checks still exist but are deprecated at run time.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--throw-deprecation', '--input-type=module', '--eval', EVALUATE_BOTH_BUILDS],
      { cwd: ROOT, timeout: 15_000 },
    );
    const expected = {
      chainAllowed: true,
      chainDenied: false,
      raceAllowed: true,
      raceDenied: false,
    };
    expect(JSON.parse(stdout)).toEqual({ esm: expected, cjs: expected });
  });

  it('no installed file uses the util type checks that Node 23 removed', () => {
    const files = [
      ...javascriptFiles(join(SHIELD, 'esm')),
      ...javascriptFiles(join(SHIELD, 'cjs')),
    ];
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) =>
      /\bisUndefined\b|from 'util'|require\("util"\)/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
