"""The settings dialog, in tabs: backup places (the main folder, off-site copies, the plain
copy, online storage), retention with a live preview of what would be kept, encryption (turning
it on, passphrase change, recovery sheet, the credential store), language and notifications. It
must never write a secret in plain text: a passphrase or an online storage key goes only to the
system credential store or this session's memory, never into the settings or the recovery
sheet. And it must never do engine work on the GUI thread: opening or creating a repository,
listing its backups, changing the passphrase, writing the recovery sheet, testing a connection
and reading or changing the credential store all run in jobs (``ctx.start``), whose results are
dropped once the dialog is gone; the widgets only show them.

Modules:

* ``jobs`` -- the engine work run in jobs (no widgets), and ``EncryptionState``;
* ``passphrase_dialog`` -- ``ChangePassphraseDialog`` (the old and the new passphrase) and
  ``NewPassphraseDialog`` (the passphrase of backups about to be encrypted), with a strength hint;
* ``recovery_sheet_dialog`` -- ``RecoverySheetDialog``: the sheet shown, saved, copied, printed;
* ``online_storage_dialog`` -- ``OnlineStorageDialog``: adding online storage, "Test connection";
* ``places_tab`` -- the backup places tab (``PlacesTab``);
* ``retention_tab`` -- the retention tab and its keep/remove preview (``RetentionTab``);
* ``encryption_tab`` -- the encryption tab (``EncryptionTab``), and ``encryption_setup`` in it:
  turning encryption on (a place with no backups yet, or a new folder for unencrypted ones);
* ``general_tab`` -- the language and notifications tabs (``GeneralTabs``);
* ``dialog`` -- ``SettingsDialog``, made of the tab mixins above, which loads and saves.

The tab mixins translate their texts in the context "SettingsDialog", as the dialog does.
"""

from .dialog import SettingsDialog

__all__ = ["SettingsDialog"]
