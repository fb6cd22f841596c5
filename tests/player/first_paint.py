"""The web player's first paint in headless Chromium: the package in CLASSKIT_BENCH_PLAYER
(an unzipped web export) opened from disk, each load in a fresh browser so nothing is
cached. Prints `name: value unit` lines (median of the runs)."""

import os
import statistics
import sys
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

folder = Path(os.environ["CLASSKIT_BENCH_PLAYER"])
runs = int(os.environ.get("CLASSKIT_BENCH_RUNS", "5"))
paints, interactive = [], []
for _ in range(runs):
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"]:
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.get((folder / "index.html").as_uri())
        timing = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const read = () => {
              const fcp = performance.getEntriesByName('first-contentful-paint')[0];
              const nav = performance.getEntriesByType('navigation')[0];
              if (fcp && document.querySelector('nav.contents button')) done([fcp.startTime, nav.domContentLoadedEventEnd]);
              else setTimeout(read, 20);
            };
            read();
            """
        )
        paints.append(timing[0])
        interactive.append(timing[1])
    finally:
        driver.quit()
if not paints:
    sys.exit("no runs")
print(f"player.first_contentful_paint: {statistics.median(paints):.0f} ms")
print(f"player.dom_content_loaded: {statistics.median(interactive):.0f} ms")
