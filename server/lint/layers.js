// The server's layers, enforced: each folder of server/src may import only the folders below it
// (docs/architecture.md draws the same table). An ESLint rule of our own, so `npm run lint` fails on a
// wrong-way import with a message naming both layers.
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../src');

/**
 * Which layers each layer may import. A layer is a folder of server/src, or one of the root's leaf
 * modules; the composition root (hub, server, main, cli, jobs, bootstrap, index, router, testing, demo)
 * may import anything.
 */
export const LAYERS = {
  shared: [],
  config: ['shared'],
  logger: ['shared'],
  metrics: ['shared'],
  db: ['shared', 'config', 'logger'],
  access: ['shared', 'db'],
  auth: ['shared', 'db', 'config', 'logger'],
  mail: ['shared', 'config', 'logger'],
  audit: ['shared', 'db', 'auth'],
  events: ['shared', 'db', 'access', 'config', 'logger'],
  domain: ['shared', 'db', 'access', 'audit', 'auth', 'events', 'config', 'logger'],
  http: ['shared', 'domain', 'auth', 'config', 'logger', 'metrics', 'hub'],
};

/** The layer a file of server/src belongs to, or null for the composition root. */
export const layerOf = (file) => {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [first, ...rest] = rel.split(path.sep);
  const name = rest.length === 0 ? first.replace(/\.(tsx?|js)$/, '') : first;
  return name in LAYERS || name === 'hub' ? name : null;
};

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'server/src imports only downwards, as docs/architecture.md lays out' },
    schema: [],
    messages: {
      wrongWay:
        "{{from}} may not import {{to}} ('{{spec}}'): {{from}} may import {{allowed}} (docs/architecture.md)",
    },
  },
  create(context) {
    const from = layerOf(context.filename);
    if (from === null || from === 'hub') return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), spec));
      if (to === null || to === from) {
        if (to === null && path.resolve(path.dirname(context.filename), spec).startsWith(SRC)) {
          // the composition root: never imported from a layer
          context.report({
            node,
            messageId: 'wrongWay',
            data: { from, to: 'the composition root', spec, allowed: LAYERS[from].join(', ') || 'nothing' },
          });
        }
        return;
      }
      if (!LAYERS[from].includes(to))
        context.report({
          node,
          messageId: 'wrongWay',
          data: { from, to, spec, allowed: LAYERS[from].join(', ') || 'nothing else' },
        });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};
