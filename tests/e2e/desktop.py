"""End-to-end test of ClassKit Studio's desktop app through WebDriver.

Run by scripts/e2e (which provides the virtual display, D-Bus, a fresh library and the tools).
Drives the real binary: imports an example lecture, edits a QUIZ until it is valid, marks it
ready, answers it in the learner preview, dispatches narration and waits for it in the job
tray, restarts the app and finds everything still there, then shows a validation issue in the
Korean UI. Saves screenshots of the main screens, the eleven component editors, a learner
preview, the job tray and the Korean issue.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import mss
import mss.tools
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

APP = os.environ["CLASSKIT_E2E_APP"]
SHOTS = Path(os.environ["CLASSKIT_E2E_SCREENSHOTS"])
EXAMPLES = Path(os.environ["CLASSKIT_E2E_EXAMPLES"])
DRIVER = os.environ["CLASSKIT_E2E_DRIVER"]
LECTURE = EXAMPLES / "negotiating-by-phone.md"

TYPES = [
    "REVIEW",
    "QUIZ",
    "ROLEPLAY",
    "SHADOWING",
    "PRONUNCIATION",
    "FLASHCARDS",
    "CLOZE",
    "MATCHING",
    "HOTSPOT",
    "BRANCHING",
    "DICTATION",
]

saved: list[Path] = []


def grab(path: Path) -> None:
    """A picture of the virtual display, where the app's window fills the screen. (WebDriver's
    screenshot waits for WebKitGTK to paint a frame for it, which it sometimes never does
    without a GPU: the whole run then hangs.)"""
    with mss.MSS() if hasattr(mss, "MSS") else mss.mss() as screen:
        image = screen.grab(screen.monitors[0])
        mss.tools.to_png(image.rgb, image.size, output=str(path))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def field_id(pointer: str) -> str:
    """The DOM id the editors give the input of a JSON pointer (see ui/src/lib/schema.ts)."""
    out = "field"
    for ch in pointer:
        out += ch if ch.isalnum() or ch in "_-" else f"-{ord(ch)}-"
    return out


class Studio:
    """One run of the app under tauri-driver."""

    def __init__(self) -> None:
        self.port = free_port()
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.driver_process = subprocess.Popen(
            [DRIVER, "--port", str(self.port), "--native-port", str(free_port())],
            stdout=open(SHOTS / "tauri-driver.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": APP})
        deadline = time.monotonic() + 30
        while True:
            try:
                self.d = webdriver.Remote(
                    command_executor=f"http://127.0.0.1:{self.port}", options=options
                )
                break
            except (WebDriverException, OSError, ConnectionError, Exception):
                # The driver may still be starting (refused or dropped connections).
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        # Paths typed into the app are the app's own files, not uploads.
        self.d.file_detector = UselessFileDetector()
        self.d.set_window_size(1400, 1000)

    def quit(self) -> None:
        try:
            self.d.quit()
        finally:
            self.driver_process.terminate()
            self.driver_process.wait(timeout=20)

    # --- finding and waiting -------------------------------------------------------------

    def wait(self, what: str, find, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                found = find()
                if found:
                    return found
            except (NoSuchElementException, StaleElementReferenceException) as e:
                last = e
            time.sleep(0.1)
        self.shot("failure")
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} ({last})")

    def css(self, selector: str, root: WebElement | None = None, timeout: float = 20.0) -> WebElement:
        base = root or self.d
        return self.wait(selector, lambda: base.find_element(By.CSS_SELECTOR, selector), timeout)

    def button(self, name: str, root: WebElement | None = None, timeout: float = 20.0) -> WebElement:
        """A button by its accessible text (its text or aria-label), exactly."""
        base = root or self.d

        def find():
            for b in base.find_elements(By.CSS_SELECTOR, "button"):
                if b.is_displayed() and (
                    b.text.strip() == name or (b.get_attribute("aria-label") or "") == name
                ):
                    return b
            return None

        return self.wait(f"the button {name!r}", find, timeout)

    def click(self, element: WebElement) -> None:
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def type_into(self, element: WebElement, text: str) -> None:
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        element.send_keys(text)

    def shot(self, name: str, element: WebElement | None = None) -> None:
        # Let the last DOM change reach the screen before the picture is taken.
        time.sleep(0.4)
        path = SHOTS / f"{len(saved) + 1:02d}-{name}.png"
        if element is not None:
            # The window with the element at its top (WebKitWebDriver's element screenshots
            # of tall elements come out partly black).
            self.d.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
            time.sleep(0.5)
        grab(path)
        saved.append(path)

    # --- the app's screens -----------------------------------------------------------------

    def open_course(self, title: str) -> None:
        self.click(self.button(f"Open {title}"))
        self.wait("the course heading", lambda: self.d.find_element(By.ID, "course-heading").text == title)

    def select_slide(self, title: str) -> None:
        def find():
            for b in self.d.find_elements(By.CSS_SELECTOR, "nav.tree button[data-slide]"):
                if b.find_element(By.CSS_SELECTOR, ".title").get_attribute("textContent") == title:
                    return b
            return None

        self.click(self.wait(f"the slide {title!r} in the tree", find))
        self.wait(
            f"the editor of {title!r}",
            lambda: self.d.find_element(By.CSS_SELECTOR, ".slide-editor input[type=text]").get_attribute("value")
            == title,
        )

    def reveal(self, field: WebElement) -> WebElement:
        """Opens every folded "More options" that holds a field, by its summary, as an author would."""
        while True:
            folded = self.d.execute_script("return arguments[0].closest('details:not([open])')", field)
            if folded is None:
                return field
            self.click(folded.find_element(By.CSS_SELECTOR, ":scope > summary"))

    def editors(self) -> list[WebElement]:
        return self.d.find_elements(By.CSS_SELECTOR, "article.component")

    def add_component(self, type_name: str) -> WebElement:
        """Adds a learning activity from the gallery ("Add a learning activity")."""
        before = len(self.editors())
        self.click(self.button("Add a learning activity"))
        self.click(self.css(f"[role=dialog] button.tile[data-type={type_name}]"))
        self.wait(f"a new {type_name} editor", lambda: len(self.editors()) == before + 1)
        return self.editors()[-1]

    def job_rows(self) -> list[WebElement]:
        """Every job row of the tray, with the tray shown and every group unfolded."""
        tray = self.css("section.tray")
        toggle = tray.find_elements(By.CSS_SELECTOR, "button[aria-controls=tray-list]")
        if toggle and toggle[0].get_attribute("aria-expanded") == "false":
            toggle[0].click()
        for fold in tray.find_elements(By.CSS_SELECTOR, ".group-line button[aria-expanded=false]"):
            fold.click()
        return tray.find_elements(By.CSS_SELECTOR, "li.job")


def playable(studio: "Studio", audio: WebElement) -> list:
    """Loads an <audio> element's sound: [its address's scheme, its duration, its error code].
    (WebKitGTK plays no media from the app's own URI scheme: the player reads the file and plays
    it from a blob: address.)"""
    return studio.d.execute_async_script(
        "const [a, done] = [arguments[0], arguments[arguments.length - 1]];"
        "const end = () => done([a.currentSrc.split(':')[0], a.duration, a.error && a.error.code]);"
        "a.addEventListener('loadedmetadata', end, { once: true });"
        "a.addEventListener('error', end, { once: true });"
        "setTimeout(end, 15000);"
        "const go = () => { a.preload = 'metadata'; a.load(); };"
        "a.src.startsWith('blob:') ? go() : setTimeout(go, 2000);",
        audio,
    )


# axe-core, to check each screen for WCAG 2.1 A and AA violations inside the app's WebView.
AXE = os.environ.get("CLASSKIT_E2E_AXE", "")
# Set to "report" to print violations without failing (to measure a design before a change).
AXE_MODE = os.environ.get("CLASSKIT_E2E_AXE_MODE", "fail")
axe_found: list[str] = []


def axe_check(studio: "Studio", screen: str) -> int:
    """Runs axe-core on the page as it is (dialogs and popovers included) and fails the run
    on any WCAG 2.1 A or AA violation, naming each with the elements it was found on."""
    if not AXE:
        return 0
    studio.d.execute_script(Path(AXE).read_text(encoding="utf-8") + "\n;window.__axeLoaded = true;")
    result = studio.d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
        " resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(0, 2).join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    for v in result:
        line = f"{screen}: {v['id']} ({v['impact']}): {v['help']}"
        axe_found.append(line)
        print(f"axe: {line}", file=sys.stderr)
        for node in v["nodes"]:
            print(f"axe:     {node}", file=sys.stderr)
    if result and AXE_MODE == "fail":
        studio.shot(f"axe-{screen}")
        raise AssertionError(f"axe found {len(result)} WCAG A/AA violation(s) on {screen}: {[v['id'] for v in result]}")
    return len(result)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def main() -> int:
    SHOTS.mkdir(parents=True, exist_ok=True)
    studio = Studio()
    try:
        # The library of a fresh install is empty.
        studio.css("#library-heading")
        studio.wait(
            "the empty library", lambda: "Start your first course" in studio.d.find_element(By.TAG_NAME, "main").text
        )
        studio.shot("library-empty")
        axe_check(studio, "empty library")

        # Import an example lecture: "New course", from a lecture.
        studio.click(studio.button("New course"))
        studio.type_into(studio.css("[role=dialog] input[name=path]"), str(LECTURE))
        studio.shot("new-course")
        studio.click(studio.button("Import"))
        studio.wait("the import message", lambda: "Imported" in studio.css("main p[role=status]").text, 60)
        course_title = studio.d.find_element(By.CSS_SELECTOR, ".courses .title").text
        studio.shot("library")
        axe_check(studio, "library")
        studio.open_course(course_title)
        slides = [
            e.get_attribute("textContent")
            for e in studio.d.find_elements(By.CSS_SELECTOR, "nav.tree button[data-slide] .title")
        ]
        check(len(slides) >= 3, f"the course has its slides: {slides}")
        studio.shot("course")
        axe_check(studio, "course")

        # A QUIZ on the second slide, from the gallery: it starts with a question and two
        # options, and the empty question is wrong at its text field.
        studio.select_slide(slides[1])
        quiz = studio.add_component("QUIZ")
        text_id = field_id("/questions/0/text")
        text = studio.css(f"#{text_id}", quiz)
        studio.wait(
            "the issue at /questions/0/text",
            lambda: text.get_attribute("aria-invalid") == "true"
            and studio.d.find_element(By.ID, f"{text_id}-issues").text != "",
            15,
        )
        studio.shot("quiz-invalid", quiz)

        # Fix it: the question's text and its two options, the first one right.
        studio.type_into(text, "What do you do before an important call?")
        studio.type_into(studio.css(f"#{field_id('/questions/0/options/0/text')}", quiz), "Prepare the figures")
        studio.type_into(studio.css(f"#{field_id('/questions/0/options/1/text')}", quiz), "Improvise")
        studio.click(studio.css(f"#{field_id('/questions/0/options/0/correct')}", quiz))
        studio.wait(
            "the quiz to be saved without issues",
            lambda: text.get_attribute("aria-invalid") == "false"
            and "All changes saved" in quiz.find_element(By.CSS_SELECTOR, ".save-state").text
            and not quiz.find_elements(By.CSS_SELECTOR, ".issue-summary"),
            15,
        )
        ready = quiz.find_elements(By.CSS_SELECTOR, ".status input[type=radio]")[1]
        studio.click(ready)
        studio.wait(
            "the quiz to be ready",
            lambda: ready.is_selected() and not quiz.find_elements(By.CSS_SELECTOR, "[role=alert]"),
        )

        # Answer it as a learner: the right option gets the full grade.
        preview = studio.css("section.preview", quiz)
        right = studio.wait(
            "the option in the preview",
            lambda: next(
                (
                    label
                    for label in preview.find_elements(By.CSS_SELECTOR, "label")
                    if "Prepare the figures" in label.text
                ),
                None,
            ),
        )
        studio.click(right)
        studio.click(studio.button("Check answers", root=preview))
        studio.wait("the grade", lambda: "1 / 1" in preview.text, 15)
        studio.shot("learner-preview-quiz", preview)
        studio.shot("quiz-ready", quiz)

        # Dispatch narration of this slide and see it done in the job tray.
        studio.click(studio.button("Assemble this slide"))
        tray = studio.css("section.tray")
        studio.wait(
            "the narration job to succeed",
            lambda: any(
                row.get_attribute("data-state") == "succeeded"
                and row.find_element(By.CSS_SELECTOR, ".kind").text == "Narration"
                for row in studio.job_rows()
            ),
            180,
        )
        # Grouped under the assembly it was part of, each job naming its slide.
        groups = {
            g.find_element(By.CSS_SELECTOR, ".group-name").get_attribute("textContent"): g
            for g in tray.find_elements(By.CSS_SELECTOR, "li.group")
        }
        group = groups.get(f"Assemble the slide “{slides[1]}”")
        check(group is not None, f"a group names the assembly: {list(groups)}")
        narration = next(
            r for r in group.find_elements(By.CSS_SELECTOR, "li.job") if r.find_element(By.CSS_SELECTOR, ".kind").text == "Narration"
        )
        check(f"on “{slides[1]}”" in narration.text, f"the job names its slide: {narration.text!r}")
        player = studio.wait("the narration player", lambda: studio.d.find_element(By.CSS_SELECTOR, ".slide-editor audio"), 30)
        played = playable(studio, player)
        check(played[0] == "blob" and (played[1] or 0) > 0.5 and played[2] is None, f"the narration plays: {played}")
        studio.shot("job-tray", tray)
        studio.shot("slide-with-narration")

        # One editor of each other type, on the third slide.
        studio.select_slide(slides[2])
        for type_name in TYPES:
            if type_name == "QUIZ":
                continue
            editor = studio.add_component(type_name)
            studio.shot(f"editor-{type_name.lower()}", editor)
        axe_check(studio, "a slide with the ten other editors")
        studio.select_slide(slides[1])
        quiz = studio.wait("the quiz's editor", lambda: studio.editors()[0] if studio.editors() else None, 30)
        studio.shot("editor-quiz", quiz)
    finally:
        studio.quit()

    # Restart: everything is still there.
    studio = Studio()
    try:
        studio.open_course(course_title)
        studio.select_slide(slides[1])
        quiz = studio.wait("the quiz after a restart", lambda: studio.editors()[0])
        check(
            studio.css(f"#{field_id('/questions/0/text')}", quiz).get_attribute("value")
            == "What do you do before an important call?",
            "the question's text after a restart",
        )
        check(
            quiz.find_elements(By.CSS_SELECTOR, ".status input[type=radio]")[1].is_selected(),
            "the quiz is still ready after a restart",
        )
        check(
            bool(studio.d.find_elements(By.CSS_SELECTOR, ".slide-editor audio")),
            "the narration is still there after a restart",
        )
        studio.select_slide(slides[2])
        studio.wait("the ten editors of the third slide", lambda: len(studio.editors()) == 10)
        studio.shot("after-restart")

        # In Korean, a validation issue is said in Korean: emptying the question's text (the
        # quiz becomes a draft again) shows the issue at the field and in the summary.
        Select(studio.css("header select")).select_by_value("ko")
        studio.wait("the Korean UI", lambda: studio.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ko")
        studio.select_slide(slides[1])
        quiz = studio.wait("the quiz", lambda: studio.editors()[0])
        text_id = field_id("/questions/0/text")
        text = studio.css(f"#{text_id}", quiz)
        studio.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", text)
        text.click()
        text.send_keys(Keys.CONTROL, "a")
        text.send_keys(Keys.BACKSPACE)
        studio.wait(
            "the issue at the question's text, in Korean",
            lambda: "문항에는 본문이 필요합니다" in studio.d.find_element(By.ID, f"{text_id}-issues").text
            and "needs text" not in quiz.text,
            15,
        )
        studio.shot("quiz-invalid-korean", quiz)
        axe_check(studio, "a problem in the Korean UI")
    finally:
        studio.quit()
    return 0


if __name__ == "__main__":
    try:
        code = main()
    except AssertionError as e:
        print(f"e2e: FAILED: {e}", file=sys.stderr)
        code = 1
    print(f"e2e: {len(saved)} screenshots in {SHOTS}:")
    for path in saved:
        print(f"  {path.name}")
    print("e2e: passed" if code == 0 else "e2e: failed")
    sys.exit(code)
