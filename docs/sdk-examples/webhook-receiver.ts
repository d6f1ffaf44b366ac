// A council's webhook receiver: verify each delivery's signature on the raw body, then act on it.
//   WEBHOOK_SECRET=whsec_… PORT=8080 tsx webhook-receiver.ts
import { createServer } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@ccx/client';

const secret = process.env.WEBHOOK_SECRET ?? '';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const event = verifyWebhook<{ provisionId?: string }>(secret, Buffer.concat(chunks), req.headers);
      console.log(`received ${event.type} (${event.id})`);
      res.writeHead(204).end(); // answer fast; do slow work after
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      console.log(`refused: ${err.message}`);
      res.writeHead(400).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 8080), () => {
  const address = server.address();
  console.log(`listening on port ${typeof address === 'object' && address ? address.port : '?'}`);
});
