# Shortcuts for helpers; each target is one script that also works on its own.
.PHONY: package test clean-package screenshots

# the one-folder app in dist/KasirBackup (PyInstaller; see docs/PACKAGING.md)
package:
	./packaging/build.sh

# the whole test suite, exactly as CI runs it
test:
	./scripts/test.sh

clean-package:
	rm -rf build dist

# docs/screenshots/{en,id}: every screen in both languages — first start, main window (details, a failing
# copy), restore wizard, schedule, settings and its dialogs, history, export, import, the Quit question.
# tests/gui/test_screen_language.py walks the same screens (no English in Indonesian; all fit 1366x768 at 125 %)
screenshots:
	./scripts/screenshots.sh
