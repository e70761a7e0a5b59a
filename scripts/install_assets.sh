#!/usr/bin/env bash
# Installs the map's JS/CSS from the npm registry into static/vendor/,
# where Streamlit's static serving delivers them (the app never uses a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
LEAFLET_VERSION=1.9.4
work=build/npm
mkdir -p "$work"
npm install --silent --no-save --no-package-lock --no-audit --no-fund \
    --prefix "$work" "leaflet@${LEAFLET_VERSION}"
rm -rf static/vendor/leaflet
mkdir -p static/vendor/leaflet
cp -r "$work/node_modules/leaflet/dist/leaflet.js" \
      "$work/node_modules/leaflet/dist/leaflet.css" \
      "$work/node_modules/leaflet/dist/images" static/vendor/leaflet/
echo "Leaflet ${LEAFLET_VERSION} installed in static/vendor/leaflet"
