// Records to write, read from a JSON file (one object or an array of them), each with an idempotency
// key derived from its content, so running the same file again answers the same records instead of
// making second copies.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolveInputFile } from './csv-file.js';
import { CliError } from './errors.js';

/** The objects of a JSON file: one object, or an array of objects. */
export const readJsonRecords = async (cwd: string, file: string): Promise<Record<string, unknown>[]> => {
  const { path } = await resolveInputFile(cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  if (list.length === 0) throw new CliError(`${file} holds an empty array: nothing to do`);
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new CliError(
        `${file}: ${Array.isArray(parsed) ? `item ${i + 1}` : 'the document'} must be a JSON object`,
      );
  });
  return list as Record<string, unknown>[];
};

/** JSON with keys sorted at every level, so the same content always hashes the same. */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
};

/** The record's own idempotencyKey, or one derived from what it says and what it is for. */
export const idempotencyKeyFor = (purpose: string, record: Record<string, unknown>): string => {
  if (typeof record.idempotencyKey === 'string' && record.idempotencyKey) return record.idempotencyKey;
  const hash = createHash('sha256')
    .update(`${purpose}\n${canonical(record)}`)
    .digest('hex');
  return `ccx-cli:${purpose}:${hash.slice(0, 40)}`;
};

/** A second key for a follow-up write (publishing what was created), within the hub's 100 characters. */
export const followUpKey = (key: string, step: string): string => {
  const k = `${key}.${step}`;
  return k.length <= 100 ? k : `ccx-cli:${step}:${createHash('sha256').update(k).digest('hex').slice(0, 40)}`;
};
