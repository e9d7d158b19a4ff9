# Copyright: (c) 2026, indydevops.k8s_talk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the ingress demo's 2048 game in a real browser, by its host name, and play a few moves.

Headless Debian chromium driven through chromium-driver (selenium). The game's
host name (play2048.k8s.<public_domain>) is mapped to the address the ingress
controller answers on (--host-resolver-rules), so the browser sends the Host
the Ingress routes by, as a presenter's browser does once external-dns wrote
the name. Saves <out>/play2048-start.png and <out>/play2048-played.png.

Usage: python tests/browser/play2048.py <host> <address:port> <out dir> [--moves N]
Exit 0 when the page is the game and the moves changed the board; 1 with the reason otherwise.
"""

import argparse
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

CHROMIUM = os.environ.get("K8S_TALK_CHROMIUM", "/usr/bin/chromium")
DRIVER = os.environ.get("K8S_TALK_CHROMEDRIVER", "/usr/bin/chromedriver")
MOVES = (Keys.ARROW_LEFT, Keys.ARROW_UP, Keys.ARROW_RIGHT, Keys.ARROW_DOWN)


def browser(host, address):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=800,900", "--no-first-run",
                 "--host-resolver-rules=MAP %s %s" % (host, address.rsplit(":", 1)[0])):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def board(driver):
    return driver.execute_script("return JSON.stringify(window.play2048 && window.play2048.board())")


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("address")
    parser.add_argument("out")
    parser.add_argument("--moves", type=int, default=12)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium look for a driver online
    port = args.address.rsplit(":", 1)[1] if ":" in args.address else "80"
    url = "http://%s:%s/" % (args.host, port)
    driver = browser(args.host, args.address)
    try:
        driver.get(url)
        if "2048" not in driver.title:
            print("FAILED: %s has title %r, not the game" % (url, driver.title))
            return 1
        tiles = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#board .cell")]
        if len(tiles) != 16 or len([t for t in tiles if t]) != 2:
            print("FAILED: the board has %d cells, %d tiles; a new game has 16 and 2" % (
                len(tiles), len([t for t in tiles if t])))
            return 1
        driver.save_screenshot(os.path.join(args.out, "play2048-start.png"))
        start = board(driver)
        body = driver.find_element(By.TAG_NAME, "body")
        for i in range(args.moves):
            body.send_keys(MOVES[i % len(MOVES)])
        played = board(driver)
        served_by = driver.find_element(By.ID, "served-by").text
        driver.save_screenshot(os.path.join(args.out, "play2048-played.png"))
        if played == start:
            print("FAILED: %d moves did not change the board %s" % (args.moves, start))
            return 1
        print("PASSED: %s (through %s) is the game; %d moves changed the board; served by %s; score %s" % (
            url, args.address, args.moves, served_by, driver.find_element(By.ID, "score").text))
        return 0
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
