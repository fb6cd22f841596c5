// Playing a stored sound (narration, reference audio) in an <audio> element.
import { assetUrl } from "./api";

/** WebKitGTK, the webview on Linux, cannot play media from a custom URI scheme (WebKit bug
 * 146351: the element fails with "source not supported"), though it shows pictures from one. */
function needsBlob(): boolean {
  return typeof navigator !== "undefined" && /Linux/.test(navigator.userAgent) && !/Android/.test(navigator.userAgent);
}

/**
 * A Svelte action: `<audio use:storedAudio={sha256}>` plays the stored file `sha256`. Where the
 * webview cannot play it from its address, the file is read once and played from a blob: URL
 * (released when the element goes or plays another file).
 */
export function storedAudio(node: HTMLAudioElement, sha256: string) {
  let current = "";
  let blobUrl: string | null = null;
  let loads = 0;

  function release() {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = null;
  }

  async function show(sha: string) {
    if (sha === current) return;
    current = sha;
    const mine = ++loads;
    release();
    if (!needsBlob()) {
      node.src = assetUrl(sha);
      return;
    }
    try {
      const reply = await fetch(assetUrl(sha));
      if (!reply.ok) throw new Error(`${reply.status}`);
      const blob = await reply.blob();
      if (mine !== loads) return;
      blobUrl = URL.createObjectURL(blob);
      node.src = blobUrl;
    } catch {
      // The element says it cannot play (its own error state) rather than staying silent.
      if (mine === loads) node.src = assetUrl(sha);
    }
  }

  void show(sha256);
  return {
    update(sha: string) {
      void show(sha);
    },
    destroy() {
      loads += 1;
      release();
    },
  };
}
