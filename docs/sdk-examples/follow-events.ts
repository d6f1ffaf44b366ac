// Catch up with the event feed from the last event seen, then keep the cursor for next time.
//   tsx follow-events.ts [last-event-id]
import { createCcxClient, eventsSince } from '@ccx/client';

const ccx = createCcxClient({
  baseUrl: process.env.CCX_URL ?? 'http://localhost:3000',
  clientId: process.env.CCX_CLIENT_ID ?? '',
  clientSecret: process.env.CCX_CLIENT_SECRET ?? '',
});

let cursor = process.argv[2] ?? '0';
for await (const event of eventsSince((input) => ccx.events.list.query(input), cursor)) {
  console.log(`${event.id} ${event.type} at ${event.provisionId ?? event.providerId} (${event.layer})`);
  cursor = event.id;
}
console.log(`next time, start after ${cursor}`);
