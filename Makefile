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

# docs/screenshots/{en,id}: first start, main window, restore wizard, schedule, settings, history
screenshots:
	./scripts/screenshots.sh
