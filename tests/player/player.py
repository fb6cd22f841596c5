"""The learner's web player end to end, in headless Chromium (Debian's chromium and
chromium-driver) under WebDriver.

An example course is made the way an instructor makes one: the photosynthesis lecture is
imported and assembled with the builtin engines (narration by espeak-ng, drafts of nine
types), a branching scenario and a role-play are added, and the course is exported with the
`classkit export` command as a web player and as SCORM 1.2 and SCORM 2004 packages.

- Web player, opened from disk (file://): every learning component type is answered and
  checked through the page, with a screenshot of each; axe-core finds no WCAG 2.1 A/AA
  violation on any of those pages, in light and dark mode, at a desktop's and a phone's
  width, in English and Korean; a learner who reloads resumes on the same slide with their
  answers and grades; the narration plays with captions.
- SCORM: each package is launched in an iframe of a page that loads a real SCORM runtime
  (scorm-again, as an LMS would) and the test asserts what reaches the LMS: initialise,
  score raw/min/max (and scaled in 2004), completion and success against the mastery score,
  interactions for each checked item, suspend data, session time, terminate, and resuming
  from the suspend data the LMS kept. One package has a SCO per lesson.

Environment: CLASSKIT_E2E_CLI (the classkit binary), CLASSKIT_E2E_EXAMPLES (examples/),
CLASSKIT_E2E_SCREENSHOTS (where screenshots go), CLASSKIT_PLAYER_MODULES (player/node_modules,
for scorm-again and axe-core).
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
import zipfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

CLI = os.environ["CLASSKIT_E2E_CLI"]
EXAMPLES = Path(os.environ["CLASSKIT_E2E_EXAMPLES"])
SHOTS = Path(os.environ["CLASSKIT_E2E_SCREENSHOTS"])
MODULES = Path(os.environ["CLASSKIT_PLAYER_MODULES"])
SAMPLES = Path(__file__).resolve().parents[2] / "crates/model/tests/samples"

TYPE_LABELS = {
    "REVIEW": "Review",
    "QUIZ": "Quiz",
    "ROLEPLAY": "Roleplay",
    "SHADOWING": "Shadowing",
    "PRONUNCIATION": "Pronunciation",
    "FLASHCARDS": "Flashcards",
    "CLOZE": "Cloze",
    "MATCHING": "Matching",
    "HOTSPOT": "Hotspot",
    "BRANCHING": "Branching scenario",
    "DICTATION": "Dictation",
}
GRADED = {"QUIZ", "ROLEPLAY", "FLASHCARDS", "CLOZE", "MATCHING", "HOTSPOT", "BRANCHING", "DICTATION"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log(message):
    print(f"player e2e: {message}", flush=True)


def cli(library, *args):
    result = subprocess.run([CLI, "--library", str(library), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"classkit {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def make_course(work):
    """The example course in a fresh library; returns (library, course id)."""
    library = work / "library"
    out = cli(library, "--json", "import", str(EXAMPLES / "photosynthesis.md"))
    course = json.loads(out)["course_id"]
    cli(library, "assemble", course, "--speech-engine", "espeak")
    tree = json.loads(cli(library, "--json", "show", course))
    first_slide = tree["lessons"][0]["slides"][0]["id"]
    branching = json.loads((SAMPLES / "BRANCHING.valid.json").read_text())
    for node in branching["nodes"]:
        node.pop("image", None)
        node.pop("image_alt", None)
    (work / "branching.json").write_text(json.dumps(branching))
    cli(library, "component", "add", "--slide", first_slide, "--type", "BRANCHING", "--payload", str(work / "branching.json"))
    cli(library, "component", "add", "--slide", first_slide, "--type", "ROLEPLAY", "--payload", str(SAMPLES / "ROLEPLAY.valid.json"))
    return library, course


def export(library, course, fmt, out, *extra):
    report = json.loads(cli(library, "--json", "export", course, "--format", fmt, "--out", str(out), "--include-drafts", *extra))
    folder = out.with_suffix("")
    shutil.rmtree(folder, ignore_errors=True)
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert "index.html" in names, names
        if fmt != "web":
            assert "imsmanifest.xml" in names, names
        z.extractall(folder)
    log(f"exported {fmt}: {report['slides']} slides, {report['components']} components, {report['bytes']} bytes, "
        f"player {report['player_gzip_bytes']} bytes gzipped, {len(report['left_out'])} left out, {report['elapsed_ms']} ms")
    return folder, report


def browser(microphone=None):
    """Headless Chromium; `microphone` is a WAV file its fake microphone plays (looping)."""
    options = webdriver.ChromeOptions()
    if microphone:
        for arg in ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-audio-capture={microphone}"]:
            options.add_argument(arg)
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                "--autoplay-policy=no-user-gesture-required", "--lang=en-US",
                # Files beside the page load from disk as a learner's browser would.
                "--allow-file-access-from-files"]:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    options.binary_location = os.environ.get("CLASSKIT_CHROMIUM", "/usr/bin/chromium")
    service = Service(os.environ.get("CLASSKIT_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    return driver


def wait(driver, condition, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
    except Exception as e:
        raise AssertionError(f"timed out waiting for {what}") from e


def shot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(800, height + 100))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def axe(driver, where):
    """The A/AA violations axe-core finds on the page; fails with them listed."""
    source = (MODULES / "axe-core/axe.min.js").read_text()
    driver.execute_script(source + "\n;window.__axe = axe;")
    violations = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        window.__axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}}).then(
          r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))}))),
          e => done([{id: 'axe-failed', help: String(e), nodes: []}]));
        """,
        AXE_TAGS,
    )
    assert not violations, f"axe-core found A/AA violations {where}:\n" + json.dumps(violations, indent=2, ensure_ascii=False)


def contents_buttons(driver):
    return driver.find_elements(By.CSS_SELECTOR, "nav.contents ol button")


def go_to_slide(driver, index):
    buttons = contents_buttons(driver)
    buttons[index].click()
    wait(driver, lambda d: contents_buttons(d)[index].get_attribute("aria-current") == "page", f"slide {index + 1}")


def activities(driver):
    """(section, type label) of each activity on the slide shown."""
    out = []
    for section in driver.find_elements(By.CSS_SELECTOR, "section.activity"):
        heading = section.find_element(By.TAG_NAME, "h3").text
        out.append((section, heading.split("·", 1)[-1].strip()))
    return out


def answer(driver, section):
    """Answers an activity the way a learner might (not all right), by mouse and keyboard,
    then checks it when it is scored. Returns the score line, or None when not scored."""
    # A branching scenario: take the first choice until the end.
    for _ in range(12):
        choices = section.find_elements(By.CSS_SELECTOR, "ul.choices button")
        if not choices:
            break
        choices[0].click()
    # Flashcards: flip a card to rate it (the ratings are radio buttons, chosen below).
    for flip in section.find_elements(By.XPATH, ".//button[starts-with(normalize-space(.), 'Flip card')]")[:1]:
        flip.click()
    groups = {}
    for radio in section.find_elements(By.CSS_SELECTOR, "input[type=radio]"):
        groups.setdefault(radio.get_attribute("name"), radio)
    for radio in groups.values():
        radio.click()
    for box in section.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")[:1]:
        box.click()
    for field in section.find_elements(By.CSS_SELECTOR, "input[type=text], textarea"):
        if field.is_displayed() and field.is_enabled():
            field.send_keys("light energy")
    for select in section.find_elements(By.TAG_NAME, "select"):
        options = Select(select).options
        if len(options) > 1:
            Select(select).select_by_index(1)
    # Image regions are reached with the keyboard.
    for region in section.find_elements(By.CSS_SELECTOR, "svg [role=button]")[:2]:
        region.send_keys(Keys.ENTER)
    checks = section.find_elements(By.XPATH, ".//button[normalize-space(.)='Check answers']")
    if not checks:
        return None
    checks[0].click()
    status = section.find_element(By.CSS_SELECTOR, ".check-bar [role=status]")
    wait(driver, lambda d: status.text.startswith("Score:"), "the activity's score")
    return status.text


def test_web_player(driver, folder):
    url = (folder / "index.html").as_uri()
    driver.get(url)
    wait(driver, lambda d: contents_buttons(d), "the contents")
    slides = len(contents_buttons(driver))
    assert slides == 11, slides
    assert driver.find_element(By.CSS_SELECTOR, "header h1").text.startswith("Photosynthesis")

    # The narration plays, with captions timed from it.
    audio = driver.find_element(By.CSS_SELECTOR, ".narration audio")
    duration = driver.execute_async_script(
        """
        const [a, done] = arguments;
        const ready = () => done(a.duration);
        if (a.readyState >= 1) ready(); else { a.addEventListener('loadedmetadata', ready); a.addEventListener('error', () => done(-1)); a.load(); }
        """,
        audio,
    )
    assert duration and duration > 1, f"the narration does not load (duration {duration})"
    driver.execute_script("arguments[0].currentTime = 1.0", audio)
    caption = driver.find_element(By.CSS_SELECTOR, ".narration .captions .line")
    wait(driver, lambda d: caption.text.strip() != "", "a caption at 1 s")
    log(f"narration {duration:.1f} s, caption at 1 s: {caption.text[:60]!r}")

    # Every type: answered and checked, a screenshot, no accessibility violations.
    seen_types = {}
    checked_slide = None
    for index in range(slides):
        go_to_slide(driver, index)
        for section, label in activities(driver):
            kind = next((k for k, v in TYPE_LABELS.items() if v == label), None)
            assert kind, f"unknown activity label {label!r}"
            if kind in seen_types:
                continue
            driver.execute_script("arguments[0].scrollIntoView()", section)
            score = answer(driver, section)
            assert (score is not None) == (kind in GRADED), f"{kind}: score {score!r}"
            seen_types[kind] = score
            if kind == "QUIZ":
                checked_slide = index
            section.screenshot(str(SHOTS / f"player-{kind.lower()}.png"))
        if index == 0 or len(seen_types) < len(TYPE_LABELS):
            axe(driver, f"on slide {index + 1} (light, desktop)")
    missing = set(TYPE_LABELS) - set(seen_types)
    assert not missing, f"the example course has no {missing}"
    log("answered every type: " + ", ".join(f"{k} {v or '(not scored)'}" for k, v in sorted(seen_types.items())))

    # The results page.
    driver.find_element(By.CSS_SELECTOR, "button.to-results").click()
    wait(driver, lambda d: d.find_elements(By.ID, "results-heading"), "the results")
    text = driver.find_element(By.CSS_SELECTOR, "section.results").text
    assert "Score:" in text, text
    shot(driver, "player-results")
    axe(driver, "on the results page")

    # Resume: a reload opens where the learner was, with their answers and grades.
    go_to_slide(driver, checked_slide)
    driver.refresh()
    wait(driver, lambda d: contents_buttons(d), "the contents after a reload")
    assert contents_buttons(driver)[checked_slide].get_attribute("aria-current") == "page", "the reload lost the place"
    quiz = next(s for s, label in activities(driver) if label == "Quiz")
    status = quiz.find_element(By.CSS_SELECTOR, ".check-bar [role=status]").text
    assert status.startswith("Score:"), f"the quiz's grade was not kept: {status!r}"
    assert quiz.find_elements(By.CSS_SELECTOR, "input[type=radio]:checked"), "the quiz's answer was not kept"
    seen = driver.find_elements(By.CSS_SELECTOR, "nav.contents .seen")
    assert len(seen) == slides, f"{len(seen)} slides marked seen after the reload"
    log("a reload resumes on the same slide with the answers and grades")

    # Korean.
    Select(driver.find_element(By.CSS_SELECTOR, ".language select")).select_by_value("ko")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "nav.contents").get_attribute("aria-label") == "목차", "Korean")
    assert driver.execute_script("return document.documentElement.lang") == "ko"
    shot(driver, "player-korean")
    axe(driver, "in Korean")
    Select(driver.find_element(By.CSS_SELECTOR, ".language select")).select_by_value("en")

    # Dark mode.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", background
    for index in (0, 3):
        go_to_slide(driver, index)
        axe(driver, f"on slide {index + 1} in dark mode")
    shot(driver, "player-dark")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})

    # A phone's width: the contents fold behind a button; nothing runs off the side.
    driver.set_window_size(390, 844)
    menu = driver.find_element(By.CSS_SELECTOR, "button.menu")
    assert menu.is_displayed(), "no contents button on a phone"
    assert not driver.find_element(By.CSS_SELECTOR, "nav.contents").is_displayed()
    for index in range(slides):
        driver.find_element(By.CSS_SELECTOR, "button.menu").click()
        wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "nav.contents").is_displayed(), "the contents on a phone")
        contents_buttons(driver)[index].click()
        wait(driver, lambda d: not d.find_element(By.CSS_SELECTOR, "nav.contents").is_displayed(), "the contents to fold")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"slide {index + 1} is {overflow} px wider than a phone's screen"
        if index in (0, 5):
            axe(driver, f"on slide {index + 1} at a phone's width")
            shot(driver, f"player-phone-{index + 1}")
            driver.set_window_size(390, 844)
    driver.set_window_size(1280, 1000)
    log("Korean, dark mode and a phone's width: no accessibility violations")


def course_data(folder):
    text = (folder / "course.js").read_text()
    return json.loads(text[len("window.CLASSKIT_COURSE = "):].rstrip().rstrip(";"))


def speak(text, voice, out):
    """espeak-ng saying `text`, then 2 s of silence: Chromium's fake microphone plays the file
    in a loop from the moment the page asks for it, and the take stops within the silence."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text], check=True)
    with wave.open(str(out)) as w:
        params, frames = w.getparams(), w.readframes(w.getnframes())
    with wave.open(str(out), "wb") as w:
        w.setparams(params)
        w.writeframes(frames + b"\0" * (2 * params.framerate * params.sampwidth * params.nchannels))
    return out


def take_score(folder, slide_index, wav, seconds):
    """Records the first shadowing sentence of a slide through a fake microphone playing
    `wav`, and returns the score the player shows (its text)."""
    driver = browser(microphone=wav)
    try:
        driver.get((folder / "index.html").as_uri())
        wait(driver, lambda d: contents_buttons(d), "the contents")
        go_to_slide(driver, slide_index)
        section = next(s for s, label in activities(driver) if label == "Shadowing")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        section.find_element(By.XPATH, ".//button[normalize-space(.)='Record yourself']").click()
        stop = wait(driver, lambda d: section.find_element(By.XPATH, ".//button[normalize-space(.)='Stop and score']"), "recording")
        time.sleep(seconds)
        stop.click()
        score = wait(driver, lambda d: section.find_elements(By.CSS_SELECTOR, ".take .score .overall")
                     or section.find_elements(By.CSS_SELECTOR, ".take [role=alert]"), "the take's score", timeout=30)[0]
        assert "score" in score.text.lower(), f"the take was not scored: {score.text}"
        section.screenshot(str(SHOTS / f"player-shadowing-{Path(wav).stem}.png"))
        return int(score.text.split(":")[1].split("/")[0]), section.find_element(By.CSS_SELECTOR, ".take .score").text
    finally:
        driver.quit()


def test_shadowing_practice(folder, work):
    """A learner's take through the browser's microphone, scored by the WebAssembly scorer:
    the sentence said in another voice scores clearly above another sentence."""
    course = course_data(folder)
    for li, lesson in enumerate(course["lessons"]):
        for si, slide in enumerate(lesson["slides"]):
            for c in slide["components"]:
                if c["component_type"] == "SHADOWING" and c["payload"]["items"][0].get("audio"):
                    index = sum(len(l["slides"]) for l in course["lessons"][:li]) + si
                    item = c["payload"]["items"][0]
                    break
            else:
                continue
            break
        else:
            continue
        break
    assert item["audio"] in course["practice"], "the reference's features are not in the package"
    right = speak(item["text"], "en-gb+m3", work / "right.wav")
    wrong = speak("Could you send me the signed contract by Friday afternoon, please?", "en-gb+m3", work / "wrong.wav")
    def length(wav):
        with wave.open(str(wav)) as w:
            return w.getnframes() / w.getframerate()

    # Stop a second into the silence after the sentence.
    right_score, right_text = take_score(folder, index, right, length(right) - 1.0)
    wrong_score, wrong_text = take_score(folder, index, wrong, length(wrong) - 1.0)
    log(f"shadowing through the microphone: the sentence {right_score}/100, another sentence {wrong_score}/100")
    assert right_score >= wrong_score + 15, f"right {right_score}: {right_text}\nwrong {wrong_score}: {wrong_text}"
    assert "does not sound like this sentence" in wrong_text, wrong_text


def test_pronunciation_practice(folder, work):
    """PRONUNCIATION in the player, where no phone scorer runs: the browser's recogniser if it
    works (this headless Chromium's has no speech service, so it fails), and then, or where
    there is none, practice with the reference audio: the learner records themself through
    the microphone and gets their take to play beside the speaker's."""
    course = course_data(folder)
    index, item = None, None
    flat = [s for lesson in course["lessons"] for s in lesson["slides"]]
    for i, slide in enumerate(flat):
        for c in slide["components"]:
            if c["component_type"] == "PRONUNCIATION" and c["payload"]["items"]:
                index, item = i, c["payload"]["items"][0]
                break
        if item:
            break
    assert item, "the example course has a pronunciation activity"
    wav = speak(item["target"], "en-us", work / "say.wav")
    driver = browser(microphone=wav)
    try:
        driver.get((folder / "index.html").as_uri())
        wait(driver, lambda d: contents_buttons(d), "the contents")
        go_to_slide(driver, index)
        section = next(s for s, label in activities(driver) if label == "Pronunciation")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        first = section.find_element(By.CSS_SELECTOR, ".items > li")
        recognizer = driver.execute_script("return 'SpeechRecognition' in window || 'webkitSpeechRecognition' in window")
        if recognizer:
            first.find_element(By.XPATH, ".//button[normalize-space(.)='Say it']").click()
            # Either the recogniser hears the words, or it fails and the player says so.
            outcome = wait(driver, lambda d: first.find_elements(By.CSS_SELECTOR, "[role=alert]")
                           or first.find_elements(By.XPATH, ".//p[starts-with(normalize-space(.), 'Heard:')]"),
                           "the recogniser's answer", timeout=30)[0]
            log(f"pronunciation: the browser's recogniser: {outcome.text}")
            if outcome.get_attribute("role") != "alert":
                return
            assert "practise with the reference audio" in outcome.text, outcome.text
        assert "Practise with the reference audio" in first.text, first.text
        first.find_element(By.XPATH, ".//button[normalize-space(.)='Record yourself']").click()
        stop = wait(driver, lambda d: first.find_element(By.XPATH, ".//button[normalize-space(.)='Stop']"), "recording")
        time.sleep(1.5)
        stop.click()
        take = wait(driver, lambda d: first.find_elements(By.CSS_SELECTOR, ".yours audio"), "the take to listen to")[0]
        assert take.get_attribute("src").startswith("blob:"), take.get_attribute("src")
        assert take.get_attribute("aria-label") == "Your take of item 1"
        seconds = wait(driver, lambda d: d.execute_script(
            "const a = arguments[0]; return a.readyState >= 1 && a.duration > 0 ? a.duration : null", take),
            "the take's length")
        assert 0.5 < seconds < 10, f"the take lasts {seconds} s"
        # The reference audio stays beside it.
        assert first.find_elements(By.CSS_SELECTOR, "audio:not(.yours audio)"), "the reference audio is there"
        section.screenshot(str(SHOTS / "player-pronunciation-reference-mode.png"))
        log(f"pronunciation: practice with the reference audio, a take of {seconds:.1f} s to listen to")
    finally:
        driver.quit()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


LMS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm-again.js"></script>
<script>
  // A stand-in LMS page: a real SCORM runtime (scorm-again) in the window, the package in an
  // iframe, as an LMS launches a SCO.
  window.startLms = function (version, saved, src) {
    const settings = { logLevel: 5, autocommit: false };
    const api = version === "12" ? new Scorm12API(settings) : new Scorm2004API(settings);
    if (saved) api.loadFromFlattenedJSON(saved, "");
    if (version === "12") window.API = api; else window.API_1484_11 = api;
    window.lms = api;
    window.calls = [];
    for (const name of version === "12" ? ["LMSInitialize", "LMSCommit", "LMSFinish"] : ["Initialize", "Commit", "Terminate"]) {
      api.on(name, () => window.calls.push(name));
    }
    const frame = document.createElement("iframe");
    frame.id = "sco";
    frame.title = "Lesson";
    frame.style = "width: 1200px; height: 900px; border: 0";
    frame.src = src;
    document.body.appendChild(frame);
  };
  window.cmi = () => JSON.parse(JSON.stringify(window.lms.getFlattenedCMI()));
</script></head><body></body></html>
"""


def lms_cmi(driver):
    driver.switch_to.default_content()
    return driver.execute_script("return window.cmi()")


def lms_calls(driver):
    driver.switch_to.default_content()
    return driver.execute_script("return window.calls")


def launch(driver, base, version, package, saved=None, query=""):
    driver.get(f"{base}/lms.html")
    driver.execute_script("window.startLms(arguments[0], arguments[1], arguments[2])", version, saved,
                          f"{package}/index.html{query}")
    frame = wait(driver, lambda d: d.find_element(By.ID, "sco"), "the SCO's frame")
    driver.switch_to.frame(frame)
    wait(driver, lambda d: contents_buttons(d), "the SCO's contents")


def complete_all(driver):
    """Sees every slide and checks every activity of the SCO."""
    for index in range(len(contents_buttons(driver))):
        go_to_slide(driver, index)
        for section, _ in activities(driver):
            answer(driver, section)


def leave(driver):
    """The learner closes the lesson: the LMS page unloads the SCO's frame."""
    driver.switch_to.default_content()
    driver.execute_script("document.getElementById('sco').src = 'about:blank'")
    time.sleep(0.5)


def test_scorm12(driver, base):
    launch(driver, base, "12", "scorm12")
    cmi = lms_cmi(driver)
    assert lms_calls(driver)[0] == "LMSInitialize", lms_calls(driver)
    assert cmi["cmi.core.lesson_status"] == "incomplete", cmi
    driver.switch_to.frame(driver.find_element(By.ID, "sco"))
    go_to_slide(driver, 0)
    quiz = next(s for s, label in activities(driver) if label == "Quiz")
    answer(driver, quiz)
    cmi = lms_cmi(driver)
    assert "LMSCommit" in lms_calls(driver)
    # No score yet: activities are left to try.
    assert cmi["cmi.core.score.raw"] == "", cmi["cmi.core.score.raw"]
    interactions = [k for k in cmi if k.startswith("cmi.interactions.") and k.endswith(".id")]
    assert interactions, f"no interactions reached the LMS: {cmi}"
    assert cmi["cmi.interactions.0.type"] == "choice", cmi
    assert cmi["cmi.interactions.0.result"] in ("correct", "wrong"), cmi
    assert cmi["cmi.interactions.0.student_response"], cmi
    suspend = json.loads(cmi["cmi.suspend_data"])
    assert suspend["at"] == 0 and suspend["components"], suspend
    assert len(cmi["cmi.suspend_data"]) <= 4096

    # Everything done: with a mastery score of 0 the learner passes.
    driver.switch_to.frame(driver.find_element(By.ID, "sco"))
    complete_all(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.core.lesson_status"] == "passed", cmi["cmi.core.lesson_status"]
    assert cmi["cmi.core.score.min"] == "0" and cmi["cmi.core.score.max"] == "100", cmi
    assert 0 <= float(cmi["cmi.core.score.raw"]) <= 100, cmi
    assert len(cmi["cmi.suspend_data"]) <= 4096, len(cmi["cmi.suspend_data"])
    leave(driver)
    assert lms_calls(driver)[-1] == "LMSFinish", lms_calls(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.core.session_time"] not in ("", "00:00:00"), cmi["cmi.core.session_time"]
    assert cmi["cmi.core.exit"] == "", cmi["cmi.core.exit"]
    count = len([k for k in cmi if k.startswith("cmi.interactions.") and k.endswith(".id")])
    log(f"SCORM 1.2: status {cmi['cmi.core.lesson_status']}, score {cmi['cmi.core.score.raw']} of 0-100, "
        f"{count} interactions, suspend data {len(cmi['cmi.suspend_data'])} characters, session {cmi['cmi.core.session_time']}")


def test_scorm2004(driver, base):
    launch(driver, base, "2004", "scorm2004")
    assert lms_calls(driver)[0] == "Initialize"
    driver.switch_to.frame(driver.find_element(By.ID, "sco"))
    go_to_slide(driver, 1)
    for section, _ in activities(driver):
        answer(driver, section)
    cmi = lms_cmi(driver)
    assert cmi["cmi.completion_status"] == "incomplete", cmi
    assert cmi["cmi.success_status"] == "unknown", cmi
    assert cmi["cmi.location"] == "1", cmi
    assert cmi["cmi.score.scaled"] == "", "a half-done course's score reached the LMS"
    types = {cmi[k] for k in cmi if k.startswith("cmi.interactions.") and k.endswith(".type")}
    assert types, cmi
    assert all(cmi[k] for k in cmi if k.endswith(".learner_response")), cmi
    # Leave half-way; the LMS keeps the suspend data and the learner resumes there.
    leave(driver)
    cmi = lms_cmi(driver)
    assert lms_calls(driver)[-1] == "Terminate"
    assert cmi["cmi.exit"] == "suspend", cmi["cmi.exit"]
    assert cmi["cmi.session_time"].startswith("PT"), cmi["cmi.session_time"]
    saved = {"cmi.suspend_data": cmi["cmi.suspend_data"], "cmi.entry": "resume"}
    launch(driver, base, "2004", "scorm2004", saved)
    assert contents_buttons(driver)[1].get_attribute("aria-current") == "page", "the SCO did not resume on its slide"
    status = activities(driver)[0][0].find_elements(By.CSS_SELECTOR, ".check-bar [role=status]")
    assert not status or status[0].text.startswith("Score:"), "the SCO resumed without the grades"
    # Everything done: with a mastery score of 100 % and imperfect answers, the learner fails.
    complete_all(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.completion_status"] == "completed", cmi["cmi.completion_status"]
    assert cmi["cmi.success_status"] == "failed", (cmi["cmi.success_status"], cmi["cmi.score.scaled"])
    assert cmi["cmi.progress_measure"] == "1", cmi["cmi.progress_measure"]
    raw, maximum, scaled = float(cmi["cmi.score.raw"]), float(cmi["cmi.score.max"]), float(cmi["cmi.score.scaled"])
    assert cmi["cmi.score.min"] == "0" and maximum > 0 and abs(scaled - raw / maximum) < 1e-3, cmi
    leave(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.exit"] == "normal", cmi["cmi.exit"]
    log(f"SCORM 2004: {cmi['cmi.completion_status']}, {cmi['cmi.success_status']}, scaled {cmi['cmi.score.scaled']}, "
        f"interaction types {sorted(types)}, resumed from suspend data, session {cmi['cmi.session_time']}")

    # The LMS's own passing score wins over the package's.
    launch(driver, base, "2004", "scorm2004", {"cmi.scaled_passing_score": "0"})
    complete_all(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.success_status"] == "passed", cmi["cmi.success_status"]
    leave(driver)


def test_scorm_per_lesson(driver, base):
    launch(driver, base, "2004", "scorm2004-lessons", query="?lesson=2")
    titles = [b.text for b in contents_buttons(driver)]
    assert len(titles) == 4, titles
    assert driver.find_element(By.CSS_SELECTOR, "header h1").text.startswith("Lesson 2"), "the SCO is not lesson 2"
    complete_all(driver)
    cmi = lms_cmi(driver)
    assert cmi["cmi.completion_status"] == "completed", cmi
    leave(driver)
    log(f"a SCO per lesson: lesson 2 alone, {len(titles)} slides, completed")


def main():
    work = Path(tempfile.mkdtemp(prefix="classkit-player-e2e-"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver = None
    server = None
    try:
        started = time.monotonic()
        library, course = make_course(work)
        log(f"example course made in {time.monotonic() - started:.1f} s")
        site = work / "site"
        site.mkdir()
        web, _ = export(library, course, "web", site / "web.zip")
        export(library, course, "scorm12", site / "scorm12.zip", "--mastery-score", "0")
        export(library, course, "scorm2004", site / "scorm2004.zip", "--mastery-score", "100")
        export(library, course, "scorm2004", site / "scorm2004-lessons.zip", "--sco-per-lesson")
        shutil.copy(MODULES / "scorm-again/dist/scorm-again.js", site / "scorm-again.js")
        (site / "lms.html").write_text(LMS_PAGE)
        server, base = serve(site)
        driver = browser()
        test_web_player(driver, web)
        test_shadowing_practice(web, work)
        test_pronunciation_practice(web, work)
        test_scorm12(driver, base)
        test_scorm2004(driver, base)
        test_scorm_per_lesson(driver, base)
        log(f"all passed in {time.monotonic() - started:.1f} s; screenshots in {SHOTS}")
    finally:
        if driver:
            driver.quit()
        if server:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"player e2e: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
