// One take at a time from the microphone, for the speaking-practice components: started and
// stopped by one button, the microphone off when the component goes (even while the browser
// is still asking for it), and each take handed to `use` (to score it, or to keep it to
// listen to). A take that runs out of time is handed on as if the learner had stopped it.
import { t, tError } from "../i18n/index.svelte";
import { type Recording, recordProblem, startRecording, type Take } from "./record";

export class Taker {
  recording = $state<Recording | null>(null);
  busy = $state(false);
  problem = $state<string | null>(null);
  #gone = false;
  readonly #use: (take: Take) => Promise<void>;

  /** Call while the component initialises: it ends the take when the component goes. */
  constructor(use: (take: Take) => Promise<void>) {
    this.#use = use;
    $effect(() => () => {
      this.#gone = true;
      this.recording?.cancel();
    });
  }

  /** Whether the component has gone (what a take left behind is to be let go). */
  get gone(): boolean {
    return this.#gone;
  }

  /** Starts a take, or stops the one being recorded; does nothing while one is handled. */
  toggle = (): Promise<void> => (this.recording ? this.stop() : this.start());

  async start(): Promise<void> {
    if (this.busy || this.recording) return;
    this.problem = null;
    this.busy = true;
    try {
      const started = await startRecording(() => void this.stop());
      if (this.#gone) started.cancel();
      else this.recording = started;
    } catch (e) {
      this.problem = t(`preview.record.${recordProblem(e)}`);
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    const taking = this.recording;
    if (!taking) return;
    this.recording = null;
    this.busy = true;
    try {
      await this.#use(await taking.stop());
    } catch (e) {
      this.problem = tError(e);
    } finally {
      this.busy = false;
    }
  }
}
