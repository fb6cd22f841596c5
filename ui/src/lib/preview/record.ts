// Recording the learner from the microphone the browser (or the app's webview) offers: the
// samples of one take, as mono floats with their rate, for the speaking-practice scorers.

export interface Take {
  samples: Float32Array;
  rate: number;
}

/** Why a recording could not start, in terms the learner can act on. */
export type RecordProblem = "unsupported" | "denied" | "no-device" | "failed";

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

/** Most a take may last: the scorers look at 30 s at most. */
export const MAX_TAKE_MS = 30_000;

/** Starts recording from the default microphone (the browser asks the learner first). */
export async function startRecording(): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    // No automatic gain: it rides the loudness up and down within a take, and the scorer
    // compares the take's loudness contour with the reference's (each against its own peak,
    // so a quiet microphone is no matter).
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  recorder.start();
  const release = () => stream.getTracks().forEach((t) => t.stop());
  const limit = setTimeout(() => {
    if (recorder.state === "recording") recorder.stop();
  }, MAX_TAKE_MS);
  return {
    async stop() {
      clearTimeout(limit);
      if (recorder.state === "recording") recorder.stop();
      await stopped;
      release();
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
      clearTimeout(limit);
      if (recorder.state === "recording") recorder.stop();
      release();
    },
  };
}
