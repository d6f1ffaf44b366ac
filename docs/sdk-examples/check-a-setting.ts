// Before a child moves in: is this setting clear to use?   tsx check-a-setting.ts SC123456
import { createCcxClient, isCcxError } from '@ccx/client';

const ccx = createCcxClient({
  baseUrl: process.env.CCX_URL ?? 'http://localhost:3000',
  clientId: process.env.CCX_CLIENT_ID ?? '',
  clientSecret: process.env.CCX_CLIENT_SECRET ?? '',
});

const urn = process.argv[2] ?? 'SC123456';
try {
  const check = await ccx.checks.placement.query({ urn });
  console.log(`${check.provision.name} (${check.provider.name}): ${check.verdict}`);
  for (const reason of check.reasons) {
    // A signal's message already names whom to contact: say it once.
    const contact =
      reason.contact && !reason.message.includes(reason.contact) ? ` — contact ${reason.contact}` : '';
    console.log(`- [${reason.verdict}] ${reason.message}${contact}`);
  }
  console.log(`lead authority: ${check.lead ? `${check.lead.name} <${check.lead.qaInbox}>` : 'none'}`);
  process.exitCode = check.verdict === 'clear' ? 0 : check.verdict === 'caution' ? 3 : 5;
} catch (err) {
  // Unknown and invisible settings answer alike: NOT_FOUND.
  if (!isCcxError(err) || err.code !== 'NOT_FOUND') throw err;
  console.error(`no setting with URN ${urn}`);
  process.exitCode = 4;
}
