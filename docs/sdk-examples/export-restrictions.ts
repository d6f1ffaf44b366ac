// Every active restriction the caller may know of, page after page, as CSV lines.
import { createCcxClient, items } from '@ccx/client';

const ccx = createCcxClient({
  baseUrl: process.env.CCX_URL ?? 'http://localhost:3000',
  clientId: process.env.CCX_CLIENT_ID ?? '',
  clientSecret: process.env.CCX_CLIENT_SECRET ?? '',
});

console.log('layer,kind,status,provision,issuer,summary');
for await (const r of items((input) => ccx.restrictions.list.query(input), { active: true, limit: 100 })) {
  // Restricted records the caller may not read arrive as a signal: who to contact, nothing more.
  if (r.layer === 'signal') console.log(`signal,,,${r.provisionId ?? r.providerId},,"${r.message}"`);
  else
    console.log(
      `${r.layer},${r.kind},${r.status},${r.provisionId ?? r.providerId},${r.issuerAuthorityId},"${r.layer === 'detail' ? r.summary : ''}"`,
    );
}
