// ccx monitoring report: the partnership's monitoring report (hub-admin) — per lead authority, the
// settings it leads, its visits made in time and out of time, and how many are overdue now.
// ccx monitoring frequencies: how often each type of setting is monitored, and the shorter intervals
// while a risk trigger holds; the hub-admin sets them with --type, --months and the risk options.
import type { RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { EXIT, UsageError } from '../errors.js';
import { writeJson, writeLine, writeTable } from '../output.js';

type Report = RouterOutputs['monitoring']['report'];

const reportCommand: Command = {
  name: 'monitoring report',
  summary: 'Print the monitoring report (hub-admin): visits in time and out of time per lead authority.',
  usage: '[--json]',
  description: [
    'For each member authority that leads settings today: the settings it leads, its own published',
    'visits to them made on or before the date they were due (in time) or after it (out of time), and',
    'how many of the settings are overdue now or have never been monitored.',
  ].join('\n'),
  options: [['--json', 'print JSON instead of a table']],
  examples: ['ccx monitoring report', 'ccx monitoring report --json'],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'monitoring report',
      argv,
      { json: { type: 'boolean' } },
      { min: 0, max: 0 },
    );
    const { ccx } = await ctx.connect(values);
    const report: Report = await ccx.monitoring.report.query();
    if (values.json) {
      writeJson(ctx.io.stdout, report);
      return EXIT.ok;
    }
    writeLine(ctx.io.stdout, `Monitoring report as of ${report.asOf}`);
    writeTable(
      ctx.io.stdout,
      ['authority', 'settings', 'in time', 'out of time', 'overdue now', 'never monitored'],
      report.rows.map((r) => [
        r.authority?.name ?? r.authorityId,
        String(r.settingsAllocated),
        String(r.visitsInTime),
        String(r.visitsOutOfTime),
        String(r.overdueNow),
        String(r.neverMonitored),
      ]),
    );
    return EXIT.ok;
  },
};

type Frequencies = RouterOutputs['monitoring']['frequencies'];

const RISK_OPTIONS = {
  'if-inadequate': 'grade-inadequate',
  'if-requires-improvement': 'grade-requires-improvement',
  'if-manager-changed': 'manager-changed',
} as const;

const monthsOf = (option: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${option} must be a whole number of months`, `e.g. --${option} 6`);
  return Number(value);
};

const frequenciesCommand: Command = {
  name: 'monitoring frequencies',
  summary:
    'Print (or, hub-admin, set) how often each type of setting is monitored, and when a risk shortens it.',
  usage:
    '[--type <type> [--months <n>] [--if-inadequate <n>] [--if-requires-improvement <n>] [--if-manager-changed <n>]] [--json]',
  description: [
    'For each provision type: the months between monitoring activities, and the shorter interval while',
    "a risk trigger holds — the setting's Ofsted grade is inadequate or requires improvement, or its",
    "registered manager changed in the last 12 months. With --type, the hub-admin sets the type's",
    'interval (--months) or its risk intervals (--if-…), or both; what is left out stays as it was.',
  ].join('\n'),
  options: [
    ['--type <type>', 'the provision type to set (hub-admin), e.g. childrens-home'],
    ['--months <n>', 'months between monitoring activities of the type'],
    ['--if-inadequate <n>', 'months while its Ofsted grade is inadequate'],
    ['--if-requires-improvement <n>', 'months while its Ofsted grade requires improvement'],
    ['--if-manager-changed <n>', 'months for 12 months after a change of registered manager'],
    ['--json', 'print JSON instead of a table'],
  ],
  examples: [
    'ccx monitoring frequencies',
    'ccx monitoring frequencies --type childrens-home --months 12 --if-requires-improvement 4',
  ],
  async run(argv, ctx) {
    const { values } = parseCommand(
      'monitoring frequencies',
      argv,
      {
        type: { type: 'string' },
        months: { type: 'string' },
        'if-inadequate': { type: 'string' },
        'if-requires-improvement': { type: 'string' },
        'if-manager-changed': { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 0, max: 0 },
    );
    const months = monthsOf('months', values.months);
    const risk = Object.fromEntries(
      Object.entries(RISK_OPTIONS).flatMap(([option, trigger]) => {
        const m = monthsOf(option, values[option as keyof typeof RISK_OPTIONS]);
        return m === undefined ? [] : [[trigger, m]];
      }),
    );
    const setting = months !== undefined || Object.keys(risk).length > 0;
    if (setting && !values.type)
      throw new UsageError('--type is needed to set a frequency', 'e.g. --type childrens-home --months 6');
    if (values.type && !setting)
      throw new UsageError(
        '--type needs --months or a risk interval to set',
        'e.g. --type childrens-home --if-requires-improvement 4',
      );
    const { ccx } = await ctx.connect(values);
    const list: Frequencies = setting
      ? await ccx.monitoring.setFrequency.mutate({
          type: values.type as Frequencies[number]['type'],
          ...(months !== undefined ? { months } : {}),
          ...(Object.keys(risk).length ? { risk } : {}),
        })
      : await ccx.monitoring.frequencies.query();
    if (values.json) {
      writeJson(ctx.io.stdout, list);
      return EXIT.ok;
    }
    writeTable(
      ctx.io.stdout,
      ['type', 'months', 'if inadequate', 'if requires improvement', 'if manager changed'],
      list.map((f) => [
        f.type,
        String(f.months),
        String(f.risk['grade-inadequate']),
        String(f.risk['grade-requires-improvement']),
        String(f.risk['manager-changed']),
      ]),
    );
    return EXIT.ok;
  },
};

export const monitoringCommands: Command[] = [reportCommand, frequenciesCommand];
