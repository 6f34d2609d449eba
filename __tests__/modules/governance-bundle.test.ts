/**
 * The governance function's deployment package: size budget, byte-for-byte reproducibility, what goes into it, and
 * that the bundled file actually runs under Node with the runtime-provided AWS SDK.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BUNDLE_FILE_NAME,
  MAX_BUNDLE_ZIP_BYTES,
  PROJECT_ROOT,
  buildGovernanceBundle,
  governanceBundle,
  governanceBundleZipSize,
  writeGovernanceBundle,
} from '../../modules/governance/bundle';
import { crc32, deterministicZip } from '../../modules/governance/zip';
import { validEnv } from '../lambda-src/governance/support/fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-governance-bundle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface ZipListing {
  name: string;
  method: number;
  time: number;
  date: number;
  externalAttributes: number;
  madeBy: number;
  crc: number;
  data: Buffer;
}

/** Reads a ZIP through its central directory (enough for the writer's own output). */
function readZip(zip: Buffer): ZipListing[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipListing[] = [];
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const size = zip.readUInt32LE(at + 20);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('ascii', at + 46, at + 46 + nameLength);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    entries.push({
      name,
      madeBy: zip.readUInt16LE(at + 4),
      method: zip.readUInt16LE(at + 10),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      externalAttributes: zip.readUInt32LE(at + 38),
      data: zip.subarray(dataStart, dataStart + size),
    });
    at += 46 + nameLength;
  }
  return entries;
}

describe('governance bundle', () => {
  test(`is at most ${MAX_BUNDLE_ZIP_BYTES / 1024} KB zipped (governanceBundleZipSize, printed by npm run bench)`, () => {
    const size = governanceBundleZipSize();
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(MAX_BUNDLE_ZIP_BYTES);
  });

  test('two builds give identical bytes', () => {
    const first = buildGovernanceBundle();
    const second = buildGovernanceBundle();
    expect(second.zip.equals(first.zip)).toBe(true);
    expect(second.sha256Base64).toBe(first.sha256Base64);
    expect(first.sha256Hex).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(first.sha256Base64, 'base64').toString('hex')).toBe(first.sha256Hex);
  });

  test('contains only the handler and the dependency-free policy modules (no cdktf, no constructs, no SDK)', () => {
    const { inputs, code } = governanceBundle();
    expect(inputs.filter((input) => !input.startsWith('lambda-src/governance/'))).toEqual([
      'modules/access/actions.ts',
      'modules/access/arns.ts',
      'modules/access/policy-document.ts',
      'modules/access/project-template.ts',
      'modules/access/resource-policy-document.ts',
      'modules/governance/change-events.ts',
    ]);
    expect(inputs.some((input) => input.includes('node_modules'))).toBe(false);
    expect(code).toContain('require("@aws-sdk/client-dynamodb")');
    expect(code).not.toContain(PROJECT_ROOT);
    expect(code).not.toContain(os.homedir());
  });

  test('is a ZIP with one stored index.js, fixed 1980-01-01 timestamp and 0644 permissions', () => {
    const { zip, code } = governanceBundle();
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual([BUNDLE_FILE_NAME]);
    const [entry] = entries;
    expect(entry).toMatchObject({ method: 0, time: 0, date: 0x21, madeBy: 0x0314 });
    expect((entry.externalAttributes >>> 16) & 0o777).toBe(0o644);
    expect(entry.data.toString('utf8')).toBe(code);
    expect(entry.crc).toBe(crc32(entry.data));
  });

  test('writeGovernanceBundle writes a content-addressed file once', () => {
    const bundle = governanceBundle();
    const file = writeGovernanceBundle(bundle, tmp);
    expect(file).toBe(path.join(tmp, bundle.sha256Hex, 'governance.zip'));
    expect(fs.readFileSync(file).equals(bundle.zip)).toBe(true);
    const mtime = fs.statSync(file).mtimeMs;
    expect(writeGovernanceBundle(bundle, tmp)).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
  });

  describe('the bundled index.js runs under Node with the runtime-provided SDK', () => {
    const dir = path.join(tmp, 'run');
    beforeAll(() => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, BUNDLE_FILE_NAME), governanceBundle().code);
    });

    function invoke(env: Record<string, string | undefined>, event: unknown) {
      const script = `require('./index.js').handler(${JSON.stringify(event)}).then((r) => console.log('RESULT ' + JSON.stringify(r)), (e) => console.log('ERROR ' + e.name + ' ' + e.message));`;
      const clean = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
      const run = spawnSync(process.execPath, ['-e', script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'), NODE_NO_WARNINGS: '1', ...clean },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(0);
      return run.stdout.split('\n').filter(Boolean);
    }

    test('a malformed event is rejected with a result, not an exception', () => {
      const lines = invoke(validEnv(), { hello: 'world' });
      const result = lines.find((l) => l.startsWith('RESULT '));
      expect(JSON.parse(result!.slice(7))).toMatchObject({ outcome: 'rejected', reason: 'id must be a non-empty string of at most 128 characters' });
      expect(lines.some((l) => l.includes('"_aws"'))).toBe(true);
    });

    test('an invalid configuration is logged as one structured line at cold start and fails the invocation', () => {
      const lines = invoke(validEnv({ GOVERNANCE_VPC_ID: 'vpc-project-x', GOVERNANCE_QUARANTINE_ACTION: undefined }), {});
      const coldStart = JSON.parse(lines[0]);
      expect(coldStart).toMatchObject({
        level: 'ERROR',
        message: 'invalid governance configuration',
        problems: [
          { variable: 'GOVERNANCE_VPC_ID', problem: expect.any(String) },
          { variable: 'GOVERNANCE_QUARANTINE_ACTION', problem: expect.any(String) },
        ],
      });
      expect(lines.find((l) => l.startsWith('ERROR '))).toContain('GovernanceConfigurationError invalid governance configuration: GOVERNANCE_VPC_ID');
    });
  });
});

describe('deterministicZip', () => {
  test('CRC-32 of "123456789" is the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test('entry order does not change the bytes', () => {
    const a = { name: 'a.js', data: Buffer.from('a') };
    const b = { name: 'lib/b.js', data: Buffer.from('bb') };
    expect(deterministicZip([b, a]).equals(deterministicZip([a, b]))).toBe(true);
    expect(readZip(deterministicZip([b, a])).map((e) => e.name)).toEqual(['a.js', 'lib/b.js']);
  });

  test.each(['/abs.js', '../up.js', 'win\\path.js', 'ünicode.js', ''])('rejects the entry name %j', (name) => {
    expect(() => deterministicZip([{ name, data: Buffer.from('x') }])).toThrow(/must be a relative ASCII path/);
  });

  test('rejects duplicate names', () => {
    expect(() => deterministicZip([{ name: 'a', data: Buffer.from('1') }, { name: 'a', data: Buffer.from('2') }])).toThrow(/duplicate/);
  });

  test('the system unzip accepts the archive', () => {
    const file = path.join(tmp, 'check.zip');
    fs.writeFileSync(file, governanceBundle().zip);
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    if (test.error) return; // unzip not installed: the structural checks above still ran
    expect(test.stdout).toContain('No errors detected');
  });
});
