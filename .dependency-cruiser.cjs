// The layers of src/ (ARCHITECTURE.md draws them), as rules `npm run deps` enforces.
//
//   composition root (src/*.ts)  →  channels, admin, doctor  →  bot-files, http
//     →  handoff, incidents, intake, understanding, knowledge  →  core
//   store/ and delivery/ implement core's ports: they import core, core never imports them.
//   config/ and ops/ are read by every layer and import core only.
//
// Type-only imports count: a type borrowed from an outer folder ties the layers as much as a value.

const SOURCE = '^src/';
const ROOT_FILE = '^src/[^/]+\\.ts$';
const OUTER = '^src/(channels|admin|doctor)/';
/** Loads and checks the files a bot is made of (FAQ, intents, support and customer config). */
const BOT_FILES = '^src/bot-files/';
const HTTP = '^src/http/';
const MIDDLE = '^src/(handoff|incidents|intake|understanding|knowledge)/';
const PORT_IMPLEMENTATIONS = '^src/(store|delivery)/';
const SHARED = '^src/(config|ops)/';

/** The platform SDKs and the libraries of one adapter, and the folders each may be imported from. */
const SDK_HOMES = [
  { name: 'slack-sdk', sdk: '(^|/)node_modules/@slack/', home: '^src/channels/slack/' },
  { name: 'teams-sdk', sdk: '(^|/)node_modules/botbuilder', home: '^src/channels/teams/' },
  // The Redis stores and the store wiring (failover, rate limits, create-stores), never the embedded store.
  { name: 'redis-client', sdk: '(^|/)node_modules/ioredis/', home: '^src/store/(?!embedded/)' },
];

/** A rule that `from` may not import `to` (both path patterns). */
function never(name, comment, from, to) {
  return { name, comment, severity: 'error', from: { path: from }, to: { path: to } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      comment:
        'A module never reaches itself through the imports that run (a type borrowed back, as in a state and its helpers, loads nothing).',
      severity: 'error',
      from: { path: SOURCE },
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Two folders never depend on each other both ways, directly or around a loop.',
      severity: 'error',
      scope: 'folder',
      from: { path: SOURCE },
      to: { circular: true },
    },
    never(
      'core-is-inner',
      'core is the inner layer: it declares ports and imports no other folder of src/.',
      '^src/core/',
      '^src/(?!core/)',
    ),
    {
      name: 'core-imports-no-sdk',
      comment: 'core speaks no platform, store or HTTP library.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '((^|/)node_modules/(@slack/|botbuilder|ioredis/|fuse\\.js/)|^(node:)?https?$)' },
    },
    never(
      'middle-imports-inward',
      'handoff, intake, understanding and knowledge build on core; they know no channel, store, http or the root.',
      MIDDLE,
      `${OUTER}|${BOT_FILES}|${HTTP}|${PORT_IMPLEMENTATIONS}|${ROOT_FILE}`,
    ),
    never(
      'intake-before-handoff',
      'The forms and the intake are what a hand-off is made from; intake knows nothing of the hand-off.',
      '^src/intake/',
      '^src/handoff/',
    ),
    never(
      'knowledge-before-understanding',
      'The knowledge base is what understanding reads; it knows nothing of the matcher.',
      '^src/knowledge/',
      '^src/understanding/',
    ),
    never(
      'ports-implemented-not-used',
      'store and delivery implement core ports; they import core, config and ops only.',
      PORT_IMPLEMENTATIONS,
      `${OUTER}|${BOT_FILES}|${HTTP}|${MIDDLE}|${ROOT_FILE}`,
    ),
    never(
      'store-below-delivery',
      'The outbox is written through the store ports.',
      '^src/store/',
      '^src/delivery/',
    ),
    never(
      'shared-imports-core-only',
      'Settings and operations (logging, metrics) are read by every layer, so they import core only.',
      SHARED,
      `^src/(?!core/|config/|ops/)`,
    ),
    never(
      'http-below-channels',
      'The HTTP server is what channels and the admin API mount on; it knows none of them.',
      HTTP,
      `${OUTER}|${BOT_FILES}|${MIDDLE}|${PORT_IMPLEMENTATIONS}|${ROOT_FILE}`,
    ),
    never(
      'admin-above-channels',
      'The admin console reads what the channels do; no channel imports the admin console.',
      '^src/channels/',
      '^src/admin/',
    ),
    never(
      'doctor-is-a-command',
      'The doctor checks the running parts from outside; only the CLI starts it.',
      '^src/(?!doctor/)[^/]+/',
      '^src/doctor/',
    ),
    never(
      'root-is-outermost',
      'The composition root (src/*.ts) wires every folder; no folder imports it.',
      '^src/[^/]+/',
      ROOT_FILE,
    ),
    never(
      'channels-use-store-ports',
      'Channels reach the store through its ports, never through one implementation.',
      '^src/channels/',
      '^src/store/(embedded|redis|failover)/',
    ),
    ...SDK_HOMES.map(({ name, sdk, home }) => ({
      name: `${name}-in-its-folder`,
      comment: 'A platform SDK is imported only in the folder of its adapter.',
      severity: 'error',
      from: { path: SOURCE, pathNot: home },
      to: { path: sdk },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
