import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import type { CourseTree } from "../src/lib/generated/ipc";
import CourseView from "../src/lib/CourseView.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

const at = "2026-11-28T10:00:00Z";

function tree(): CourseTree {
  const courseId = crypto.randomUUID();
  const lessonId = crypto.randomUUID();
  const slide = (title: string, position: number) => ({
    id: crypto.randomUUID(),
    lesson_id: lessonId,
    position,
    title,
    body: "",
    speaker_notes: "",
    instructor_notes: "",
    layout: "bullets" as const,
    created_at: at,
    updated_at: at,
    version: 1,
    components: [],
  });
  return {
    id: courseId,
    title: "신입 사원 오리엔테이션",
    language: "ko",
    created_at: at,
    updated_at: at,
    version: 1,
    lessons: [
      {
        id: lessonId,
        course_id: courseId,
        position: 0,
        title: "첫 주",
        created_at: at,
        updated_at: at,
        version: 1,
        slides: [slide("환영합니다", 0), slide("팀 소개", 1)],
      },
    ],
  };
}

it("shows the course's lessons and slides and goes back", async () => {
  const course = tree();
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    asked.push([cmd, args]);
    return course;
  });
  const onBack = vi.fn();
  render(CourseView, { courseId: course.id, onBack });
  const heading = await screen.findByRole("heading", { level: 1 });
  expect(heading.textContent).toBe("신입 사원 오리엔테이션");
  expect(heading.getAttribute("lang")).toBe("ko");
  expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Lesson 1: 첫 주");
  expect(screen.getByText("팀 소개")).toBeTruthy();
  expect(asked).toEqual([["course", { courseId: course.id }]]);
  await fireEvent.click(screen.getByRole("button", { name: "Back to the library" }));
  expect(onBack).toHaveBeenCalled();
});
