/**
 * How many store operations one interaction costs, end to end through the local Discord: Mend in this
 * process on a SQLite store whose every get, set and delete is counted, playing one whole session of each
 * flow. For docs/scaling.md: `npx tsx bench/store-ops.ts`. It measures; it asserts nothing.
 */
import { flowNamed } from '../test/support/flows.js';
import { startMend } from '../test/support/mend-world.js';
import { completionScript } from '../test/support/play.js';
import { sqliteCase } from '../test/support/stores.js';

const counts = { get: 0, set: 0, delete: 0 };
const file = sqliteCase();
const world = await startMend({
  store: {
    ...file,
    async open() {
      const store = await file.open();
      return {
        ...store,
        kind: store.kind,
        get(key: string) {
          counts.get += 1;
          return store.get(key);
        },
        set(key: string, value: unknown) {
          counts.set += 1;
          return store.set(key, value);
        },
        delete(key: string) {
          counts.delete += 1;
          return store.delete(key);
        },
        keys: () => store.keys(),
        scrub: () => store.scrub(),
        ping: () => store.ping(),
        verifyReadable: () => store.verifyReadable(),
        close: () => store.close(),
      };
    },
  },
});
try {
  for (const flowId of ['admit-mistake', 'ground-rules', 'needs-discovery', 'tolerance-questions']) {
    const before = { ...counts };
    const interactionsBefore = world.discord.interactionTimings().length;
    await world.couple.alex.starts(flowId);
    await world.plays(completionScript(flowNamed(flowId)));
    await world.couple.channel.summary();
    await world.settled();
    const n = world.discord.interactionTimings().length - interactionsBefore;
    const per = (k: keyof typeof counts) => ((counts[k] - before[k]) / n).toFixed(2);
    console.log(
      `${flowId}: ${n} interactions; per interaction: ${per('get')} reads, ${per('set')} writes, ${per('delete')} deletes`,
    );
  }
} finally {
  await world.stop();
}
