// Recording the learner from the microphone the browser (or the app's webview) offers: the
// samples of one take, as mono floats with their rate, for the speaking-practice scorers.

export interface Take {
  samples: Float32Array;
  rate: number;
}

/** Why a recording could not start, in terms the learner can act on. */
export type RecordProblem = "denied" | "no-device" | "failed";

export function recordProblem(e: unknown): RecordProblem {
  const name = (e as { name?: string } | null)?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "no-device";
  return "failed";
}

/** Whether this page may ask for a microphone at all. */
export function canRecord(): boolean {
  return (
    typeof navigator !== "undefined" &&
    typeof navigator.mediaDevices?.getUserMedia === "function" &&
    typeof MediaRecorder !== "undefined" &&
    typeof AudioContext !== "undefined"
  );
}

/** A take being recorded; `stop()` gives its samples. */
export interface Recording {
  stop(): Promise<Take>;
  cancel(): void;
}

/** The speaking-practice scorer works at 16 kHz: every host brings a take down to it the same
 * way (averaging the samples each new one stands for), so a take scores the same in the
 * app's preview and in the player. */
export const SCORING_RATE = 16_000;

export function downsample(take: Take): Take {
  if (take.rate <= SCORING_RATE) return take;
  const ratio = take.rate / SCORING_RATE;
  const out = new Float32Array(Math.floor(take.samples.length / ratio));
  for (let i = 0; i < out.length; i++) {
    const from = Math.floor(i * ratio);
    const to = Math.min(take.samples.length, Math.floor((i + 1) * ratio));
    let sum = 0;
    for (let j = from; j < to; j++) sum += take.samples[j] ?? 0;
    out[i] = to > from ? sum / (to - from) : 0;
  }
  return { samples: out, rate: SCORING_RATE };
}

/** Most a take may last: the scorers look at 30 s at most. */
export const MAX_TAKE_MS = 30_000;

/** Starts recording from the default microphone (the browser asks the learner first).
 * `onEnd` is told when the take ends by itself (its time is up). */
export async function startRecording(onEnd: () => void = () => {}): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    // No automatic gain: it rides the loudness up and down within a take, and the scorer
    // compares the take's loudness contour with the reference's (each against its own peak,
    // so a quiet microphone is no matter).
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const release = () => stream.getTracks().forEach((t) => t.stop());
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream);
  } catch (e) {
    release();
    throw e;
  }
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  let wanted = false;
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => {
      // The microphone goes off as soon as the take ends, however it ends.
      release();
      if (!wanted) onEnd();
      resolve();
    };
  });
  try {
    recorder.start();
  } catch (e) {
    release();
    throw e;
  }
  const limit = setTimeout(() => {
    if (recorder.state === "recording") recorder.stop();
  }, MAX_TAKE_MS);
  return {
    async stop() {
      wanted = true;
      clearTimeout(limit);
      if (recorder.state === "recording") recorder.stop();
      await stopped;
      const data = await new Blob(chunks, { type: recorder.mimeType }).arrayBuffer();
      const context = new AudioContext();
      try {
        const audio = await context.decodeAudioData(data);
        // Mono: the channels averaged.
        const samples = new Float32Array(audio.length);
        for (let c = 0; c < audio.numberOfChannels; c++) {
          const channel = audio.getChannelData(c);
          for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] ?? 0) + (channel[i] ?? 0) / audio.numberOfChannels;
        }
        return { samples, rate: audio.sampleRate };
      } finally {
        void context.close();
      }
    },
    cancel() {
      wanted = true;
      clearTimeout(limit);
      if (recorder.state === "recording") recorder.stop();
      release();
    },
  };
}

/** A take as a 16-bit mono WAV file, for the learner to listen to themself. */
export function toWav(take: Take): Blob {
  return new Blob([wavBytes(take)], { type: "audio/wav" });
}

/** The bytes of a take as a 16-bit mono WAV file. */
export function wavBytes(take: Take): ArrayBuffer {
  const { samples, rate } = take;
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const view = new DataView(buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    const v = Number.isFinite(s) ? Math.max(-1, Math.min(1, s)) : 0;
    view.setInt16(44 + i * 2, Math.round(v * 32767), true);
  }
  return buffer;
}
