#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages Gatehouse needs to build, run and test, skipping those present.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc clang libclang-rt-14-dev gettext git
  libglib2.0-dev libglib2.0-dev-bin libsqlite3-dev libjson-c-dev libcurl4-openssl-dev libssl-dev
  libgtk-4-dev libadwaita-1-dev libsecret-1-dev libsoup-3.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  libgstrtspserver-1.0-dev libjemalloc-dev
  # run
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-tools
  adwaita-icon-theme fonts-cantarell
  # test
  desktop-file-utils appstream xvfb xauth dbus dbus-x11 curl sqlite3 imagemagick gnome-keyring
  at-spi2-core python3 python3-gi gir1.2-atspi-2.0 gir1.2-gtk-4.0
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Run this as root (or with sudo) to install packages." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
