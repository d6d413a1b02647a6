#!/usr/bin/env bash
# Vendor the front-end files from the npm registry at pinned versions into
# src/wenminghao/static/vendor/. Run by hand when a version changes; the output is committed,
# so setting up the platform never needs Node.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/wenminghao/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE@VERSION -> $work/<name>/package
  local spec=$1 dir=$work/$2
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
}

fetch bootstrap@5.3.8 bootstrap
fetch bootstrap-icons@1.13.1 bootstrap-icons
fetch htmx.org@2.0.9 htmx
# Alpine's CSP build: it parses x-* expressions itself instead of new Function(), so script-src needs no
# 'unsafe-eval' (core/middleware.py). Component logic lives in Alpine.data() in our static files.
fetch @alpinejs/csp@3.15.0 alpine
fetch echarts@6.0.0 echarts
fetch uppy@5.2.4 uppy
fetch @uppy/locales@5.1.1 uppy-locales

rm -rf "$dest" && mkdir -p "$dest"/{bootstrap,bootstrap-icons/fonts,htmx,alpine,echarts,uppy}
cp "$work/bootstrap/package/dist/css/bootstrap.min.css" "$dest/bootstrap/"
cp "$work/bootstrap/package/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/"
cp "$work/bootstrap/package/LICENSE" "$dest/bootstrap/LICENSE"
cp "$work/bootstrap-icons/package/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/"
cp "$work/bootstrap-icons/package/font/fonts/"bootstrap-icons.woff* "$dest/bootstrap-icons/fonts/"
cp "$work/bootstrap-icons/package/LICENSE" "$dest/bootstrap-icons/LICENSE"
cp "$work/htmx/package/dist/htmx.min.js" "$dest/htmx/"
cp "$work/htmx/package/LICENSE" "$dest/htmx/LICENSE"
cp "$work/alpine/package/dist/cdn.min.js" "$dest/alpine/alpine-csp.min.js"
cp "$work/echarts/package/dist/echarts.min.js" "$dest/echarts/"
cp "$work/echarts/package/LICENSE" "$dest/echarts/LICENSE"
# Uppy's browser bundle (core, Dashboard, XHR upload, ...) as the global ``Uppy``, and its Chinese strings.
cp "$work/uppy/package/dist/uppy.min.js" "$work/uppy/package/dist/uppy.min.css" "$dest/uppy/"
cp "$work/uppy/package/LICENSE" "$dest/uppy/LICENSE"
cp "$work/uppy-locales/package/dist/zh_CN.min.js" "$dest/uppy/zh_CN.min.js"
# Source maps are not vendored: drop their references so collectstatic's manifest finds every file.
find "$dest" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E '/^\/\/# sourceMappingURL=/d; s@/\*# sourceMappingURL=[^*]*\*/@@' {} +
cat > "$dest/VERSIONS" <<VERSIONS
bootstrap 5.3.8
bootstrap-icons 1.13.1
htmx.org 2.0.9
@alpinejs/csp 3.15.0
echarts 6.0.0
uppy 5.2.4
@uppy/locales 5.1.1
VERSIONS
echo "vendored into $dest"

# Noto Sans SC (SIL OFL 1.1) for the PDF summary tables (fpdf2 embeds it): only the Regular and Bold TTF.
fonts=src/wenminghao/core/fonts
fetch @expo-google-fonts/noto-sans-sc@0.4.3 noto-sans-sc
mkdir -p "$fonts"
cp "$work/noto-sans-sc/package/400Regular/NotoSansSC_400Regular.ttf" "$fonts/NotoSansSC-Regular.ttf"
cp "$work/noto-sans-sc/package/700Bold/NotoSansSC_700Bold.ttf" "$fonts/NotoSansSC-Bold.ttf"
cp "$work/noto-sans-sc/package/LICENSE_FONT" "$fonts/OFL.txt"
echo "@expo-google-fonts/noto-sans-sc 0.4.3" > "$fonts/VERSIONS"
echo "vendored Noto Sans SC into $fonts"
