# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the guestbook in a real browser, add an entry through the page, see it listed.

Headless Debian chromium driven through chromium-driver (selenium). Saves
what the presenter would see as screenshots: <out>/guestbook-before.png and
<out>/guestbook-after.png.

Usage: python tests/browser/guestbook.py <url> <out dir> [--entry TEXT] [--timeout SECONDS]
Exit 0 when the entry appears in the page's list; 1 with the reason otherwise.
"""

import argparse
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = os.environ.get("K8S_TALK_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("K8S_TALK_CHROMEDRIVER", "/usr/bin/chromedriver")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,800", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--entry", default="Hello from the rehearsal at %s" % time.strftime("%H:%M:%S"))
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium look for a driver online
    driver = browser()
    try:
        driver.get(args.url)
        if "Guestbook" not in driver.title:
            print("FAILED: %s has title %r, not the guestbook" % (args.url, driver.title))
            return 1
        driver.save_screenshot(os.path.join(args.out, "guestbook-before.png"))
        box = driver.find_element(By.ID, "entry")
        box.send_keys(args.entry)
        driver.find_element(By.ID, "submit").click()
        # Written to the leader, read from a follower: replication may lag a moment.
        deadline = time.monotonic() + args.timeout
        while True:
            entries = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#entries li")]
            if args.entry in entries:
                break
            if time.monotonic() > deadline:
                print("FAILED: the entry %r did not appear; the page lists %s" % (args.entry, entries))
                driver.save_screenshot(os.path.join(args.out, "guestbook-after.png"))
                return 1
            time.sleep(1)
            driver.get(args.url)
        driver.save_screenshot(os.path.join(args.out, "guestbook-after.png"))
        print("PASSED: %s took the entry %r through the page; %d entries listed; screenshots in %s"
              % (args.url, args.entry, len(entries), args.out))
        return 0
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
