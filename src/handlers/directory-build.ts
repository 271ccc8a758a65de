/**
 * A directory index being built for one account, as far as it has come. Another requester of the account without an
 * index follows it rather than build their own: they ask RingCentral, with their own token, whether each page is what
 * the build read (If-None-Match with its ETag), as soon as the build has that page. The calls are the same as a
 * build's; the bodies, the parsing and a second index's memory are not. At 100,000 extensions an index is some 100 MB
 * while it is built: ten first users of a large account at once must not build ten.
 */
export class DirectoryBuild<Index> {
  readonly #pageEtags: string[] = [];
  #ended = false;
  #wake: Array<() => void> = [];
  readonly #done: Promise<Index | undefined>;
  #finish: (index: Index | undefined) => void = () => {};

  constructor() {
    this.#done = new Promise((resolve) => {
      this.#finish = resolve;
    });
  }

  addPage(etag: string): void {
    this.#pageEtags.push(etag);
    this.#wakeAll();
  }

  /** The build ended: with its index, or undefined when it failed. */
  end(index: Index | undefined): void {
    this.#ended = true;
    this.#finish(index);
    this.#wakeAll();
  }

  /** The ETag of the page at `position` (0-based) once the build has read it; undefined when it ended without it. */
  async etagAt(position: number): Promise<string | undefined> {
    for (;;) {
      if (position < this.#pageEtags.length) return this.#pageEtags[position];
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => this.#wake.push(resolve));
    }
  }

  /** The build's index once it ends; undefined when it failed. */
  get done(): Promise<Index | undefined> {
    return this.#done;
  }

  #wakeAll(): void {
    const waiting = this.#wake;
    this.#wake = [];
    for (const wake of waiting) wake();
  }
}
