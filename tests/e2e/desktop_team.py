"""End-to-end test of team mode in ClassKit Studio's desktop app, through WebDriver.

Run by scripts/e2e inside scripts/team-server-demo (a classkit-server process over its own
PostgreSQL and Redis; CLASSKIT_TEAM_URL, CLASSKIT_TEAM_TOKEN_FILE and CLASSKIT_DATABASE_URL are
set). The app's instructor connects in the settings (test connection, then connect), shares a
course from the library, and edits a QUIZ's title; a second instructor, on the command line
with a library of their own, edits the same title from an older version and syncs, which makes
a conflict. The app shows the conflict in its header and in the side-by-side view; the
instructor settles it with a merged text, and the second instructor pulls the settlement. Then
team generation: the app assembles a slide and the second instructor the course's narration,
both on the team's queue; the job tray shows the team's jobs with who asked for each, waiting
until a `classkit-worker` (the Redis address and a worker token, nothing else) is started, then
done, and the narration reaches the app by sync. Screenshots of the team settings, the sync
status, the conflict view and the team's jobs in the tray are kept.
"""

import json
import os
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from desktop import EXAMPLES, Studio, check, field_id, playable, saved
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

CLI = os.environ["CLASSKIT_E2E_CLI"]
SERVER = os.environ["CLASSKIT_E2E_SERVER"]
WORKER = os.environ["CLASSKIT_E2E_WORKER"]
URL = os.environ["CLASSKIT_TEAM_URL"]
ADMIN_TOKEN = Path(os.environ["CLASSKIT_TEAM_TOKEN_FILE"]).read_text().strip()
LIBRARY = os.environ["CLASSKIT_LIBRARY"]
WORK = Path(tempfile.mkdtemp(prefix="classkit-team-e2e-"))


def classkit(library: str, *args: str) -> object:
    """Runs the command line on `library` with --json and returns its answer."""
    done = subprocess.run(
        [CLI, "--library", library, "--json", *args], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise AssertionError(f"classkit {' '.join(args)} failed: {done.stdout} {done.stderr}")
    return json.loads(done.stdout) if done.stdout.strip() else None


def server_admin(*args: str) -> str:
    done = subprocess.run([SERVER, "admin", *args], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def on_server(course: str, entity: str) -> dict | None:
    """An entity's current state on the team server, read from the course's change log."""
    after, found = 0, None
    while True:
        request = urllib.request.Request(
            f"{URL}/api/v1/courses/{course}/changes?after={after}&limit=1000",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            page = json.load(reply)
        for record in page["changes"]:
            if record["id"] == entity:
                found = record["state"]["fields"]
        after = page["next"]
        if not page["more"]:
            return found


def quiz(title: str) -> dict:
    return {
        "schema_version": 2,
        "title": title,
        "questions": [
            {
                "id": "q1",
                "kind": "single_choice",
                "text": "Who speaks first on a sales call?",
                "options": [
                    {"id": "o1", "text": "The caller", "correct": True},
                    {"id": "o2", "text": "Whoever is faster"},
                ],
            }
        ],
    }


def payload_file(name: str, value: dict) -> str:
    path = WORK / name
    path.write_text(json.dumps(value))
    return str(path)


def slides_of(tree: dict) -> list[dict]:
    return [s for lesson in tree["lessons"] for s in lesson["slides"]]


def main() -> int:
    # The app's library holds a lecture with a QUIZ on its first slide before the app starts.
    imported = classkit(LIBRARY, "import", str(EXAMPLES / "negotiating-by-phone.md"))
    course = imported["course_id"]
    tree = classkit(LIBRARY, "show", course)
    title = tree["title"]
    first = slides_of(tree)[0]
    added = classkit(
        LIBRARY,
        "component",
        "add",
        "--slide",
        first["id"],
        "--type",
        "QUIZ",
        "--payload",
        payload_file("quiz.json", quiz("Check")),
    )
    component = added["component"]["id"]

    studio = Studio()
    try:
        studio.css("#library-heading")

        # Settings: a wrong token is said as such; the right one connects.
        studio.click(studio.button("Settings"))
        url = studio.css("input[name=team-url]")
        token = studio.css("input[name=team-token]")
        studio.type_into(url, URL)
        studio.type_into(token, "not-a-token")
        studio.click(studio.button("Test connection"))
        studio.wait(
            "the refused token",
            lambda: "token" in studio.css("section.team p[role=alert]").text.lower(),
        )
        token.send_keys(Keys.CONTROL, "a")
        token.send_keys(ADMIN_TOKEN)
        studio.click(studio.button("Test connection"))
        studio.wait(
            "the connection's owner",
            lambda: "Connected as" in studio.css("section.team p[role=status]").text,
        )
        studio.click(studio.button("Connect"))
        studio.wait(
            "the header online",
            lambda: studio.d.find_element(By.CSS_SELECTOR, ".sync .chip").get_attribute("data-connection") == "online",
            30,
        )
        studio.shot("team-settings", studio.css("section.team"))
        studio.click(studio.button("Settings"))

        # Share the course from the library.
        studio.click(studio.button(f"Share {title} with the team"))
        studio.wait(
            "the course shared",
            lambda: "is shared with the team" in studio.css(".team-message").text,
            60,
        )
        studio.css(".team-chip[data-role=owner]")

        # A second instructor joins on the command line and opens the course.
        server_admin("create-user", "ben@example.org", "--name", "Ben")
        (WORK / "ben.token").write_text(server_admin("create-token", "ben@example.org") + "\n")
        server_admin("add-member", course, "ben@example.org", "--role", "editor")
        ben = str(WORK / "ben-library")
        classkit(ben, "remote", "set", URL, "--token-file", str(WORK / "ben.token"))
        classkit(ben, "sync")
        check(
            classkit(ben, "component", "show", component)["component"]["payload"]["title"] == "Check",
            "Ben has the quiz as shared",
        )

        # The app's instructor retitles the quiz; the background sync sends it.
        studio.open_course(title)
        studio.select_slide(first["title"])
        article = studio.wait(
            "the quiz editor",
            lambda: next(
                (e for e in studio.editors() if e.find_elements(By.ID, field_id("/title"))), None
            ),
        )
        # The quiz's title sits in its "More options".
        field = studio.reveal(studio.css(f"#{field_id('/title')}", article))
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("Check your call")
        studio.wait(
            "the title saved",
            lambda: "All changes saved" in article.find_element(By.CSS_SELECTOR, ".save-state").text,
            20,
        )
        studio.wait(
            "the edit sent to the team by the background sync",
            lambda: (on_server(course, component) or {}).get("payload", {}).get("title") == "Check your call",
            40,
        )

        # Ben retitles it too, from the version he had: his sync makes a conflict.
        updated = quiz("Ben's check")
        classkit(ben, "component", "update", component, "--payload", payload_file("ben.json", updated))
        outcomes = classkit(ben, "sync")
        check(
            sum(o["report"]["conflicts"] for o in outcomes if o.get("report")) == 1,
            f"Ben's sync made one conflict: {outcomes}",
        )

        # The app shows it in the header, then side by side.
        studio.click(studio.button("Sync now"))
        conflicts = studio.button("1 conflict", timeout=40)
        studio.shot("sync-status-conflict", studio.css("header"))
        studio.click(conflicts)
        view = studio.css("li.conflict")
        studio.wait(
            "both titles",
            lambda: "Check your call" in view.find_element(By.CSS_SELECTOR, ".side.current").text
            and "Ben's check" in view.find_element(By.CSS_SELECTOR, ".side.mine").text
            and "ben@example.org" in view.find_element(By.CSS_SELECTOR, ".side.mine").text,
        )
        check("Quiz on slide" in view.find_element(By.TAG_NAME, "h2").text, "the conflict says where it is")
        merged = studio.css("textarea", view)
        merged.send_keys(Keys.CONTROL, "a")
        merged.send_keys("Ben's check of your call")
        studio.shot("conflict-view", studio.css("section.conflicts"))
        studio.click(studio.button("Use this text", root=view))
        studio.wait("no conflicts left", lambda: "No conflicts" in studio.css("section.conflicts").text)
        studio.wait(
            "the settlement sent",
            lambda: not studio.d.find_elements(By.CSS_SELECTOR, ".sync .waiting")
            and not studio.d.find_elements(By.CSS_SELECTOR, ".sync .conflicts"),
            40,
        )
        studio.shot("sync-status-settled", studio.css("header"))

        # Ben pulls the settlement: the same title, no open conflict.
        classkit(ben, "sync")
        shown = classkit(ben, "component", "show", component)["component"]["payload"]["title"]
        check(shown == "Ben's check of your call", f"Ben has the settled title: {shown!r}")
        open_conflicts = classkit(ben, "conflicts", "list")
        check(open_conflicts == [], f"no open conflict for Ben: {open_conflicts}")

        # Team generation. Assembling a slide of the shared course dispatches to the team's
        # queue; Ben asks for the course's narration from the command line. With no worker
        # yet, the tray shows the team's jobs waiting, each with who asked for it.
        studio.click(studio.button("Back"))
        studio.select_slide(first["title"])
        studio.click(studio.button("Assemble this slide"))
        classkit(ben, "assemble", course, "--no-wait", "--only", "narration")
        tray = studio.css("section.tray")

        def team_rows() -> list:
            return [r for r in studio.job_rows() if r.find_elements(By.CSS_SELECTOR, ".team")]

        def asked_by(who: str) -> list:
            return [r for r in team_rows() if f"asked by {who}" in r.find_element(By.CSS_SELECTOR, ".asked-by").text]

        studio.wait(
            "the app's and Ben's team jobs in the tray",
            lambda: asked_by("admin@example.org") and asked_by("ben@example.org"),
            40,
        )
        check(
            all(r.get_attribute("data-state") == "queued" for r in team_rows()),
            "no worker serves the queue yet: every team job waits",
        )
        studio.shot("team-jobs-waiting", tray)

        # A classkit-worker with the Redis address and a worker token, and nothing else, serves
        # them: the tray follows them to the end and the narration arrives by sync.
        (WORK / "worker.token").write_text(server_admin("create-token", "--worker", "e2e-worker") + "\n")
        worker = subprocess.Popen(
            [
                WORKER,
                "--redis", os.environ["CLASSKIT_REDIS_URL"],
                "--server", URL,
                "--token-file", str(WORK / "worker.token"),
                "--cache", str(WORK / "worker-cache"),
                "--concurrency", "2",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(WORK / "worker.log", "wb"),
        )
        try:
            studio.wait(
                "every team job done",
                lambda: (rows := team_rows())
                and all(r.get_attribute("data-state") == "succeeded" for r in rows),
                240,
            )
            audio = studio.wait(
                "the first slide's narration synced in",
                lambda: studio.d.find_element(By.CSS_SELECTOR, ".slide-editor audio"),
                60,
            )
            # Its file came with the sync, and the player can play it (WebKitGTK plays no media
            # from the app's own URI scheme: the player reads the file and plays it from a blob).
            loaded = playable(studio, audio)
            check(
                loaded[0] == "blob" and (loaded[1] or 0) > 0.5 and loaded[2] is None,
                f"the synced narration plays in the app: (scheme, duration, error) = {loaded}",
            )
            studio.shot("team-jobs-done", tray)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    finally:
        studio.quit()
    print(f"team e2e: passed; {len(saved)} screenshots")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
