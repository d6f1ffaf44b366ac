// ccx monitoring report: the partnership's monitoring report (hub-admin) — per lead authority, the
// settings it leads, its visits made in time and out of time, and how many are overdue now.
import type { RouterOutputs } from '../../router.js';
import { parseCommand, type Command } from '../command.js';
import { EXIT } from '../errors.js';
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

export const monitoringCommands: Command[] = [reportCommand];
