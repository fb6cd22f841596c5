"""Desktop app benchmarks through WebDriver: figures to print, never assertions.

Run by scripts/bench-desktop, which builds the release binary and a library holding an
assembled example course and a generated course of 500 slides with 1,000 components.
"""

import os
import statistics
import subprocess
import time

from selenium.webdriver.common.by import By

from desktop import Studio


def figure(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.3f} {unit}" if isinstance(value, float) else f"{name}: {value} {unit}")


def rss_of(pid: str) -> int:
    """Resident memory of one process, in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def app_memory() -> tuple[int, int]:
    """Resident memory (KiB) of this run's app process and of the WebKit processes it started
    (its children), never another app's."""
    app = os.environ["CLASSKIT_E2E_APP"]
    pids = subprocess.run(["pgrep", "-f", "-x", app], capture_output=True, text=True).stdout.split()
    own = sum(rss_of(pid) for pid in pids)
    children = [
        child
        for pid in pids
        for child in subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    ]
    return own, sum(rss_of(child) for child in children)


# In the page: scrolls an element from top to bottom in steps, one per animation frame, and
# returns the time between frames (ms), so a stall shows as a long frame.
SCROLL = """
const [selector, steps, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const el = document.querySelector(selector);
const frames = [];
let last = performance.now();
let i = 0;
function step(now) {
  frames.push(now - last);
  last = now;
  el.scrollTop = (el.scrollHeight - el.clientHeight) * (i / steps);
  i += 1;
  if (i <= steps) requestAnimationFrame(step);
  else done({frames, height: el.scrollHeight});
}
requestAnimationFrame(step);
"""


def course_button(studio: Studio, prefix: str):
    def find():
        for b in studio.d.find_elements(By.CSS_SELECTOR, ".courses button.open"):
            if (b.get_attribute("aria-label") or "").startswith(f"Open {prefix}"):
                return b
        return None

    return studio.wait(f"the course {prefix!r}", find, 60)


def open_and_time(studio: Studio, prefix: str, slides: int) -> float:
    button = course_button(studio, prefix)
    t = time.monotonic()
    button.click()
    studio.wait(
        "the course view with its slides and the first slide's editor",
        lambda: len(studio.d.find_elements(By.CSS_SELECTOR, "nav.tree button[data-slide]")) == slides
        and studio.d.find_elements(By.CSS_SELECTOR, ".slide-editor input[type=text]"),
        120,
    )
    # The frame after the DOM change, as the instructor sees it.
    studio.d.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
    return time.monotonic() - t


def main() -> None:
    started = time.monotonic()
    studio = Studio()
    try:
        course_button(studio, "Negotiating")
        figure("desktop.launch_to_library", time.monotonic() - started, "s")
        # The same, from the app process's own start (without the WebDriver session's set-up),
        # split at the moment the page began to load.
        pid = subprocess.run(
            ["pgrep", "-f", "-x", os.environ["CLASSKIT_E2E_APP"]], capture_output=True, text=True
        ).stdout.split()[0]
        with open("/proc/stat") as stat:
            boot = next(float(line.split()[1]) for line in stat if line.startswith("btime"))
        with open(f"/proc/{pid}/stat") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        process_start = boot + ticks / os.sysconf("SC_CLK_TCK")
        page_start, now = studio.d.execute_script("return [performance.timeOrigin, Date.now()]")
        figure("desktop.process_start_to_page_load", page_start / 1000 - process_start, "s")
        figure("desktop.page_load_to_library_shown", (now - page_start) / 1000, "s")
        opened = open_and_time(studio, "Negotiating", 10)
        figure("desktop.launch_to_first_course_view", time.monotonic() - started, "s")
        # From the app process's start to the course view on screen, the click included; the
        # figure above adds the WebDriver session's own set-up.
        shown = studio.d.execute_script("return Date.now()") / 1000
        figure("desktop.process_start_to_first_course_view", shown - process_start, "s")
        figure("desktop.open_course_10_slides", opened, "s")

        time.sleep(5)
        app, webkit = app_memory()
        figure("desktop.idle_rss_app", app / 1024, "MiB")
        figure("desktop.idle_rss_webkit_processes", webkit / 1024, "MiB")  # the app's children
        figure("desktop.idle_rss_total", (app + webkit) / 1024, "MiB")

        studio.click(studio.button("Back to the library"))
        opened = open_and_time(studio, "Large course", 500)
        figure("desktop.open_course_500_slides_1000_components", opened, "s")

        result = studio.d.execute_async_script(SCROLL, "nav.tree", 120)
        frames = result["frames"][1:]
        figure("desktop.scroll_slide_tree_frames", len(frames), "frames")
        figure("desktop.scroll_slide_tree_frame_median", statistics.median(frames), "ms")
        figure("desktop.scroll_slide_tree_frame_max", max(frames), "ms")

        # A slide in the middle with its components' editors and previews.
        buttons = studio.d.find_elements(By.CSS_SELECTOR, "nav.tree button[data-slide]")
        target = buttons[250]
        t = time.monotonic()
        studio.click(target)
        studio.wait("the slide's two component editors", lambda: len(studio.editors()) == 2, 60)
        studio.d.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")
        figure("desktop.select_slide_with_2_components", time.monotonic() - t, "s")
        result = studio.d.execute_async_script(SCROLL, "main", 60)
        frames = result["frames"][1:]
        figure("desktop.scroll_editor_frame_median", statistics.median(frames), "ms")
        figure("desktop.scroll_editor_frame_max", max(frames), "ms")
        time.sleep(5)
        figure("desktop.rss_total_after_large_course", sum(app_memory()) / 1024, "MiB")
    finally:
        studio.quit()


if __name__ == "__main__":
    main()
