"""Over HTTP: log in as the demo viewer, ask for a PDF, wait for the worker, get the PDF.

`python .ci/worker_smoke.py BASE_URL PDF_PATH` (from .ci/worker_smoke.sh). Standard library only.
"""

import http.cookiejar
import json
import sys
import time
import urllib.parse
import urllib.request

DEMO_VIEWER = ("directie", "groeipad-demo-2026")
STARTUP_SECONDS = 60
RENDER_SECONDS = 180


# The URLs are http://127.0.0.1:PORT, given by .ci/worker_smoke.sh (hence the S310 noqa).
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base: str, pdf_path: str) -> None:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)

    def get(path: str, accept: str = "text/html"):
        request = urllib.request.Request(base + path, headers={"Accept": accept})  # noqa: S310
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if get("/accounts/login/")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("gunicorn did not answer")
        time.sleep(0.5)
    token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": DEMO_VIEWER[0], "password": DEMO_VIEWER[1], "csrfmiddlewaretoken": token}
    ).encode()
    login = urllib.request.Request(base + "/accounts/login/", data=form, method="POST")  # noqa: S310
    login.add_header("Referer", base + "/accounts/login/")
    try:
        opener.open(login, timeout=30)
    except urllib.error.HTTPError as error:
        if error.code != 302:
            sys.exit(f"login answered {error.code}")

    status, _headers, page = get(pdf_path)
    if status != 202 or b'role="progressbar"' not in page:
        sys.exit(f"the first PDF request answered {status}, not the waiting page")
    deadline = time.monotonic() + RENDER_SECONDS
    while json.loads(get(pdf_path, "application/json")[2])["status"] != "ready":
        if time.monotonic() > deadline:
            sys.exit("the worker did not store the PDF")
        time.sleep(1)
    status, headers, body = get(pdf_path)
    if (
        status != 200
        or headers["Content-Type"] != "application/pdf"
        or not body.startswith(b"%PDF")
    ):
        sys.exit(f"the stored PDF answered {status} {headers['Content-Type']}")
    health = json.loads(get("/healthz", "application/json")[2])
    if health.get("worker") != "ok" or health.get("broker") != "ok":
        sys.exit(f"/healthz does not see the worker: {health}")
    print(f"worker smoke: PDF of {len(body)} bytes rendered by the worker; /healthz {health}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
