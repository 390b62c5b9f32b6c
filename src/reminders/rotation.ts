import type { Tip } from '../content/schema.ts';
import type { KeyValue, Store } from '../store/store.ts';

interface RotationState {
  /** Tip ids still to show in this round, in order. */
  remaining: string[];
  /** The tip shown last, so a new round does not start with it again. */
  last?: string;
}

/** A chat's place in the rotation is forgotten this long after its last tip. */
const ROTATION_TTL_MS = 180 * 24 * 3_600_000;

export interface TipRotation {
  /** The next tip for this chat: every tip once, in a shuffled order, before any repeats. */
  next(chatKey: string): Promise<Tip>;
}

/**
 * Per-chat rotation of tips, kept in the store (a restart continues the round). Called only
 * by the holder of a chat's slot claim, so two processes never advance one chat together.
 */
export function createTipRotation(tips: readonly Tip[], store: Store, random: () => number = Math.random): TipRotation {
  if (tips.length === 0) throw new Error('no tips in the content');
  const byId = new Map(tips.map((t) => [t.id, t]));
  const states: KeyValue<RotationState> = store.namespace('reminder-rotation');

  const shuffled = (avoidFirst?: string): string[] => {
    const ids = tips.map((t) => t.id);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    }
    if (ids.length > 1 && ids[0] === avoidFirst) ids.push(ids.shift() as string);
    return ids;
  };

  return {
    async next(chatKey) {
      const state = (await states.get(chatKey)) ?? { remaining: [] };
      // Tips removed from the content since are skipped; a finished round starts a new one.
      let remaining = state.remaining.filter((id) => byId.has(id));
      if (remaining.length === 0) remaining = shuffled(state.last);
      const [id, ...rest] = remaining as [string, ...string[]];
      await states.set(chatKey, { remaining: rest, last: id }, ROTATION_TTL_MS);
      return byId.get(id) as Tip;
    },
  };
}
