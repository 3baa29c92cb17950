# The web player's tests: Node (the conformance suite against the JavaScript runtime), Debian's
# Chromium (the browser tests; never a downloaded browser) and the npm packages in
# package-lock.json (axe-core), installed with `npm ci`. Where the system packages cannot be
# installed (no root, no sudo), the game still works and those tests say why they skip; in CI
# (CI set) a missing piece is an error.
web_missing=()
command -v node >/dev/null 2>&1 || web_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || web_missing+=(npm)
[ -x /usr/bin/chromium ] || web_missing+=(chromium)
if [ ${#web_missing[@]} -gt 0 ]; then
    if ! apt_install "${web_missing[@]}"; then
        [ -n "${CI:-}" ] && exit 1
        say "the web player's tests will be skipped until ${web_missing[*]} are installed"
    fi
fi
if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
fi
