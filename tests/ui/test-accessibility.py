#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starts gatehouse and reads its window the way a screen reader does, over AT-SPI.

Usage: test-accessibility.py PATH-TO-GATEHOUSE

TAP output. Checks that --version prints the version, that --data-dir creates the folder
(mode 0700), that a fresh data folder opens the first-run page with every field and button
named, that the page can be filled in and sent from the keyboard alone (Enter moves from field
to field and creates the administrator), that every button and list item on show in the main
window has a name, and that the nine views are in the sidebar and each can be chosen through
the accessibility interface. Skips when there is no display, no session bus or no AT-SPI bus.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

VIEWS = [
    'Personnel', 'Permissions', 'Devices', 'Building Manager', 'Dial Management',
    'Call Groups', 'Information Release', 'Intercom', 'Records',
]
NAMED_ROLES = ('push button', 'toggle button', 'list item', 'menu item', 'check box',
               'radio button', 'combo box', 'text', 'entry')
DEADLINE = 30.0
# Follows the password rules and needs no Shift key: XTEST types key symbols.
ADMIN_PASSWORD = 'gate-house7'
FIRST_RUN_FIELDS = ['Account Name', 'Password', 'Confirm Password']

results = []


def ok(passed, name, diagnostics=''):
    results.append((passed, name, diagnostics))


def skip_all(reason):
    print('1..0 # SKIP ' + reason)
    sys.exit(0)


def finish():
    print('1..%d' % len(results))
    failed = 0
    for i, (passed, name, diagnostics) in enumerate(results, 1):
        if passed is None:
            print('ok %d %s # SKIP %s' % (i, name, diagnostics))
            continue
        print('%s %d %s' % ('ok' if passed else 'not ok', i, name))
        if not passed:
            failed += 1
            for line in diagnostics.splitlines():
                print('# ' + line)
    sys.exit(1 if failed else 0)


def walk(node, depth=0):
    """Yields (accessible, depth) for node and everything below it."""
    yield node, depth
    try:
        count = node.get_child_count()
    except Exception:  # a node that went away while walking
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        if child is not None:
            yield from walk(child, depth + 1)


def is_showing(node, Atspi):
    # GTK 4.8 exposes only widgets that are visible, with the VISIBLE state but not SHOWING.
    try:
        states = node.get_state_set()
    except Exception:
        return False
    return states.contains(Atspi.StateType.VISIBLE)


def header_titles(frame):
    """The texts of the header bar titles. GTK 4.8 names a widget without a label after its
    type, so the AdwWindowTitle shows up as a filler called 'AdwWindowTitle'. (The status pages
    of hidden views are in the tree too, so looking for any label would prove nothing.)"""
    titles = []
    for node, _ in walk(frame):
        if node.get_name() == 'AdwWindowTitle':
            titles += [n.get_name() for n, _ in walk(node) if n.get_role_name() == 'label']
    return titles


def unnamed_widgets(frame, Atspi):
    unnamed = []
    for node, _ in walk(frame):
        role = node.get_role_name()
        if role in NAMED_ROLES and is_showing(node, Atspi) and not (node.get_name() or '').strip():
            parent = node.get_parent()
            unnamed.append('%s (in %s “%s”)' % (role, parent.get_role_name() if parent else '-',
                                                parent.get_name() if parent else ''))
    return unnamed


def find_frame(app, wanted):
    """The application's window whose accessible names satisfy wanted(names), or None."""
    if app is None:
        return None
    for i in range(app.get_child_count()):
        window = app.get_child_at_index(i)
        if window is None:
            continue
        names = set()
        for node, _ in walk(window):
            try:
                names.add(node.get_name())
            except Exception:
                continue
        if wanted(names):
            return window
    return None


def fill_first_run(Atspi, window):
    """Creates the administrator the way a keyboard user does: the account name is filled in
    and focused, Enter moves to the next field, and Enter in the last one creates the
    account. Returns whether the keys could be typed at all."""
    if not os.environ.get('DISPLAY') or os.environ.get('GDK_BACKEND', 'x11') != 'x11':
        ok(None, 'the first-run page works from the keyboard', 'needs an X11 display')
        return False
    try:
        keyboard = FakeKeyboard()
    except OSError as e:
        ok(None, 'the first-run page works from the keyboard', str(e))
        return False
    try:
        extents = window.get_extents(Atspi.CoordType.WINDOW)
        keyboard.move_pointer(max(extents.width // 2, 10), max(extents.height // 2, 10))
        time.sleep(0.5)
        keyboard.press('Return')             # the account name is already "admin"
        keyboard.type(ADMIN_PASSWORD)
        keyboard.press('Return')
        keyboard.type(ADMIN_PASSWORD)
        keyboard.press('Return')             # creates the administrator and signs in
    finally:
        keyboard.close()
    return True


def find_app(Atspi, pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def main():
    if len(sys.argv) != 2:
        print('usage: test-accessibility.py PATH-TO-GATEHOUSE', file=sys.stderr)
        sys.exit(2)
    exe = sys.argv[1]

    version = subprocess.run([exe, '--version'], capture_output=True, text=True, timeout=30)
    ok(version.returncode == 0 and version.stdout.startswith('gatehouse ')
       and version.stdout.strip().split(' ')[1][:1].isdigit(),
       '--version prints the version', 'output: %r, status %d' % (version.stdout,
                                                                   version.returncode))

    if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
        ok(None, 'accessibility tree', 'no display')
        finish()
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        ok(None, 'accessibility tree', 'no session bus')
        finish()
    # libatspi warns about applications that come and go on the bus; that is not a failure
    # of this test, so drop fatal-warnings before GLib is loaded and reads G_DEBUG.
    os.environ['G_DEBUG'] = 'gc-friendly'
    try:
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi
    except (ImportError, ValueError) as e:
        ok(None, 'accessibility tree', 'no AT-SPI bindings: %s' % e)
        finish()

    tmp = tempfile.mkdtemp(prefix='gatehouse-a11y-')
    data_dir = os.path.join(tmp, 'new', 'data')
    env = dict(os.environ)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('GTK_A11Y', None)
    # The window's own warnings must not abort it here; this test looks at what it shows.
    env['G_DEBUG'] = 'gc-friendly'
    proc = subprocess.Popen([exe, '--data-dir', data_dir], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        run_checks(Atspi, proc, data_dir)
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        shutil.rmtree(tmp, ignore_errors=True)
        if any(passed is False for passed, _, _ in results) and output:
            for line in output.splitlines():
                print('# app: ' + line)
    finish()


def run_checks(Atspi, proc, data_dir):
    try:
        Atspi.init()
        Atspi.set_timeout(5000, 10000)
    except Exception as e:
        ok(None, 'accessibility tree', 'AT-SPI unavailable: %s' % e)
        return

    # A fresh data folder starts on the first-run page.
    deadline = time.monotonic() + DEADLINE
    app = None
    first_run = None
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            app = find_app(Atspi, proc.pid)
            first_run = find_frame(app, lambda names: all(f in names for f in FIRST_RUN_FIELDS))
        except Exception:
            first_run = None
        if first_run is not None:
            break
        time.sleep(0.2)

    typed = False
    if app is not None:
        ok(first_run is not None, 'a fresh data folder opens the first-run page',
           'no window with the fields %s' % ', '.join(FIRST_RUN_FIELDS))
    if first_run is not None:
        unnamed = unnamed_widgets(first_run, Atspi)
        ok(not unnamed, 'every field and button of the first-run page has a name',
           '\n'.join(unnamed))
        typed = fill_first_run(Atspi, first_run)

    frame = None
    deadline = time.monotonic() + DEADLINE
    while typed and time.monotonic() < deadline and proc.poll() is None:
        try:
            frame = find_frame(app, lambda names: all(v in names for v in VIEWS))
        except Exception:
            frame = None
        if frame is not None:
            break
        time.sleep(0.2)
    if typed:
        ok(frame is not None, 'the main window appears after the first-run page',
           'still no window with the views')

    ok(proc.poll() is None, 'gatehouse keeps running', 'exit status %s' % proc.poll())

    st = os.stat(data_dir) if os.path.isdir(data_dir) else None
    ok(st is not None and stat.S_IMODE(st.st_mode) == 0o700,
       '--data-dir creates the folder with mode 0700',
       'mode %s' % (oct(stat.S_IMODE(st.st_mode)) if st else 'missing'))

    if app is None:
        try:
            desktop = Atspi.get_desktop(0)
            seen = ['%s (pid %s)' % (a.get_name(), a.get_process_id())
                    for a in (desktop.get_child_at_index(i)
                              for i in range(desktop.get_child_count())) if a is not None]
        except Exception as e:
            seen = ['error: %s' % e]
        print('# applications on the AT-SPI bus: %s; gatehouse pid %d'
              % (', '.join(seen) or 'none', proc.pid))
        if os.environ.get('GATEHOUSE_REQUIRE_ATSPI'):
            ok(False, 'application found on the AT-SPI bus', 'not found before the deadline')
        else:
            ok(None, 'application found on the AT-SPI bus', 'AT-SPI bus not reachable')
        return
    if first_run is None or not typed:
        return
    ok(frame is not None, 'application has a window on the AT-SPI bus')
    if frame is None:
        return

    nodes = list(walk(frame))
    unnamed = unnamed_widgets(frame, Atspi)
    ok(not unnamed, 'every button and list item on show has a name', '\n'.join(unnamed))

    items = {n.get_name(): n for n, _ in nodes if n.get_role_name() == 'list item'}
    missing = [v for v in VIEWS if v not in items]
    ok(not missing, 'the nine views are in the sidebar', 'missing: %s' % ', '.join(missing))

    # Choose each view through the selection interface, as assistive technology would, and
    # check the content header then names it.
    failures = []
    for view in reversed(VIEWS):
        item = items.get(view)
        if item is None:
            failures.append('%s: no sidebar row' % view)
            continue
        parent = item.get_parent()
        if parent is None or 'Selection' not in parent.get_interfaces():
            failures.append('%s: the list has no selection interface' % view)
            continue
        Atspi.Selection.select_child(parent, item.get_index_in_parent())
        seen = False
        until = time.monotonic() + 5
        while time.monotonic() < until and not seen:
            seen = view in header_titles(frame)
            if not seen:
                time.sleep(0.1)
        if not seen:
            failures.append('%s: no heading with its name after choosing it' % view)
    ok(not failures, 'each view can be chosen from the sidebar', '\n'.join(failures))

    check_shortcuts(Atspi, frame)


class FakeKeyboard:
    """Types keys into the X server with the XTEST extension (as a user at the keyboard)."""

    def __init__(self):
        import ctypes
        import ctypes.util
        x11_name = ctypes.util.find_library('X11')
        xtst_name = ctypes.util.find_library('Xtst')
        if not x11_name or not xtst_name:
            raise OSError('libX11 or libXtst not found')
        self.x11 = ctypes.CDLL(x11_name)
        self.xtst = ctypes.CDLL(xtst_name)
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                   ctypes.c_int, ctypes.c_ulong]
        self.display = self.x11.XOpenDisplay(None)
        if not self.display:
            raise OSError('cannot open the X display')

    def move_pointer(self, x, y):
        # Without a window manager, keyboard focus follows the pointer.
        self.xtst.XTestFakeMotionEvent(self.display, -1, x, y, 0)
        self.x11.XFlush(self.display)

    def press(self, combo):
        codes = [self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(k.encode()))
                 for k in combo.split('+')]
        for code in codes:
            self.xtst.XTestFakeKeyEvent(self.display, code, 1, 0)
        for code in reversed(codes):
            self.xtst.XTestFakeKeyEvent(self.display, code, 0, 0)
        self.x11.XFlush(self.display)

    def type(self, text):
        names = {'-': 'minus', '.': 'period', ' ': 'space'}
        for ch in text:
            self.press(names.get(ch, ch))
            time.sleep(0.02)

    def close(self):
        self.x11.XCloseDisplay(self.display)


def check_shortcuts(Atspi, frame):
    if not os.environ.get('DISPLAY') or os.environ.get('GDK_BACKEND', 'x11') != 'x11':
        ok(None, 'Ctrl+1 … Ctrl+9 show the views', 'needs an X11 display')
        return
    try:
        keyboard = FakeKeyboard()
    except OSError as e:
        ok(None, 'Ctrl+1 … Ctrl+9 show the views', str(e))
        return

    try:
        # GTK 4 does not know where its windows are on screen; without a window manager (as
        # under the test Xvfb) a new window sits at the top left corner.
        extents = frame.get_extents(Atspi.CoordType.WINDOW)
        keyboard.move_pointer(max(extents.width // 2, 10), max(extents.height // 2, 10))
        time.sleep(0.3)
        failures = []
        for number, view in reversed(list(enumerate(VIEWS, 1))):
            # A second try covers a key typed before the window had the keyboard focus.
            for _ in range(2):
                keyboard.press('Control_L+%d' % number)
                until = time.monotonic() + 3
                while time.monotonic() < until and view not in header_titles(frame):
                    time.sleep(0.1)
                if view in header_titles(frame):
                    break
            if view not in header_titles(frame):
                failures.append('Ctrl+%d: the header shows %s, not %s'
                                % (number, header_titles(frame), view))
        ok(not failures, 'Ctrl+1 … Ctrl+9 show the views', '\n'.join(failures))
    finally:
        keyboard.close()


if __name__ == '__main__':
    main()
