import type { UserApi } from '../api/client.ts';
import type { ThrottlingGroup } from '../api/limits.ts';

const WINDOW_MS = 60_000;
const POLL_MS = 1_000;

export interface BackgroundPaceLimits {
  /** The throttling group the pages are spent from. */
  group: ThrottlingGroup;
  /** A page goes out only while more than this many slots of the group stay free for the user's own commands. */
  reserve: number;
  /** And never more than this many pages in any minute, even when the pacer cannot say what is free (a shared store). */
  pagesPerMinute: number;
}

/**
 * Paces a background build inside the user's own budget: a command of the user takes its slot at once, and the
 * builder waits for the window to move. While a command of the user waits for the build itself (`awaited`), the build
 * is what the user waits on: it keeps no slots back, only the pages-a-minute bound.
 */
export class BackgroundPace {
  readonly #api: UserApi;
  readonly #limits: BackgroundPaceLimits;
  readonly #awaited: () => boolean;
  readonly #sent: number[] = [];

  constructor(api: UserApi, limits: BackgroundPaceLimits, awaited: () => boolean = () => false) {
    this.#api = api;
    this.#limits = limits;
    this.#awaited = awaited;
  }

  async turn(): Promise<void> {
    const { group, pagesPerMinute } = this.#limits;
    for (;;) {
      const now = performance.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - WINDOW_MS) this.#sent.shift();
      const headroom = this.#api.headroom(group);
      const reserve = this.#awaited() ? 0 : this.#limits.reserve;
      if (this.#sent.length < pagesPerMinute && (headroom === undefined || headroom > reserve)) {
        this.#sent.push(now);
        return;
      }
      await new Promise<void>((resolve) => setTimeout(resolve, POLL_MS).unref());
    }
  }
}
