import type { UserApi } from '../api/client.ts';
import type { ThrottlingGroup } from '../api/limits.ts';

const WINDOW_MS = 60_000;
const POLL_MS = 1_000;

export interface BackgroundPaceLimits {
  /** The throttling group the pages are spent from. */
  group: ThrottlingGroup;
  /** A page goes out only while more than this many slots of the group stay free for the user's own commands. */
  reserve: number;
  /**
   * And never more than this many pages in any minute, the only bound when the pacer cannot say what is free (a shared
   * store); not while the build is awaited and the free slots are known.
   */
  pagesPerMinute: number;
}

/**
 * Paces a background build inside the user's own budget: a command of the user takes its slot at once, and the
 * builder waits for the window to move. While a command of the user waits for the build itself (`awaited`), the build
 * keeps no slots back and may spend every free one.
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
    for (;;) {
      const now = performance.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - WINDOW_MS) this.#sent.shift();
      if (this.#mayGo()) {
        this.#sent.push(now);
        return;
      }
      await new Promise<void>((resolve) => setTimeout(resolve, POLL_MS).unref());
    }
  }

  #mayGo(): boolean {
    const { group, reserve, pagesPerMinute } = this.#limits;
    const headroom = this.#api.headroom(group);
    const withinMinute = this.#sent.length < pagesPerMinute;
    if (headroom === undefined) return withinMinute;
    // The user waits on the build itself: every free slot serves them best spent on it.
    if (this.#awaited()) return headroom > 0;
    return withinMinute && headroom > reserve;
  }
}
