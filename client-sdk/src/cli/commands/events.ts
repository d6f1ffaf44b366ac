// ccx events tail: the event feed from a cursor, and with --follow every new event as it happens
// (the live subscription, or polling the feed with --poll).
import { setTimeout as sleep } from 'node:timers/promises';
import { eventsSince, type CcxClient } from '../../index.js';
import type { RouterInputs, RouterOutputs } from '../../router.js';
import { intOption, parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  authorityName,
  providerName,
  ratingInWords,
  settingName,
  shortTime,
  writeJsonLine,
  writeLine,
  type NamedRef,
} from '../output.js';

type CcxEvent = RouterOutputs['events']['list']['items'][number];
type EventType = NonNullable<RouterInputs['events']['list']['types']>[number];

/** A `{ id, name }` the hub put beside an id in the event's data, if it is one. */
const refIn = (v: unknown): NamedRef | undefined =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as NamedRef).id === 'string' &&
  typeof (v as NamedRef).name === 'string'
    ? (v as NamedRef)
    : undefined;

/** A few words from the event's data, where it has them, so a line says what happened. */
const gist = (e: CcxEvent): string => {
  const d = e.data;
  const text = (k: string) => (typeof d[k] === 'string' ? [d[k]] : []);
  return [
    ...text('kind'),
    ...text('activityType'),
    ...text('status'),
    ...(typeof d.overallRating === 'number' ? [`rated ${ratingInWords(d.overallRating)}`] : []),
    ...(e.type === 'allocation.changed'
      ? text('authorityId').map((a) => `lead ${authorityName(refIn(d.authority), a)}`)
      : []),
    ...text('message'),
  ].join(' ');
};

const printer = (io: CliIo, json: boolean) => (e: CcxEvent) => {
  if (json) writeJsonLine(io.stdout, e);
  else
    writeLine(
      io.stdout,
      [
        e.id.padStart(6),
        shortTime(e.at),
        e.type.padEnd(30),
        e.layer.padEnd(7),
        e.provisionId
          ? `setting ${settingName(e.provision, e.provisionId)}`
          : e.providerId
            ? `provider ${providerName(e.provider, e.providerId)}`
            : '-',
        e.recordId ? `${e.recordType ?? 'record'} ${e.recordId}` : '',
        gist(e),
      ]
        .join('  ')
        .trimEnd(),
    );
};

/** Follows the live subscription from `since` until aborted; reconnects when the hub ends a stream (token lifetime). */
const followLive = async (
  ccx: CcxClient,
  since: string,
  types: EventType[] | undefined,
  print: (e: CcxEvent) => void,
  signal: AbortSignal | undefined,
): Promise<string> => {
  let last = since;
  while (!signal?.aborted) {
    await new Promise<void>((resolve, reject) => {
      // The callbacks run later, once the subscription is made and `stop` is defined.
      const sub = ccx.events.subscribe.subscribe(
        { lastEventId: last, ...(types ? { types } : {}) },
        {
          onData: ({ data }) => {
            last = data.id;
            print(data);
          },
          onError: (err) => {
            signal?.removeEventListener('abort', stop);
            sub.unsubscribe();
            reject(err);
          },
          onComplete: () => {
            signal?.removeEventListener('abort', stop);
            resolve();
          },
        },
      );
      const stop = () => {
        sub.unsubscribe();
        resolve();
      };
      signal?.addEventListener('abort', stop, { once: true });
    });
  }
  return last;
};

export const eventsTailCommand: Command = {
  name: 'events tail',
  summary: 'Print the events your authority may see: changes to outcomes, restrictions, allocations …',
  usage: '[--last <n> | --since <cursor>] [--follow [--poll <seconds>]] [--type <type>]... [--json]',
  description: [
    'Like tail, prints the newest events you may see (10, or --last <n>); --since 0 starts at the',
    'beginning of the feed. Each event id is a cursor: pass the last one you saw as --since to continue',
    'where you stopped (the last one is also printed on stderr).',
    'With --follow, keeps printing new events until Ctrl+C, through the live subscription, or by',
    'asking the feed every few seconds with --poll.',
  ].join('\n'),
  options: [
    ['--last <n>', 'the newest n events (default 10; at most 500)'],
    ['--since <cursor>', 'every event after this event id (0: from the beginning)'],
    ['--follow, -f', 'keep printing new events as they happen'],
    ['--poll <seconds>', 'with --follow: poll the feed instead of the live subscription'],
    ['--type <type>', 'only events of this type (repeatable), e.g. restriction.created'],
    ['--json', 'one JSON object per line'],
  ],
  examples: [
    'ccx events tail',
    'ccx events tail --last 50',
    'ccx events tail --since 1042 --follow --json',
    'ccx events tail --type outcome.published',
  ],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'events tail',
      argv,
      {
        since: { type: 'string' },
        last: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f' },
        poll: { type: 'string' },
        type: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    if (values.since !== undefined && !/^\d{1,18}$/.test(values.since))
      throw new UsageError('--since must be an event id as printed by `ccx events tail`');
    const latest = intOption('last', values.last, 1, 500);
    if (latest !== undefined && values.since !== undefined)
      throw new UsageError('give --last or --since, not both');
    const poll = intOption('poll', values.poll, 1, 3600);
    if (poll !== undefined && !values.follow) throw new UsageError('--poll goes with --follow');
    // The hub checks the types and names the allowed ones.
    const types = values.type ? (values.type as EventType[]) : undefined;
    const { ccx } = await ctx.connect(values);
    const print = printer(ctx.io, values.json === true);
    // Asked for only when following, so Ctrl+C ends a plain tail at once.
    const signal = values.follow ? ctx.io.signal : undefined;

    let last = values.since ?? '0';
    if (values.since === undefined) {
      const newest = await ccx.events.list.query({ latest: latest ?? 10, ...(types ? { types } : {}) });
      for (const e of newest.items) print(e);
      last = newest.nextSince ?? '0';
    }
    const drain = async () => {
      for await (const e of eventsSince(
        (i) => ccx.events.list.query({ ...i, ...(types ? { types } : {}) }),
        last,
        200,
      )) {
        print(e);
        last = e.id;
        if (signal?.aborted) return;
      }
    };
    if (values.since !== undefined) await drain();
    if (values.follow) {
      if (poll !== undefined) {
        while (!signal?.aborted) {
          await sleep(poll * 1000, undefined, { signal }).catch(() => undefined);
          if (!signal?.aborted) await drain();
        }
      } else last = await followLive(ccx, last, types, print, signal);
    }
    writeLine(ctx.io.stderr, `last event ${last}: continue with --since ${last}`);
    return EXIT.ok;
  },
};
