// The icon of each kind of learning component (lucide), the same wherever a type is shown:
// the library's cards, the component cards, the activity gallery.
import AudioLines from "@lucide/svelte/icons/audio-lines";
import BookOpenCheck from "@lucide/svelte/icons/book-open-check";
import Crosshair from "@lucide/svelte/icons/crosshair";
import GitBranch from "@lucide/svelte/icons/git-branch";
import Headphones from "@lucide/svelte/icons/headphones";
import Layers from "@lucide/svelte/icons/layers";
import ListChecks from "@lucide/svelte/icons/list-checks";
import ArrowLeftRight from "@lucide/svelte/icons/arrow-left-right";
import MessagesSquare from "@lucide/svelte/icons/messages-square";
import Mic from "@lucide/svelte/icons/mic";
import TextCursorInput from "@lucide/svelte/icons/text-cursor-input";
import type { ComponentType } from "../generated/ipc";

export const typeIcons: Record<ComponentType, typeof Mic> = {
  REVIEW: BookOpenCheck,
  QUIZ: ListChecks,
  ROLEPLAY: MessagesSquare,
  SHADOWING: AudioLines,
  PRONUNCIATION: Mic,
  FLASHCARDS: Layers,
  CLOZE: TextCursorInput,
  MATCHING: ArrowLeftRight,
  HOTSPOT: Crosshair,
  BRANCHING: GitBranch,
  DICTATION: Headphones,
};
